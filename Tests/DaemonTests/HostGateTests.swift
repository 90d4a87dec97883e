// SPDX-License-Identifier: MIT
@testable import Daemon
import Synchronization
import Testing

/// Per-host spacing: request starts to one host are at least `host_spacing` apart; other hosts do not wait.
@Suite struct HostGateTests {
    @Test func startsToOneHostAreSpacedAndOtherHostsDoNotWait() async {
        let spacing = Duration.milliseconds(250)
        let gate = HostGate(spacing: spacing)
        let clock = ContinuousClock()
        let start = clock.now
        await gate.wait(for: "http://a.example/1", purpose: .feed)
        let other = clock.now
        await gate.wait(for: "http://b.example/1", purpose: .feed)
        #expect(clock.now - other < spacing, "another host has its own slots")
        await gate.wait(for: "http://A.EXAMPLE/2", purpose: .feed)
        await gate.wait(for: "http://a.example/3?x", purpose: .feed)
        #expect(clock.now - start >= spacing * 2, "the third start to a.example waits two spacings")
    }

    @Test(.timeLimit(.minutes(1))) func anArticlePageGoesBeforeTheFeedPollsWaitingForItsHost() async {
        // Spacing long enough that the four callers are in line before the first slot comes up, also
        // on a machine loaded enough to take a second to schedule a task (seen under sanitizers with
        // 300 ms: feed2 got its slot before the article was in line).
        let gate = HostGate(spacing: .milliseconds(1500))
        let order = StartOrder()
        await gate.wait(for: "http://a.example/taken", purpose: .feed)
        var tasks: [Task<Void, Never>] = []
        func enqueue(_ name: String, _ purpose: HostGate.Purpose) async {
            let before = await gate.waitingCount(for: "http://a.example/")
            tasks.append(Task {
                await gate.wait(for: "http://a.example/" + name, purpose: purpose)
                order.names.withLock { $0.append(name) }
            })
            // In line, or (on a machine slow enough to pass a slot meanwhile) through already.
            while await gate.waitingCount(for: "http://a.example/") == before, !order.names.withLock({ $0.contains(name) }) {
                await Task.yield()
            }
        }
        await enqueue("feed1", .feed)
        await enqueue("feed2", .feed)
        await enqueue("article", .article)
        await enqueue("feed3", .feed)
        for task in tasks { await task.value }
        // feed1 may have had its slot before the article arrived; the article passes every feed still waiting.
        let got = order.names.withLock { $0 }
        #expect(got == ["article", "feed1", "feed2", "feed3"] || got == ["feed1", "article", "feed2", "feed3"], "\(got)")
    }

    @Test(.timeLimit(.minutes(1))) func aCancelledCallerStopsWaitingAtOnce() async {
        let gate = HostGate(spacing: .seconds(30))
        await gate.wait(for: "http://a.example/taken", purpose: .feed)
        let clock = ContinuousClock()
        let start = clock.now
        let waiting = Task { await gate.wait(for: "http://a.example/next", purpose: .article) }
        while await gate.waitingCount(for: "http://a.example/") == 0 { await Task.yield() }
        waiting.cancel()
        await waiting.value
        #expect(clock.now - start < .seconds(10))
        #expect(await gate.waitingCount(for: "http://a.example/") == 0)
    }

    @Test func hostsWhoseSlotsHavePassedAreForgotten() async throws {
        let gate = HostGate(spacing: .seconds(2))
        for i in 0...10_000 { await gate.wait(for: "http://h\(i).example/", purpose: .feed) }
        #expect(await gate.knownHostCount == 10_001, "every host is still within its spacing")
        try await Task.sleep(for: .milliseconds(2_100))
        await gate.wait(for: "http://new.example/", purpose: .feed)
        #expect(await gate.knownHostCount == 1)
    }

    @Test func noSpacingNeverWaits() async {
        let gate = HostGate(spacing: .zero)
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<1_000 { await gate.wait(for: "http://a.example/", purpose: .feed) }
        #expect(clock.now - start < .seconds(1))
    }
}

/// The order in which waiting callers got their slots.
private final class StartOrder: Sendable {
    let names = Mutex<[String]>([])
}

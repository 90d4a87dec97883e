// SPDX-License-Identifier: MIT
import Fetching
import Foundation
import Synchronization
import TestSupport
import Testing

/// One politeness for every request: per-host cap, spacing between starts, who goes first when a host
/// is busy, and turns among hosts. Time is a ``ManualClock``: nothing here sleeps.
@Suite(.timeLimit(.minutes(1))) struct HostPolitenessTests {
    let clock = ManualClock()

    @Test func startsToOneHostAreSpacedAndOtherHostsDoNotWait() async {
        let politeness = HostPoliteness(perHost: 8, spacing: .seconds(2), clock: clock)
        let a = HostKey.of("http://a.example/1")
        #expect(await politeness.admit(a, purpose: .feed))
        #expect(await politeness.admit(HostKey.of("http://b.example/1"), purpose: .feed), "another host has its own spacing")
        let started = Log<Double>()
        let start = clock.now
        let second = Task {
            _ = await politeness.admit(HostKey.of("http://A.EXAMPLE/2"), purpose: .feed)
            started.append(clock.now.timeIntervalSince(start))
        }
        await clock.waitForSleepers(1)
        clock.advance(by: 1.9)
        #expect(started.items.isEmpty, "not before the spacing")
        clock.advance(by: 0.1)
        await second.value
        #expect(started.items == [2])
    }

    @Test func aHostHasAtMostItsCapInFlight() async {
        let politeness = HostPoliteness(perHost: 2, spacing: .zero, clock: clock)
        let host = HostKey.of("http://a.example/")
        #expect(await politeness.admit(host, purpose: .feed))
        #expect(await politeness.admit(host, purpose: .feed))
        let third = Task { await politeness.admit(host, purpose: .feed) }
        while politeness.waitingCount(host) == 0 { await Task.yield() }
        politeness.finished(host)
        #expect(await third.value)
        #expect(politeness.waitingCount(host) == 0)
    }

    @Test func aDeliveryThenAnArticleGoBeforeTheFeedPollsWaitingForTheirHost() async {
        let politeness = HostPoliteness(perHost: 1, spacing: .zero, clock: clock)
        let host = HostKey.of("http://a.example/")
        #expect(await politeness.admit(host, purpose: .feed))
        let order = Log<String>()
        var tasks: [Task<Void, Never>] = []
        for (name, purpose) in [("feed1", HostPoliteness.Purpose.feed), ("feed2", .feed), ("article", .article), ("delivery", .delivery), ("feed3", .feed)] {
            let before = politeness.waitingCount(host)
            tasks.append(Task {
                _ = await politeness.admit(host, purpose: purpose)
                order.append(name)
                politeness.finished(host)
            })
            while politeness.waitingCount(host) == before { await Task.yield() }
        }
        politeness.finished(host)
        for task in tasks { await task.value }
        #expect(order.items == ["delivery", "article", "feed1", "feed2", "feed3"])
    }

    @Test func aCancelledCallerStopsWaitingAtOnce() async {
        let politeness = HostPoliteness(perHost: 1, spacing: .seconds(30), clock: clock)
        let host = HostKey.of("http://a.example/")
        #expect(await politeness.admit(host, purpose: .feed))
        let waiting = Task { await politeness.admit(host, purpose: .article) }
        while politeness.waitingCount(host) == 0 { await Task.yield() }
        waiting.cancel()
        #expect(await waiting.value == false, "a cancelled caller is not let in")
        #expect(politeness.waitingCount(host) == 0)
    }

    @Test func idleHostsWhoseSpacingHasPassedAreForgotten() async {
        let politeness = HostPoliteness(perHost: 2, spacing: .seconds(2), clock: clock)
        for i in 0...10_000 {
            let host = HostKey.of("http://h\(i).example/")
            _ = await politeness.admit(host, purpose: .feed)
            politeness.finished(host)
        }
        #expect(politeness.knownHostCount == 10_001, "every host is still within its spacing")
        clock.advance(by: 2.1)
        _ = await politeness.admit(HostKey.of("http://new.example/"), purpose: .feed)
        #expect(politeness.knownHostCount == 1)
    }

    @Test func withoutSpacingNothingWaitsAndNothingIsRemembered() async {
        let politeness = HostPoliteness(perHost: 1, spacing: .zero, clock: clock)
        let host = HostKey.of("http://a.example/")
        for _ in 0..<1_000 {
            #expect(await politeness.admit(host, purpose: .feed))
            politeness.finished(host)
        }
        #expect(politeness.knownHostCount == 0)
    }

    @Test func hostsTakeTurnsAndEachKeepsItsOrder() {
        let politeness = HostPoliteness(perHost: 2, spacing: .zero, clock: clock)
        let urls = ["http://a.example/1", "http://a.example/2", "http://a.example/3", "http://b.example/1", "http://b.example/2", "http://c.example/1"]
        #expect(politeness.order(urls, host: { HostKey.of($0) }) == [
            "http://a.example/1", "http://b.example/1", "http://c.example/1",
            "http://a.example/2", "http://b.example/2", "http://a.example/3",
        ])
    }

    @Test func requestsRunningOrWaitingCountAsTurnsTaken() async {
        let politeness = HostPoliteness(perHost: 1, spacing: .zero, clock: clock)
        let a = HostKey.of("http://a.example/")
        #expect(await politeness.admit(a, purpose: .feed))
        let waiting = Task { await politeness.admit(a, purpose: .feed) }
        while politeness.waitingCount(a) == 0 { await Task.yield() }
        let urls = ["http://a.example/1", "http://b.example/1", "http://b.example/2", "http://b.example/3"]
        #expect(politeness.order(urls, host: { HostKey.of($0) }) == [
            "http://b.example/1", "http://b.example/2", "http://a.example/1", "http://b.example/3",
        ])
        #expect(politeness.order(urls, host: { HostKey.of($0) }, limit: 2) == ["http://b.example/1", "http://b.example/2"])
        politeness.finished(a)
        _ = await waiting.value
        politeness.finished(a)
    }

    @Test func aHostIsItsSchemeNameAndPortInAnyCase() {
        let politeness = HostPoliteness(perHost: 2, spacing: .zero, clock: clock)
        let urls = ["http://a.example/1", "http://A.EXAMPLE/2", "http://a.example:8080/1", "https://a.example/1"]
        #expect(politeness.order(urls, host: { HostKey.of($0) }) == [
            "http://a.example/1", "http://a.example:8080/1", "https://a.example/1", "http://A.EXAMPLE/2",
        ])
    }
}

/// What tasks did, in order.
private final class Log<Item: Sendable>: Sendable {
    private let list = Mutex<[Item]>([])
    func append(_ item: Item) { list.withLock { $0.append(item) } }
    var items: [Item] { list.withLock { $0 } }
}

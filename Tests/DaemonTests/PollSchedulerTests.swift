// SPDX-License-Identifier: MIT
@testable import Daemon
import Fetching
import Foundation
import Logging
import ServiceLifecycle
import Store
import Synchronization
import TestSupport
import Testing

/// `run`'s services on a ``ManualClock``: the schedule is followed to the second of clock time, and no
/// test waits for real time to pass.
@Suite(.timeLimit(.minutes(2))) struct PollSchedulerTests {
    let clock = ManualClock()
    let site = SiteContent()
    let directory: String

    init() throws {
        directory = try makeScratchDirectory("scheduler")
        try "war-planes = Russia AND Syria AND aircraft\n".write(toFile: directory + "/rules.conf", atomically: true, encoding: .utf8)
    }

    /// The daemon over `feeds`, its services running in a group until `body` returns.
    private func running(
        _ feeds: [String], limits: String, interval: String = "1m", _ body: (FeedwatchEngine) async throws -> Void
    ) async throws {
        let text = """
            state_dir: state
            rules: rules.conf
            defaults:
              interval: \(interval)
              full_text: false
            limits:
              \(limits)
            feeds:
            \(feeds.map { "  - url: \($0)" }.joined(separator: "\n"))
            sinks:
              - type: file
                path: alerts.jsonl
            """
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let engine = try await FeedwatchEngine(configuration: try Configuration.parse(text, path: directory + "/feedwatch.yaml"), logger: logger, clock: clock)
        let group = ServiceGroup(services: engine.services(notifier: SystemdNotifier(environment: [:])), logger: logger)
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask { try await group.run() }
            try await body(engine)
            await settle(engine)
            await group.triggerGracefulShutdown()
        }
    }

    /// Waits (in real time) until no feed is due and every poll under way waits for the clock (none is
    /// fetching or storing), so that what happens next depends only on the clock moving.
    private func settle(_ engine: FeedwatchEngine) async {
        while true {
            let waiting = engine.book.withLock { book in book.inFlight.map { book.records[$0]?.url ?? $0 } }
                .reduce(into: Set<String>()) { $0.insert(HostKey.of($1)) }
                .reduce(0) { $0 + engine.http.politeness.waitingCount($1) }
            let due = engine.nextDue.map { $0 <= clock.now } ?? false
            if engine.inFlightCount == waiting && !due { break }
            try? await Task.sleep(for: .milliseconds(2))
        }
        try? await Task.sleep(for: .milliseconds(5))
    }

    /// Five feeds on one host with ten seconds between requests, each answered `429` with
    /// `Retry-After: 60`: the last one waits 40 s for its turn. Each feed's next request comes at least
    /// 60 s of clock time after the answer, never counted from when its poll began to wait.
    @Test func noRequestComesBeforeTheRetryAfterItsAnswerAsked() async throws {
        let asked = Mutex<[String: [Date]]>([:])
        let clock = clock
        let server = try TestHTTPServer { request in
            asked.withLock { $0[request.path, default: []].append(clock.now) }
            return .respond(status: 429, headers: [("Retry-After", "60")], body: Data("slow down".utf8))
        }
        let feeds = (0..<5).map { server.url("/\($0).xml") }
        try await running(feeds, limits: "host_spacing: 10s") { engine in
            for _ in 0..<300 {
                await settle(engine)
                clock.advance(by: 1)
            }
        }
        let times = asked.withLock { $0 }
        #expect(times.count == 5)
        #expect(times.values.allSatisfy { $0.count >= 2 }, "every feed was asked again within 300 s: \(times)")
        for (path, dates) in times {
            for (earlier, later) in zip(dates, dates.dropFirst()) {
                #expect(later.timeIntervalSince(earlier) >= 60, "\(path): asked again \(later.timeIntervalSince(earlier)) s after a Retry-After: 60")
            }
        }
        let starts = times.values.flatMap { $0 }.sorted()
        #expect(zip(starts, starts.dropFirst()).allSatisfy { $1.timeIntervalSince($0) >= 10 }, "requests to the host are 10 s apart")
    }

    /// A feed is polled when it is due and not before; between polls the daemon only sleeps.
    @Test func aFeedIsPolledEveryIntervalOfClockTime() async throws {
        let asked = Mutex<[Date]>([])
        let clock = clock
        let start = clock.now
        let server = try TestHTTPServer { _ in
            asked.withLock { $0.append(clock.now) }
            return .respond(status: 200, headers: [("Content-Type", "application/rss+xml")], body: Data(SiteContent.rss(items: []).utf8))
        }
        try await running([server.url("/feed.xml")], limits: "host_spacing: 0ms", interval: "5m") { engine in
            for _ in 0..<(16 * 60 / 10) {
                await settle(engine)
                clock.advance(by: 10)
            }
        }
        #expect(asked.withLock { $0.map { $0.timeIntervalSince(start) } } == [0, 300, 600, 900])
    }
}

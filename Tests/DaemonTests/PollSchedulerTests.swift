// SPDX-License-Identifier: MIT
import Daemon
import Fetching
import Foundation
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

    /// The daemon over `feeds`, its services running until `body` returns.
    private func running(
        _ feeds: [String], limits: String, interval: String = "1m", _ body: (ClockedDaemon) async throws -> Void
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
        try await ClockedDaemon.run(text, in: directory, clock: clock, body)
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
        try await running(feeds, limits: "host_spacing: 10s") { daemon in
            await daemon.advance(by: 300, step: 1)
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
        try await running([server.url("/feed.xml")], limits: "host_spacing: 0ms", interval: "5m") { daemon in
            await daemon.advance(by: 16 * 60, step: 10)
        }
        #expect(asked.withLock { $0.map { $0.timeIntervalSince(start) } } == [0, 300, 600, 900])
    }
}

// SPDX-License-Identifier: MIT
import Alerts
@testable import Daemon
import Foundation
import GRDB
@testable import Store
import Synchronization
import TestSupport
import Testing

/// The state database refusing every write (SQLite's `query_only`: what a read-only file system or a
/// full disk leaves) while `run` polls 20 feeds every 3 s on a manual clock: polling stops instead of
/// storming the servers, what the polls learnt waits in memory, and once writes work again every story
/// published after a feed's first fetch is alerted once, none twice, none false.
@Suite(.timeLimit(.minutes(2))) struct StoreOutageTests {
    let clock = ManualClock()
    let directory: String
    let feeds = 20

    init() throws {
        directory = try makeScratchDirectory("outage")
        try "quake = earthquake\n".write(toFile: directory + "/rules.conf", atomically: true, encoding: .utf8)
    }

    /// Feed `n` publishes an earthquake story every 5 s of clock time from `start`; three old ones before.
    private func server(start: Date, log: ServerLog) throws -> TestHTTPServer {
        let clock = clock
        return try TestHTTPServer { request in
            let feed = Int(request.path.dropFirst().split(separator: ".")[0]) ?? -1
            let now = clock.now
            log.asked.withLock { $0[feed, default: []].append(now) }
            log.firstServed.withLock { if $0[feed] == nil { $0[feed] = now } }
            let count = Int(now.timeIntervalSince(start) / 5)
            let items = (-3...count).reversed().prefix(20).map { k in
                (guid: Optional("\(feed)-\(k)"), title: "Earthquake report \(feed)-\(k)", link: "http://example.org/\(feed)/\(k)", description: "An earthquake.")
            }
            return .respond(status: 200, headers: [("Content-Type", "application/rss+xml")], body: Data(SiteContent.rss(items: items).utf8))
        }
    }

    private func setWritable(_ engine: FeedwatchEngine, _ writable: Bool) async throws {
        try await #require(engine.store as? SQLiteStore).pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA query_only = \(writable ? 0 : 1)") }
    }

    @Test(arguments: [false, true])
    func pollingPausesAndNothingIsLostOrRepeated(fromTheStart: Bool) async throws {
        let start = clock.now
        let log = ServerLog()
        let server = try server(start: start, log: log)
        let configuration = """
            state_dir: state
            rules: rules.conf
            metrics_file: metrics.prom
            defaults:
              interval: 3s
              full_text: false
            limits:
              host_spacing: 0ms
              per_host: 4
            feeds:
            \((0..<feeds).map { "  - url: \(server.url("/\($0).xml"))" }.joined(separator: "\n"))
            sinks:
              - type: file
                path: alerts.jsonl
            """
        var outage: (from: Date, to: Date)!
        try await ClockedDaemon.run(configuration, in: directory, clock: clock) { daemon in
            if !fromTheStart { await daemon.advance(by: 20, step: 1) }
            try await setWritable(daemon.engine, false)
            let from = clock.now
            await daemon.advance(by: 60, step: 1)
            #expect(daemon.engine.outage.isActive)
            #expect(daemon.engine.statusLine.contains("the state database cannot be written since"), "\(daemon.engine.statusLine)")
            await daemon.engine.writeMetrics()
            let metrics = try String(contentsOfFile: directory + "/metrics.prom", encoding: .utf8)
            // The outage began with the first poll that could not be stored, within a poll interval of the switch.
            let gauge = metrics.split(separator: "\n").first { $0.hasPrefix("feedwatch_state_unwritable_seconds ") }
            let seconds = try #require(gauge.flatMap { Double($0.split(separator: " ")[1]) })
            #expect((56...60).contains(seconds), "\(seconds)")
            try await setWritable(daemon.engine, true)
            outage = (from, clock.now)
            // The store is next tried up to 32 s after the switch back (the backoff), then polling resumes.
            await daemon.advance(by: 45, step: 1)
            #expect(!daemon.engine.outage.isActive)
        }
        let times = log.asked.withLock { $0 }
        for feed in 0..<feeds {
            // A poll under way when writes stopped, then the retries of the store (no requests) until they work.
            let during = times[feed, default: []].filter { $0 > outage.from.addingTimeInterval(3) && $0 < outage.to }
            #expect(during.count == 0, "feed \(feed): \(during.count) requests while the store could not keep a poll")
            #expect(times[feed, default: []].filter { $0 >= outage.to }.count >= 5, "feed \(feed) is polled again")
        }
        let text = (try? String(contentsOfFile: directory + "/alerts.jsonl", encoding: .utf8)) ?? ""
        let alerts = try text.split(separator: "\n").map { try Alert(jsonLine: $0) }
        var count: [String: Int] = [:]
        for alert in alerts { count[alert.entry.id ?? "", default: 0] += 1 }
        #expect(count.values.allSatisfy { $0 == 1 }, "repeated: \(count.filter { $0.value > 1 })")
        let served = log.firstServed.withLock { $0 }
        var expected: Set<String> = []
        for feed in 0..<feeds {
            let baseline = try #require(served[feed])
            let last = Int(outage.to.timeIntervalSince(start) / 5)
            for k in 0...last where start.addingTimeInterval(Double(k) * 5) > baseline { expected.insert("\(feed)-\(k)") }
        }
        #expect(expected.isSubset(of: Set(count.keys)), "missed: \(expected.subtracting(count.keys).sorted().prefix(20))")
        #expect(Set(count.keys).allSatisfy { !$0.hasSuffix("--1") && !$0.hasSuffix("--2") && !$0.hasSuffix("--3") }, "an old story alerted")
    }
}

/// When the server was asked for each feed, and when it first answered.
private final class ServerLog: Sendable {
    let asked = Mutex<[Int: [Date]]>([:])
    let firstServed = Mutex<[Int: Date]>([:])
}

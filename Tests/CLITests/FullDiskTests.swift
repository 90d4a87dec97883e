// SPDX-License-Identifier: MIT
import Alerts
import Foundation
import Glibc
import Synchronization
import TestSupport
import Testing

/// The real binary with its state directory and alert file on a small tmpfs that fills up: 200 feeds
/// polled every 3 s, each publishing an earthquake story every 10 s, the disk full for 60 s. Polling
/// pauses (no feed asked more than twice its rate in any 10 s), the log says so a few times (not once per
/// poll), and once space returns every story published after the daemon's first fetch of its feed is
/// alerted exactly once; the alert file never holds half a line.
@Suite(.serialized, .timeLimit(.minutes(5))) struct FullDiskTests {
    static let feeds = 200
    static let storyEvery: TimeInterval = 10

    /// The farm: feed `f` publishes story `k` at `start + k·10 s + f mod 10`; three older stories exist.
    final class Farm: Sendable {
        let start = Date()
        private let stopAt = Mutex(Date.distantFuture)
        let asked = Mutex<[Int: [Date]]>([:])
        /// The newest story in each feed's first answer.
        let firstNewest = Mutex<[Int: Int]>([:])
        /// While set, answers wait.
        let holding = Mutex(false)

        /// The newest story of `feed` published by `time`.
        func newest(_ feed: Int, at time: Date) -> Int {
            let elapsed = min(time, stopAt.withLock { $0 }).timeIntervalSince(start) - Double(feed % 10)
            return elapsed < 0 ? -1 : Int(elapsed / FullDiskTests.storyEvery)
        }

        /// No story is published from now on.
        func stopPublishing() { stopAt.withLock { $0 = Date() } }

        func reply(_ request: TestHTTPServer.Request) -> TestHTTPServer.Reply {
            while holding.withLock({ $0 }) { usleep(10_000) }
            let feed = Int(request.path.dropFirst().split(separator: ".")[0]) ?? -1
            let now = Date()
            let newest = newest(feed, at: now)
            asked.withLock { $0[feed, default: []].append(now) }
            firstNewest.withLock { if $0[feed] == nil { $0[feed] = newest } }
            let items = (-3...newest).reversed().prefix(20).map { k in
                (guid: Optional("\(feed)-\(k)"), title: "Earthquake report \(feed)-\(k)", link: "http://example.org/\(feed)/\(k)",
                 description: "An earthquake, story \(k) of feed \(feed), with enough words to make the alert a few hundred bytes long.")
            }
            return .respond(status: 200, headers: [("Content-Type", "application/rss+xml")], body: Data(SiteContent.rss(items: items).utf8))
        }

        /// The stories each feed published after its first answer: the alerts owed.
        func owed() -> Set<String> {
            let first = firstNewest.withLock { $0 }
            var owed: Set<String> = []
            for feed in 0..<FullDiskTests.feeds {
                guard let seen = first[feed] else { continue }
                for k in stride(from: seen + 1, through: newest(feed, at: .distantFuture), by: 1) { owed.insert("\(feed)-\(k)") }
            }
            return owed
        }

        /// The most requests one feed got in any 10 s window.
        func busiestWindow() -> Int {
            asked.withLock { asked in
                asked.values.map { times in
                    var most = 0
                    var first = 0
                    for (last, time) in times.enumerated() {
                        while time.timeIntervalSince(times[first]) >= 10 { first += 1 }
                        most = max(most, last - first + 1)
                    }
                    return most
                }.max() ?? 0
            }
        }
    }

    enum Outage { case fromTheStart, midRun, midRunKilled }

    @Test(arguments: [Outage.midRun, .fromTheStart, .midRunKilled])
    func aFullDiskPausesPollingAndLosesNothing(_ outage: Outage) async throws {
        let directory = try makeScratchDirectory("full-disk")
        let disk = try SmallFileSystem(at: directory + "/disk", size: "64m")
        let farm = Farm()
        let server = try TestHTTPServer { farm.reply($0) }
        try "quake = earthquake\n".write(toFile: directory + "/rules.conf", atomically: true, encoding: .utf8)
        let config = directory + "/feedwatch.yaml"
        try """
            state_dir: \(disk.mountPoint)/state
            rules: \(directory)/rules.conf
            defaults:
              interval: 3s
              full_text: false
            limits:
              host_spacing: 0ms
              per_host: 8
            feeds:
            \((0..<Self.feeds).map { "  - url: \(server.url("/\($0).xml"))" }.joined(separator: "\n"))
            sinks:
              - type: file
                path: \(disk.mountPoint)/alerts.jsonl
            """.write(toFile: config, atomically: true, encoding: .utf8)

        var logs = ""
        if outage == .fromTheStart { farm.holding.withLock { $0 = true } }
        var daemon = try DaemonProcess(["run", "--config", config], directory: directory, inside: disk)
        if outage == .fromTheStart {
            // The database open and the first polls waiting for their answers: the disk fills before
            // any first fetch (a feed's baseline) can be stored, and grows a minute later.
            #expect(await eventually(timeout: .seconds(20)) { daemon.stderr.contains("feedwatch started") && !server.requests.isEmpty })
            disk.fill()
            farm.holding.withLock { $0 = false }
            #expect(await eventually(timeout: .seconds(20)) { daemon.stderr.contains("cannot be written") }, "\(daemon.stderr)")
            try await Task.sleep(for: .seconds(60))
            try disk.remount("size=128m")
        } else {
            try await Task.sleep(for: .seconds(8))
            disk.fill()
            #expect(await eventually(timeout: .seconds(20)) { daemon.stderr.contains("cannot be written") }, "\(daemon.stderr)")
            if outage == .midRunKilled {
                try await Task.sleep(for: .seconds(30))
                daemon.signal(SIGKILL)
                #expect(await daemon.waitForExit(timeout: .seconds(5)) != nil)
                logs += daemon.stderr
                try await Task.sleep(for: .seconds(30))
                disk.free()
                daemon = try DaemonProcess(["run", "--config", config], directory: directory, inside: disk)
            } else {
                try await Task.sleep(for: .seconds(60))
                disk.free()
            }
        }
        try await Task.sleep(for: .seconds(8))
        farm.stopPublishing()
        let owed = farm.owed()
        func alerts() throws -> [Alert] {
            let text = (try? String(contentsOfFile: disk.path("alerts.jsonl"), encoding: .utf8)) ?? ""
            return try text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { try Alert(jsonLine: String($0)) }
        }
        #expect(try await eventually(timeout: .seconds(40)) { try alerts().count >= owed.count }, "\(daemon.stderr)")
        try await Task.sleep(for: .seconds(4))
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: .seconds(10)) == 0, "the daemon lived through it")
        logs += daemon.stderr

        let written = try alerts()
        let stories = written.compactMap(\.entry.id)
        #expect(Set(stories) == owed, "missing \(owed.subtracting(stories).sorted().prefix(10)), false \(Set(stories).subtracting(owed).sorted().prefix(10))")
        #expect(stories.count == Set(stories).count, "no story alerted twice")
        #expect(farm.busiestWindow() <= 6, "configured: 10/3 requests in 10 s")
        // Everything but the one line per feed about its first fetch, which the outage has no part in.
        let lines = logs.split(separator: "\n").filter { !$0.contains(" first fetch: ") }
        #expect(lines.count <= 200, "\(lines.count) log lines:\n\(lines.prefix(40).joined(separator: "\n"))")
        print("full disk \(outage): \(owed.count) stories owed, \(written.count) alerted; busiest feed \(farm.busiestWindow()) requests in 10 s; \(lines.count) log lines")
    }

    /// The alert file (or standard output sent to a file) on a disk with room for a few alerts more:
    /// each line is whole or absent, and once space returns every alert is there, once.
    @Test(arguments: ["file", "stdout"])
    func theAlertFileNeverHoldsHalfALine(sink: String) async throws {
        let directory = try makeScratchDirectory("full-sink")
        let disk = try SmallFileSystem(at: directory + "/disk", size: "1m")
        let site = SiteContent()
        let server = try TestHTTPServer { site.reply($0) }
        let filler = String(repeating: "The earthquake shook the coast and the rescuers worked through the night. ", count: 6)
        site.set("/feed.xml", body: SiteContent.rss(items: (0..<30).map { k in
            (guid: "quake-\(k)", title: "Earthquake report \(k)", link: server.url("/\(k)"), description: filler)
        }))
        try "quake = earthquake\n".write(toFile: directory + "/rules.conf", atomically: true, encoding: .utf8)
        let config = directory + "/feedwatch.yaml"
        try """
            state_dir: \(directory)/state
            rules: \(directory)/rules.conf
            defaults:
              interval: 1h
              full_text: false
              alert_existing: true
            feeds:
              - url: \(server.url("/feed.xml"))
            sinks:
            \(sink == "file" ? "  - type: file\n    path: \(disk.mountPoint)/alerts.jsonl" : "  - type: stdout")
            # The 30 items share their text: 30 alerts here, not one story.
            stories: off
            """.write(toFile: config, atomically: true, encoding: .utf8)
        // A short line starts the file's only page; the rest of the disk is taken, so the page's slack
        // (about 4 KiB: a few alerts) is all there is, and the alert that reaches past it is cut short.
        try "{\"note\": \"alerts follow\"}\n".write(toFile: disk.path("alerts.jsonl"), atomically: false, encoding: .utf8)
        disk.fill()
        func lines() -> [Substring] {
            ((try? String(contentsOfFile: disk.path("alerts.jsonl"), encoding: .utf8)) ?? "").split(separator: "\n", omittingEmptySubsequences: false)
        }
        let daemon = try DaemonProcess(["run", "--config", config], directory: directory, inside: disk,
                                       standardOutput: sink == "stdout" ? disk.path("alerts.jsonl") : nil)
        #expect(await eventually(timeout: .seconds(20)) { daemon.stderr.contains("No space left on device") }, "\(daemon.stderr)")
        try await Task.sleep(for: .seconds(2))
        let whileFull = lines()
        #expect(whileFull.last == "", "the file ends with a whole line")
        #expect((2..<30).contains(whileFull.count - 2), "some alerts fit, not all: \(whileFull.count - 2)")
        for line in whileFull.dropFirst().dropLast() { #expect((try? Alert(jsonLine: String(line))) != nil, "\(line.prefix(80))…") }

        disk.free()
        #expect(await eventually(timeout: .seconds(30)) { lines().count - 2 >= 30 }, "\(daemon.stderr)")
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: .seconds(10)) == 0)
        let alerts = try lines().dropFirst().dropLast().map { try Alert(jsonLine: String($0)) }
        #expect(alerts.compactMap(\.entry.id).sorted() == (0..<30).map { "quake-\($0)" }.sorted())
    }
}

/// A state directory on a read-only file system is named at start, with the fix; nothing runs.
@Suite struct ReadOnlyStateTests {
    @Test func aReadOnlyStateDirectoryIsNamedWithTheFix() async throws {
        let directory = try makeScratchDirectory("read-only")
        let disk = try SmallFileSystem(at: directory + "/disk", size: "1m")
        try disk.remount("ro")
        try "quake = earthquake\n".write(toFile: directory + "/rules.conf", atomically: true, encoding: .utf8)
        try """
            state_dir: \(disk.mountPoint)/state
            rules: \(directory)/rules.conf
            feeds:
              - url: http://127.0.0.1:\(TestHTTPServer.closedPort())/feed.xml
            sinks:
              - type: stdout
            """.write(toFile: directory + "/feedwatch.yaml", atomically: true, encoding: .utf8)
        for command in ["run", "once", "check"] {
            let daemon = try DaemonProcess([command, "--config", directory + "/feedwatch.yaml"], directory: directory, inside: disk)
            let status = await daemon.waitForExit(timeout: .seconds(20))
            #expect(status != nil && status != 0, "\(command)")
            #expect(daemon.stderr.contains("\(disk.mountPoint) is on a read-only file system; choose a state_dir on a writable one"), "\(command): \(daemon.stderr)")
        }
    }
}

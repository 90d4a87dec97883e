// SPDX-License-Identifier: MIT
import Alerts
import Foundation
import Glibc
import TestSupport
import Testing

/// The daemon end to end: the real binary, a real HTTP server on 127.0.0.1, the seed story.
@Suite(.serialized) struct DaemonCommandTests {
    let site = SiteContent()
    let server: TestHTTPServer
    let directory: String

    static let seedPage: String = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../ExtractionTests/Fixtures/seed-wordpress.html").standardized.path
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }()

    init() throws {
        let site = site
        server = try TestHTTPServer { site.reply($0) }
        directory = try makeScratchDirectory("e2e")
        try write("rules.conf", "# watch rules\nrussia-syria-aircraft = Russia AND Syria AND aircraft\n")
        try write("feedwatch.yaml", """
            state_dir: state
            rules: rules.conf
            defaults:
              interval: 1s
            feeds:
              - url: \(server.url("/feed.xml"))
                name: Seed News
            sinks:
              - type: file
                path: alerts.jsonl
            """)
    }

    private func write(_ name: String, _ text: String) throws {
        try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
    }

    private var config: String { directory + "/feedwatch.yaml" }

    private func alerts() throws -> [Alert] {
        guard let text = try? String(contentsOfFile: directory + "/alerts.jsonl", encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { try Alert(jsonLine: $0) }
    }

    private func publish(_ items: [(guid: String?, title: String, link: String, description: String)]) {
        site.set("/feed.xml", body: SiteContent.rss(title: "Seed News", items: items))
    }

    private func seedItem(guid: String) -> (guid: String?, title: String, link: String, description: String) {
        (guid, "Russia and Syria coordinate", server.url("/story.html"), "Talks between Russia and Syria on Friday.")
    }

    /// A stop leaves the database file whole on its own (a copy of it alone is a backup): nothing is
    /// waiting in its write-ahead log.
    private func expectDatabaseFileWhole(sourceLocation: SourceLocation = #_sourceLocation) {
        let log = try? FileManager.default.attributesOfItem(atPath: directory + "/state/feedwatch.sqlite-wal")[.size] as? Int
        #expect((log ?? 0) == 0, "\(log ?? 0) bytes left in the write-ahead log", sourceLocation: sourceLocation)
    }

    private let oldItem: (guid: String?, title: String, link: String, description: String) =
        ("old-1", "Yesterday", "http://127.0.0.1:9/old.html", "An older story.")

    @Test func onceAlertsExactlyOnceAcrossGuidChangesAndReuse() throws {
        #expect(!Self.seedPage.isEmpty)
        site.set("/story.html", body: Self.seedPage)
        publish([oldItem])
        var result = try FeedwatchProcess.run(["once", "--config", config, "--all"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("polled 1 feed (0 failed): 1 new entries, 0 alerts"))
        #expect(try alerts().isEmpty)
        expectDatabaseFileWhole()

        // A new item whose feed text lacks "aircraft": only the cleaned page can match.
        publish([seedItem(guid: "story-1"), oldItem])
        result = try FeedwatchProcess.run(["once", "--config", config, "--all"])
        #expect(result.status == 0, "\(result.stderr)")
        var all = try alerts()
        #expect(all.count == 1)
        let alert = try #require(all.first)
        #expect(alert.schema == 1 && alert.id.count == 16 && alert.rule == "russia-syria-aircraft")
        #expect(alert.feed.url == server.url("/feed.xml") && alert.feed.title == "Seed News")
        #expect(alert.entry.url == server.url("/story.html") && alert.entry.title == "Russia and Syria coordinate")
        #expect(alert.entry.id?.hasSuffix("story-1") == true)
        #expect(alert.matched == ["russia", "syria", "aircraft"] && alert.source == .page)
        #expect(alert.snippet.contains("**aircraft**"))
        #expect(ISO8601DateFormatter().date(from: alert.ts) != nil)

        // Polled again: nothing new.
        result = try FeedwatchProcess.run(["once", "--config", config, "--all"])
        #expect(try alerts().count == 1)

        // The same story under a new guid: not new.
        publish([seedItem(guid: "story-1-renumbered"), oldItem])
        result = try FeedwatchProcess.run(["once", "--config", config, "--all"])
        #expect(try alerts().count == 1, "\(result.stderr)")

        // Another story reusing the first guid: new, one alert.
        // (A story of its own: a copy of the first story's text would join that story and not alert again.)
        site.set("/story2.html", body: """
            <html><head><title>More Russian aircraft in Syria</title></head><body><article><h1>More Russian aircraft in Syria</h1>
            <p>PARIS — A second squadron of Russian aircraft landed at the Hmeimim air base in Syria on Thursday, according to
            satellite images published by a French research institute, which counted fourteen new jets parked beside the runway.</p>
            <p>The institute said Russia had doubled the number of combat aircraft at the base within a month, and that
            transport planes had flown in spare parts, fuel and ground crews over the previous week.</p>
            <p>Diplomats in Paris said the build-up would be raised at a meeting of foreign ministers next week, where the
            future of the ceasefire talks and the return of displaced families are also on the agenda.</p>
            </article></body></html>
            """)
        publish([("story-1", "More Russian aircraft in Syria", server.url("/story2.html"), "Another day."), oldItem])
        result = try FeedwatchProcess.run(["once", "--config", config, "--all"])
        all = try alerts()
        #expect(all.count == 2, "\(result.stderr)")
        #expect(all.last?.entry.url == server.url("/story2.html"))
        #expect(Set(all.map(\.id)).count == 2)

        let status = try FeedwatchProcess.run(["status", "--config", config])
        #expect(status.status == 0)
        #expect(status.stdout.contains("entries: 3, alerts: 2"), "a renumbered guid is not a new entry")
    }

    @Test func onceExitsThreeWhenNothingCouldBeFetched() throws {
        try write("feedwatch.yaml", """
            state_dir: state
            rules: rules.conf
            feeds:
              - url: http://127.0.0.1:\(TestHTTPServer.closedPort())/feed.xml
            sinks:
              - type: stdout
            """)
        let result = try FeedwatchProcess.run(["once", "--config", config])
        #expect(result.status == 3)
        #expect(result.stderr.contains("refused"))
        #expect(result.stderr.contains("no feed could be fetched"))
    }

    /// `once` fetches while a new state database is created; when it cannot be (here its path is a
    /// dangling symbolic link), the failure is reported once, not once per feed, and nothing alerts.
    /// `run` fails before it is ready.
    @Test func aStateDatabaseThatCannotBeCreatedIsReportedOnce() async throws {
        try write("feedwatch.yaml", """
            state_dir: state
            rules: rules.conf
            defaults:
              alert_existing: true
            feeds:
              - url: \(server.url("/feed.xml"))
              - url: \(server.url("/missing-1.xml"))
              - url: \(server.url("/missing-2.xml"))
            sinks:
              - type: file
                path: alerts.jsonl
            """)
        publish([seedItem(guid: "story-1")])
        site.set("/story.html", body: Self.seedPage)
        try FileManager.default.createDirectory(atPath: directory + "/state", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: directory + "/state/feedwatch.sqlite", withDestinationPath: directory + "/gone/db")

        let once = try FeedwatchProcess.run(["once", "--config", config])
        #expect(once.status == 3)
        #expect(once.stderr.components(separatedBy: "cannot open the state database").count == 2, "\(once.stderr)")
        #expect(try alerts().isEmpty)
        let run = try DaemonProcess(["run", "--config", config], directory: directory)
        #expect(await run.waitForExit(timeout: .seconds(10)) == 3)
        #expect(run.stderr.contains("cannot open the state database \(directory)/state/feedwatch.sqlite"))
        #expect(!run.stderr.contains("feedwatch started"))
    }

    /// The rules file is read while the rest of the configuration is: an error in it still stops
    /// `once` and `run` (exit 1, with its position) before any feed is fetched.
    @Test func aBrokenRulesFileStopsOnceAndRunBeforeAnyFetch() async throws {
        try write("rules.conf", "ok = Russia\nbad = (Syria\n")
        publish([seedItem(guid: "story-1")])
        let once = try FeedwatchProcess.run(["once", "--config", config])
        #expect(once.status == 1)
        #expect(once.stderr.contains("rules.conf:2:13: expected ')'"), "\(once.stderr)")
        let run = try DaemonProcess(["run", "--config", config], directory: directory)
        #expect(await run.waitForExit(timeout: .seconds(10)) == 1)
        #expect(run.stderr.contains("rules.conf:2:13: expected ')'"))
        #expect(server.requests.isEmpty)
    }

    @Test func onceOnATerminalKeepsItsProgressLineBelowTheLog() throws {
        // The second feed answers late, so its "first fetch" log line comes while the progress line shows.
        let feed = Data(SiteContent.rss(items: [("g1", "A story", "http://127.0.0.1/a", "Text.")]).utf8)
        let slow = try TestHTTPServer { request in
            let reply = TestHTTPServer.Reply.respond(status: 200, body: feed)
            return request.path == "/late.xml" ? .delayed(.milliseconds(400), reply) : reply
        }
        try write("feedwatch.yaml", """
            state_dir: state
            rules: rules.conf
            feeds:
              - url: \(slow.url("/early.xml"))
              - url: \(slow.url("/late.xml"))
            sinks:
              - type: stdout
            """)
        // util-linux's script(1) gives the command a terminal and copies what it shows.
        let terminal = Process()
        terminal.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        terminal.arguments = ["-qec", "'\(FeedwatchProcess.binary.path)' once --config '\(config)'", "/dev/null"]
        let out = Pipe()
        terminal.standardOutput = out
        terminal.standardInput = Pipe()
        try terminal.run()
        let shown = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        terminal.waitUntilExit()
        #expect(terminal.terminationStatus == 0, "\(shown)")
        let erase = "\r\u{1B}[K"
        #expect(shown.contains(erase + "[1/2] 1 new, 0 alerts, 0 errors"), "\(shown)")
        // The late feed's log line clears the progress line, starts a line of its own, and the progress
        // line is drawn again below it.
        #expect(shown.contains(erase) && shown.contains("late.xml\r\n[1/2] 1 new, 0 alerts, 0 errors"), "\(shown)")
        #expect(shown.contains(" info first fetch: 1 entry recorded as seen without alerting feed.url="), "\(shown)")
        #expect(!shown.contains("errors2"), "a log line ran on after the progress line: \(shown)")
        #expect(shown.hasSuffix(erase + "feedwatch: polled 2 feeds (0 failed): 2 new entries, 0 alerts, 0 delivered\r\n"), "\(shown)")
    }

    @Test func runTalksToSystemdAndPicksUpRuleEdits() async throws {
        site.set("/story.html", body: Self.seedPage)
        publish([oldItem])
        let notify = try NotifySocket(directory: directory)
        let daemon = try DaemonProcess(["run", "--config", config],
                                       environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "1000000"], directory: directory)
        #expect(await eventually { notify.has("READY=1") }, "\(daemon.stderr)")
        #expect(await eventually { notify.messages.contains { $0.hasPrefix("STATUS=") || $0.contains("\nSTATUS=") } })
        #expect(await eventually { notify.count("WATCHDOG=1") >= 2 })
        #expect(await eventually { daemon.stderr.contains("first fetch") }, "\(daemon.stderr)")

        // A new rule, written while the daemon runs, applies without a restart.
        try write("rules.conf", "russia-syria-aircraft = Russia AND Syria AND aircraft\nmoscow = Moscow\n")
        #expect(await eventually { daemon.stderr.contains("rules reloaded: 2 rules") }, "\(daemon.stderr)")
        publish([seedItem(guid: "story-1"), oldItem])
        #expect(await eventually { (try? alerts().count) == 2 }, "\(daemon.stderr)")
        #expect(Set(try alerts().map(\.rule)) == ["russia-syria-aircraft", "moscow"])

        // A broken rules file is rejected whole, with its position; the rules in force stay.
        try write("rules.conf", "russia-syria-aircraft = Russia AND Syria AND aircraft\nbroken = (Moscow AND\nparis = Paris\n")
        // The error and the rules kept are two log lines: wait for both.
        #expect(await eventually { daemon.stderr.contains("rules.conf:2:") && daemon.stderr.contains("previous 2 rules stay in force") },
                "\(daemon.stderr)")
        site.set("/story3.html", body: """
            <html><head><title>Moscow again</title></head><body><article><h1>Moscow again</h1>
            <p>MADRID — Officials in Moscow confirmed on Friday that Russia would keep its aircraft in Syria through the winter,
            dismissing reports from Western capitals that the air group was about to be reduced.</p>
            <p>A defence ministry spokesman told a briefing that the crews would rotate every three months and that a new radar
            station near the coast had been completed ahead of schedule.</p>
            <p>Spanish officials, who are hosting a conference on the region next month, said they expected the question to
            dominate the first day and had invited observers from both sides.</p>
            </article></body></html>
            """)
        publish([("story-3", "Moscow again", server.url("/story3.html"), "More."), seedItem(guid: "story-1"), oldItem])
        #expect(await eventually { (try? alerts().count) == 4 }, "\(daemon.stderr)")

        // SIGHUP: RELOADING, then READY again.
        let readyBefore = notify.count("READY=1")
        daemon.signal(SIGHUP)
        #expect(await eventually { notify.has("RELOADING=1") && notify.count("READY=1") > readyBefore }, "\(daemon.stderr)")
        #expect(notify.messages.contains { $0.contains("RELOADING=1\nMONOTONIC_USEC=") })

        // SIGTERM: STOPPING, and a clean exit well within 10 s.
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: .seconds(10)) == 0, "\(daemon.stderr)")
        #expect(notify.has("STOPPING=1"))
        expectDatabaseFileWhole()
        #expect(!daemon.stdout.contains("russia-syria-aircraft"), "alerts never go to the log or stdout unless configured")
    }

    @Test func journaldPrioritiesPrefixLogLinesUnderSystemd() async throws {
        publish([oldItem])
        let daemon = try DaemonProcess(["run", "--config", config], environment: ["JOURNAL_STREAM": "8:12345"], directory: directory)
        #expect(await eventually { daemon.stderr.contains("<6>first fetch") || daemon.stderr.contains("<6>feedwatch started") }, "\(daemon.stderr)")
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: .seconds(10)) == 0)
        #expect(daemon.stderr.split(separator: "\n").allSatisfy { $0.hasPrefix("<") })
    }
}

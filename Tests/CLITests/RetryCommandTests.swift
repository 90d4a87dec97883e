// SPDX-License-Identifier: MIT
import Alerts
import Foundation
import TestSupport
import Testing

/// `feedwatch retry`: dead letters go back to their sink once it is mended, with the real binary.
struct RetryCommandTests {
    let site = SiteContent()
    let server: TestHTTPServer
    let directory: String

    init() throws {
        let site = site
        server = try TestHTTPServer { site.reply($0) }
        directory = try makeScratchDirectory("retry")
        try "jets = jets\n".write(toFile: directory + "/rules.conf", atomically: true, encoding: .utf8)
    }

    private var config: String { directory + "/feedwatch.yaml" }

    private func configure(pager command: String) throws {
        try """
            state_dir: state
            rules: rules.conf
            defaults:
              full_text: false
            feeds:
              - url: \(server.url("/feed.xml"))
            sinks:
              - type: exec
                name: pager
                command: [\(command)]
                attempts: 1
            """.write(toFile: config, atomically: true, encoding: .utf8)
    }

    private func publish(_ guids: [String]) {
        site.set("/feed.xml", body: SiteContent.rss(items: guids.map { ($0, "Story \($0)", server.url("/\($0).html"), "New jets") }))
    }

    @Test func deadLettersAreDeliveredOnceTheSinkIsMended() throws {
        try configure(pager: "/bin/false")
        publish([])
        #expect(try FeedwatchProcess.run(["once", "--config", config]).status == 0)
        publish(["a"])
        _ = try FeedwatchProcess.run(["once", "--all", "--config", config])
        let status = try FeedwatchProcess.run(["status", "--config", config])
        #expect(status.stdout.contains("1 dead letters"), "\(status.stdout)")
        let metrics = try FeedwatchProcess.run(["status", "--prometheus", "--config", config])
        #expect(metrics.status == 0, "\(metrics.stderr)")
        #expect(metrics.stdout.contains("feedwatch_feeds{state=\"total\"} 1\n"))
        #expect(metrics.stdout.contains("feedwatch_alerts_total{rule=\"jets\"} 1\n"))
        #expect(metrics.stdout.contains("feedwatch_dead_letters{sink=\"pager\"} 1\n"))
        #expect(metrics.stdout.contains("feedwatch_outbox_alerts{sink=\"pager\"} 0\n"))

        let unknown = try FeedwatchProcess.run(["retry", "--sink", "chat", "--config", config])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no sink named 'chat'") && unknown.stderr.contains("pager"))

        let delivered = directory + "/delivered.jsonl"
        try configure(pager: "/bin/sh, -c, \"cat >> \(delivered)\"")
        let retry = try FeedwatchProcess.run(["retry", "--config", config])
        #expect(retry.status == 0, "\(retry.stderr)")
        #expect(retry.stdout.contains("pager: 1 dead letter back in the outbox"))
        #expect(try FeedwatchProcess.run(["once", "--config", config]).status == 0)
        let text = try String(contentsOfFile: delivered, encoding: .utf8)
        #expect(try Alert(jsonLine: Substring(text.trimmingCharacters(in: .newlines))).entry.url == server.url("/a.html"))
        #expect(try FeedwatchProcess.run(["retry", "--config", config]).stdout.contains("no dead letters to retry"))
    }

    /// A running daemon hears of dead letters put back by `feedwatch retry` (it watches the state
    /// directory instead of asking the database over and over) and delivers them at once.
    @Test(.timeLimit(.minutes(1))) func aRunningDaemonDeliversRequeuedDeadLettersAtOnce() async throws {
        try configure(pager: "/bin/false")
        publish([])
        #expect(try FeedwatchProcess.run(["once", "--config", config]).status == 0)
        publish(["a"])
        _ = try FeedwatchProcess.run(["once", "--all", "--config", config])
        let delivered = directory + "/delivered.jsonl"
        try configure(pager: "/bin/sh, -c, \"cat >> \(delivered)\"")
        let daemon = try DaemonProcess(["run", "--config", config], directory: directory)
        #expect(await eventually { daemon.stderr.contains("feedwatch started") }, "\(daemon.stderr)")
        try await Task.sleep(for: .milliseconds(300))
        #expect(!FileManager.default.fileExists(atPath: delivered), "a dead letter waits for `retry`")
        #expect(try FeedwatchProcess.run(["retry", "--config", config]).status == 0)
        #expect(await eventually(timeout: .seconds(5)) { FileManager.default.fileExists(atPath: delivered) }, "\(daemon.stderr)")
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: .seconds(15)) == 0)
        let text = try String(contentsOfFile: delivered, encoding: .utf8)
        #expect(try Alert(jsonLine: Substring(text.trimmingCharacters(in: .newlines))).entry.url == server.url("/a.html"))
    }
}

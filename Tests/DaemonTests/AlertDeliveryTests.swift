// SPDX-License-Identifier: MIT
import Alerts
import Foundation
import Logging
import Store
import TestSupport
import Testing
@testable import Daemon

/// Sinks that fail retry with backoff, then dead-letter, while the others keep delivering; routes
/// send a rule's alerts only to the sinks it names.
@Suite struct AlertDeliveryTests {
    let site = SiteContent()
    let server: TestHTTPServer
    let directory: String

    init() throws {
        let site = site
        server = try TestHTTPServer { site.reply($0) }
        directory = try makeScratchDirectory("delivery")
        try "war-planes = Russia AND Syria AND aircraft\njets = jets\n".write(toFile: directory + "/rules.conf", atomically: true, encoding: .utf8)
    }

    private func engine() async throws -> FeedwatchEngine {
        let text = """
            state_dir: state
            rules: rules.conf
            defaults:
              interval: 1s
              full_text: false
            feeds:
              - url: \(server.url("/feed.xml"))
            sinks:
              - type: file
                name: log
                path: alerts.jsonl
              - type: exec
                name: pager
                command: [/bin/false]
                attempts: 2
              - type: webhook
                name: chat
                url: http://127.0.0.1:\(TestHTTPServer.closedPort())/hook
                attempts: 2
                timeout: 5s
            routes:
              jets: [log]
            """
        let configuration = try Configuration.parse(text, path: directory + "/feedwatch.yaml")
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return try await FeedwatchEngine(configuration: configuration, logger: logger)
    }

    private func fileAlerts() throws -> [Alert] {
        guard let text = try? String(contentsOfFile: directory + "/alerts.jsonl", encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { try Alert(jsonLine: $0) }
    }

    private func item(_ guid: String, _ description: String) -> (guid: String?, title: String, link: String, description: String) {
        (guid, "Story \(guid)", server.url("/\(guid).html"), description)
    }

    @Test func deadSinksRetryThenDeadLetterWhileTheFileKeepsDelivering() async throws {
        site.set("/feed.xml", body: SiteContent.rss(items: []))
        let engine = try await engine()
        _ = await engine.pollOnce(all: true)

        site.set("/feed.xml", body: SiteContent.rss(items: [item("a", "Russia sends aircraft and jets to Syria")]))
        var summary = await engine.pollOnce(all: true)
        #expect(summary.alerts == 2)
        #expect(try fileAlerts().map(\.rule).sorted() == ["jets", "war-planes"])
        var depth = try await engine.store.outboxDepth()
        // jets is routed to the file only; war-planes is owed by the two dead sinks, after one attempt each.
        #expect(depth.pending == ["pager": 1, "chat": 1] && depth.dead.isEmpty)

        // While they wait out their backoff, a new story still reaches the file at once.
        site.set("/feed.xml", body: SiteContent.rss(items: [item("b", "Syria: Russia aircraft"), item("a", "Russia sends aircraft and jets to Syria")]))
        summary = await engine.pollOnce(all: true)
        #expect(summary.alerts == 1 && summary.delivered == 1)
        #expect(try fileAlerts().count == 3)

        let deadLettered = await eventually(timeout: .seconds(20)) {
            await engine.dispatcher.deliverAll()
            let depth = try? await engine.store.outboxDepth()
            return depth?.dead == ["pager": 2, "chat": 2] && depth?.pending.isEmpty == true
        }
        #expect(deadLettered)
        depth = try await engine.store.outboxDepth()
        #expect(depth.dead == ["pager": 2, "chat": 2])
        let errors = try await engine.store.deadLetterErrors()
        #expect(errors["pager"] == "pager: exited with status 1")
        #expect(errors["chat"]?.contains("refused") == true)
        #expect(try fileAlerts().count == 3)
    }

    @Test func retryAfterIsHonouredUpToAnHour() {
        let now = Date(timeIntervalSince1970: 1_000_000)
        #expect(AlertDispatcher.retryTime(attempt: 1, now: now, requested: nil) == now.addingTimeInterval(1))
        #expect(AlertDispatcher.retryTime(attempt: 4, now: now, requested: nil) == now.addingTimeInterval(8))
        #expect(AlertDispatcher.retryTime(attempt: 30, now: now, requested: nil) == now.addingTimeInterval(300))
        #expect(AlertDispatcher.retryTime(attempt: 1, now: now, requested: now.addingTimeInterval(120)) == now.addingTimeInterval(120))
        #expect(AlertDispatcher.retryTime(attempt: 1, now: now, requested: now.addingTimeInterval(86400)) == now.addingTimeInterval(3600))
    }
}

private func eventually(timeout: Duration, _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(100))
    }
    return await condition()
}

// SPDX-License-Identifier: MIT
import Alerts
import Daemon
import Foundation
import Logging
import Store
import TestSupport
import Testing

/// A farm of feeds on one loopback server where good feeds publish among servers that misbehave in
/// every way the fetching layer guards against, and every page's chrome is full of watch words. One
/// cycle must finish, alert on exactly the stories that are about the rule, name each failure in
/// plain words, and never repeat an alert.
@Suite struct HostileFarmTests {
    static let goodFeeds = 12

    let site = SiteContent()
    let server: TestHTTPServer
    let directory: String
    let hostile: [String: TestHTTPServer.Reply]

    init() throws {
        let bomb = try TestHTTPServer.gzip(Data(count: 40 << 20))
        let feedHead = Data(#"<?xml version="1.0"?><rss version="2.0"><channel><title>Reset</title><item><title>"#.utf8)
        let hostile: [String: TestHTTPServer.Reply] = [
            "/bomb.xml": .respond(status: 200, headers: [("Content-Encoding", "gzip"), ("Content-Type", "application/rss+xml")], body: bomb),
            "/huge.xml": .respond(status: 200, body: Data(repeating: UInt8(ascii: " "), count: 17 << 20)),
            "/loop-a.xml": .respond(status: 302, headers: [("Location", "/loop-b.xml")]),
            "/loop-b.xml": .respond(status: 302, headers: [("Location", "/loop-a.xml")]),
            "/to-file.xml": .respond(status: 301, headers: [("Location", "file:///etc/passwd")]),
            "/reset.xml": .reset(length: 10_000, partial: feedHead),
            "/error.xml": .respond(status: 500, body: Data("oops".utf8)),
            "/busy.xml": .respond(status: 429, headers: [("Retry-After", "120")]),
            "/gone.xml": .respond(status: 410),
            "/html.xml": .respond(status: 200, headers: [("Content-Type", "text/html")], body: Data("<html><body>Russia Syria aircraft</body></html>".utf8)),
        ]
        self.hostile = hostile
        let site = site
        // A slow server (5 ms a byte, over a second for the feed) is waited for, and stalls no other.
        let slow = TestHTTPServer.Reply.drip(body: Data(SiteContent.rss(title: "Slow", items: [("s", "Slow story", "http://127.0.0.1:9/s.html", "Late.")]).utf8),
                                             interval: .milliseconds(5))
        server = try TestHTTPServer { request in request.path == "/slow.xml" ? slow : hostile[request.path] ?? site.reply(request) }
        directory = try makeScratchDirectory("farm")
        try "war-planes = Russia AND Syria AND aircraft\n".write(toFile: directory + "/rules.conf", atomically: true, encoding: .utf8)
    }

    private func engine() async throws -> FeedwatchEngine {
        let urls = (0..<Self.goodFeeds).map { server.url("/good/\($0).xml") } + [server.url("/slow.xml")] + hostile.keys.sorted().map(server.url)
            + ["http://127.0.0.1:\(TestHTTPServer.closedPort())/refused.xml"]
        let text = """
            state_dir: state
            rules: rules.conf
            defaults:
              interval: 1s
            limits:
              per_host: 4
              host_spacing: 0ms
            feeds:
            \(urls.map { "  - url: \($0)" }.joined(separator: "\n"))
            sinks:
              - type: file
                path: alerts.jsonl
            # Every good feed's story page tells the same story: each is counted here, not merged.
            stories: off
            """
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return try await FeedwatchEngine(configuration: try Configuration.parse(text, path: directory + "/feedwatch.yaml"), logger: logger)
    }

    /// Good feed `n`: its old story, and after `publish` a new one; even feeds' new stories are about
    /// the rule, odd ones about gardens, and every page's chrome repeats the watch words.
    private func goodFeed(_ n: Int, published: Bool) {
        let old = ("old-\(n)", "Old story \(n)", server.url("/story/old-\(n).html"), "Earlier.")
        let new = ("new-\(n)", "Story \(n)", server.url("/story/\(n).html"), "Read on.")
        site.set("/good/\(n).xml", body: SiteContent.rss(title: "Good \(n)", items: published ? [new, old] : [old]))
        let story = n.isMultiple(of: 2)
            ? "<p>Russia moved more aircraft to an air base in Syria on Friday, officials said, in a deployment watched closely.</p>"
                + "<p>Analysts said the aircraft could fly within days and that Syria had asked for them.</p>"
            : FeedwatchEngineTests.quietStory
        site.set("/story/\(n).html", body: FeedwatchEngineTests.page(story: story, chrome: "Russia Syria aircraft: the latest on Russia, Syria, aircraft."))
    }

    private func alerts() throws -> [Alert] {
        guard let text = try? String(contentsOfFile: directory + "/alerts.jsonl", encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { try Alert(jsonLine: $0) }
    }

    @Test(.timeLimit(.minutes(2))) func oneCycleAlertsOnTheStoriesAndNamesEveryFailure() async throws {
        for n in 0..<Self.goodFeeds { goodFeed(n, published: false) }
        let engine = try await engine()
        let first = await engine.pollOnce(all: true)
        let failing = hostile.count + 1
        #expect(first.total == Self.goodFeeds + 1 + failing && first.alerts == 0)
        #expect(first.failed == failing, "every hostile feed fails; no good one does")

        for n in 0..<Self.goodFeeds { goodFeed(n, published: true) }
        let second = await engine.pollOnce(all: true)
        #expect(second.alerts == Self.goodFeeds / 2, "one alert per story about the rule; chrome alone never alerts")
        let raised = try alerts()
        #expect(Set(raised.map(\.entry.url)) == Set(stride(from: 0, to: Self.goodFeeds, by: 2).map { server.url("/story/\($0).html") }))
        #expect(raised.allSatisfy { $0.source == .page })

        let third = await engine.pollOnce(all: true)
        #expect(third.alerts == 0 && third.newEntries == 0)
        #expect(try alerts().count == raised.count, "no alert is repeated")

        let records = Dictionary(try await engine.store.feeds().map { ($0.configuredURL, $0) }, uniquingKeysWith: { $1 })
        func error(_ path: String) -> String { records[server.url(path)]?.lastError ?? "" }
        #expect(error("/bomb.xml").contains("larger than the limit"))
        #expect(error("/huge.xml").contains("larger than the limit"))
        #expect(error("/loop-a.xml").contains("loop"))
        #expect(error("/to-file.xml").contains("only http and https"))
        #expect(error("/reset.xml").contains("broke off") || error("/reset.xml").contains("not a usable feed"))
        #expect(error("/error.xml").contains("500"))
        #expect(error("/busy.xml").contains("429"))
        #expect(error("/html.xml").contains("not a usable feed"))
        #expect(records[server.url("/gone.xml")]?.retiredAt != nil)
        let refused = records.first { $0.key.hasSuffix("/refused.xml") }?.value.lastError ?? ""
        #expect(refused.contains("refused"))
        #expect(records.values.filter { $0.configuredURL.contains("/good/") || $0.configuredURL.hasSuffix("/slow.xml") }
            .allSatisfy { $0.consecutiveFailures == 0 && $0.initialized })
    }
}

// SPDX-License-Identifier: MIT
import Alerts
import Daemon
import Foundation
import Logging
import Store
import Synchronization
import TestSupport
import Testing

/// The engine against a real HTTP server on 127.0.0.1: what a poll asks, stores and raises.
@Suite struct FeedwatchEngineTests {
    let site = SiteContent()
    let server: TestHTTPServer
    let directory: String

    init() throws {
        let site = site
        server = try TestHTTPServer { site.reply($0) }
        directory = try makeScratchDirectory("engine")
        try "war-planes = Russia AND Syria AND aircraft\n".write(toFile: directory + "/rules.conf", atomically: true, encoding: .utf8)
    }

    /// An engine on this suite's directory, polling `feeds` (default: the suite server's /feed.xml).
    private func engine(
        feeds: [String]? = nil, feedOptions: String = "", fullText: Bool = true, limits: String = ""
    ) async throws -> FeedwatchEngine {
        let urls = feeds ?? [server.url("/feed.xml")]
        let text = """
            state_dir: state
            rules: rules.conf
            defaults:
              interval: 1s
              full_text: \(fullText)
            \(limits.isEmpty ? "" : "limits:\n  " + limits)
            feeds:
            \(urls.map { "  - url: \($0)" }.joined(separator: "\n"))
            \(feedOptions.isEmpty ? "" : "    " + feedOptions)
            sinks:
              - type: file
                path: alerts.jsonl
            """
        let configuration = try Configuration.parse(text, path: directory + "/feedwatch.yaml")
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return try await FeedwatchEngine(configuration: configuration, logger: logger)
    }

    private func alerts() throws -> [Alert] {
        guard let text = try? String(contentsOfFile: directory + "/alerts.jsonl", encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { try Alert(jsonLine: $0) }
    }

    private func item(_ guid: String, _ title: String, _ path: String, _ description: String = "A report.") -> (guid: String?, title: String, link: String, description: String) {
        (guid, title, server.url(path), description)
    }

    @Test func firstFetchIsSilentThenNewStoriesAlertFromTheCleanedPage() async throws {
        site.set("/feed.xml", body: SiteContent.rss(items: [item("old", "Old news", "/old.html", "Russia Syria aircraft")]))
        let engine = try await engine()
        var summary = await engine.pollOnce(all: true)
        #expect(summary.newEntries == 1 && summary.alerts == 0 && summary.failed == 0)

        site.set("/story.html", body: Self.storyPage)
        site.set("/feed.xml", body: SiteContent.rss(items: [
            item("new", "Jets arrive", "/story.html", "Russia and Syria talk."), item("old", "Old news", "/old.html", "Russia Syria aircraft"),
        ]))
        summary = await engine.pollOnce(all: true)
        #expect(summary.newEntries == 1 && summary.alerts == 1 && summary.delivered == 1)
        let alert = try #require(try alerts().first)
        #expect(alert.rule == "war-planes" && alert.source == .page && alert.sourceError == nil)
        #expect(alert.matched == ["russia", "syria", "aircraft"])
        #expect(alert.snippet.contains("**aircraft**"))
        #expect(alert.entry.url == server.url("/story.html") && alert.feed.url == server.url("/feed.xml"))
    }

    @Test func aPageThatCannotBeFetchedFallsBackToTheItemAndSaysSo() async throws {
        site.set("/feed.xml", body: SiteContent.rss(items: []))
        let engine = try await engine()
        _ = await engine.pollOnce(all: true)
        site.set("/feed.xml", body: SiteContent.rss(items: [item("x", "Jets", "/missing.html", "Russia sends aircraft to Syria")]))
        let summary = await engine.pollOnce(all: true)
        #expect(summary.alerts == 1)
        let alert = try #require(try alerts().first)
        #expect(alert.source == .feed)
        #expect(alert.sourceError?.contains("404") == true)
    }

    @Test func chromeFullOfWatchWordsDoesNotAlert() async throws {
        site.set("/feed.xml", body: SiteContent.rss(items: []))
        let engine = try await engine()
        _ = await engine.pollOnce(all: true)
        site.set("/quiet.html", body: Self.page(story: Self.quietStory, chrome: "Russia Syria aircraft news: Russia, Syria, aircraft."))
        site.set("/feed.xml", body: SiteContent.rss(items: [item("q", "Local news", "/quiet.html", "Gardens")]))
        let summary = await engine.pollOnce(all: true)
        #expect(summary.newEntries == 1 && summary.alerts == 0)
    }

    /// Feeds the store does not know yet poll at once, while their rows are written beside the polls:
    /// each feed ends with one row holding its poll, and a restart knows them all.
    @Test func feedsNewToTheStorePollAtOnceAndEndWithOneRowEach() async throws {
        let paths = (0..<120).map { "/feeds/\($0).xml" }
        for (n, path) in paths.enumerated() where n != 100 {
            site.set(path, body: SiteContent.rss(items: [item("g\(n)", "Story \(n)", "/s\(n).html"), item("h\(n)", "Other \(n)", "/t\(n).html")]))
        }
        site.set(paths[100], status: 500, body: "down")
        func start(_ feeds: ArraySlice<String>) async throws -> FeedwatchEngine {
            let text = "state_dir: state\nrules: rules.conf\ndefaults:\n  interval: 15m\n  full_text: false\nfeeds:\n"
                + feeds.map { "  - url: \(server.url($0))\n" }.joined() + "sinks:\n  - type: file\n    path: alerts.jsonl\n"
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            return try await FeedwatchEngine(configuration: try Configuration.parse(text, path: directory + "/feedwatch.yaml"), logger: logger)
        }
        let first = try await start(paths[..<80])
        var summary = await first.pollOnce(all: false)
        #expect(summary.done == 80 && summary.failed == 0 && summary.newEntries == 160)
        #expect(await first.pollOnce(all: false).total == 0, "every feed polled is due in 15 minutes")

        let second = try await start(paths[...])
        summary = await second.pollOnce(all: false)
        #expect(summary.done == 40 && summary.failed == 1 && summary.newEntries == 78)
        let records = try await second.store.feeds()
        #expect(records.count == 120 && Set(records.map(\.configuredURL)) == Set(paths.map { server.url($0) }))
        let failing = try #require(records.first { $0.configuredURL == server.url(paths[100]) })
        #expect(failing.consecutiveFailures == 1 && !failing.initialized && failing.lastError?.contains("500") == true)
        #expect(records.filter { $0.initialized && $0.entryCount == 2 }.count == 119)
        #expect(await second.pollOnce(all: false).total == 0)
    }

    @Test func validatorsMakeTheNextRequestConditional() async throws {
        site.set("/feed.xml", headers: [("ETag", "\"v1\"")], body: SiteContent.rss(items: [item("a", "A", "/a.html")]))
        let engine = try await engine()
        _ = await engine.pollOnce(all: true)
        let summary = await engine.pollOnce(all: true)
        #expect(summary.failed == 0 && summary.newEntries == 0)
        let requests = server.requests.filter { $0.path == "/feed.xml" }
        #expect(requests.count == 2)
        #expect(requests[0].header("If-None-Match") == nil && requests[1].header("If-None-Match") == "\"v1\"")
    }

    @Test func permanentRedirectsMoveTheFeedAndGoneRetiresIt() async throws {
        site.set("/feed.xml", status: 301, headers: [("Location", server.url("/new.xml"))], body: "")
        site.set("/new.xml", body: SiteContent.rss(items: [item("a", "A", "/a.html")]))
        let engine = try await engine()
        _ = await engine.pollOnce(all: true)
        var record = try #require(try await engine.store.feeds().first)
        #expect(record.url == server.url("/new.xml") && record.configuredURL == server.url("/feed.xml"))
        _ = await engine.pollOnce(all: true)
        #expect(server.requests.filter { $0.path == "/feed.xml" }.count == 1)

        site.set("/new.xml", status: 410, body: "gone")
        let summary = await engine.pollOnce(all: true)
        #expect(summary.failed == 1)
        record = try #require(try await engine.store.feeds().first)
        #expect(record.retiredAt != nil)
        #expect(await engine.pollOnce(all: true).total == 0)
    }

    @Test func tooManyRequestsWaitsForRetryAfter() async throws {
        site.set("/feed.xml", status: 429, headers: [("Retry-After", "120")], body: "slow down")
        let engine = try await engine()
        let before = Date()
        let summary = await engine.pollOnce(all: true)
        #expect(summary.failed == 1)
        let record = try #require(try await engine.store.feeds().first)
        #expect(record.nextDue.timeIntervalSince(before) >= 119)
        #expect(record.lastError?.contains("429") == true && record.consecutiveFailures == 1)
        #expect(await engine.pollOnce(all: false).total == 0)
    }

    /// Two feeds on one host with two seconds between requests: the second waits its turn, then hears
    /// `Retry-After: 3`. Three seconds count from the answer, not from when the poll began to wait.
    @Test func retryAfterCountsFromTheAnswerNotFromTheWaitForTheHost() async throws {
        let requested = Mutex<[String: Date]>([:])
        let site = SiteContent()
        let server = try TestHTTPServer { request in
            requested.withLock { $0[request.path] = Date() }
            return site.reply(request)
        }
        for path in ["/a.xml", "/b.xml"] { site.set(path, status: 429, headers: [("Retry-After", "3")], body: "slow down") }
        let engine = try await engine(feeds: [server.url("/a.xml"), server.url("/b.xml")], limits: "host_spacing: 2s")
        #expect(await engine.pollOnce(all: true).failed == 2)
        let times = requested.withLock { $0 }
        for record in try await engine.store.feeds() {
            let path = try #require(URL(string: record.url)?.path)
            let asked = try #require(times[path])
            #expect(record.nextDue.timeIntervalSince(asked) >= 2.9, "\(path): due \(record.nextDue.timeIntervalSince(asked)) s after its request")
        }
        #expect(abs(try #require(times["/b.xml"]).timeIntervalSince(try #require(times["/a.xml"]))) >= 1.9)
    }

    @Test func alertExistingAlertsOnTheFirstFetch() async throws {
        site.set("/feed.xml", body: SiteContent.rss(items: [item("a", "Jets", "/a.html", "Russia Syria aircraft")]))
        let engine = try await engine(feedOptions: "alert_existing: true", fullText: false)
        #expect(await engine.pollOnce(all: true).alerts == 1)
        #expect(try alerts().first?.source == .feed)
        #expect(try alerts().first?.sourceError == nil)
    }

    static let quietStory = """
        <p>The town council approved a new budget for the public gardens on Tuesday, after a long debate about \
        the cost of planting and the hours volunteers can give.</p>
        <p>Residents said the gardens had become a place to meet, and that the money would be well spent on \
        benches, paths and a small greenhouse for the school.</p>
        <p>The works begin in spring and should be finished before the summer fair, the council said.</p>
        """

    static let storyPage = page(story: """
        <p>LONDON — As the first Russian combat aircraft arrived in Syria, officials in Washington tried to \
        coordinate with Moscow to avoid an accidental clash in the crowded skies.</p>
        <p>Russia has sent jets and helicopters to an air base near Latakia, according to officials who \
        spoke on the condition of anonymity.</p>
        <p>The deployment marks a new phase in the war, analysts said, and the aircraft could fly missions \
        within days.</p>
        """, chrome: "Subscribe to our newsletter")

    static func page(story: String, chrome: String) -> String {
        """
        <!DOCTYPE html><html><head><title>Story</title></head><body>
        <header><nav class="menu"><a href="/">Home</a> <a href="/world">World</a> \(chrome)</nav></header>
        <article class="post"><h1>Story</h1>\(story)</article>
        <aside class="sidebar widget"><h3>Trending</h3><ul><li><a href="/t1">\(chrome)</a></li><li><a href="/t2">\(chrome)</a></li></ul></aside>
        <div id="comments" class="comments-area"><h3>Leave a Reply</h3><p>\(chrome)</p></div>
        <footer class="site-footer">\(chrome) © 2026</footer>
        </body></html>
        """
    }
}

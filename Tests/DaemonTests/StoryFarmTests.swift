// SPDX-License-Identifier: MIT
import Alerts
import Foundation
import Synchronization
import TestSupport
import Testing

/// Syndication on a farm of our own: 4 hosts with 2 feeds each, every host with its own page chrome
/// (navigation, cookie banner, related links, footer). 40 wire stories, each republished within
/// minutes on 3 to 6 of the feeds with the edits sites make and a headline of their own, and 12
/// follow-ups that quote up to 40% of an earlier story. Full text on: the daemon fetches and cleans each
/// page. Exactly one alert per (rule, story), every story alerted, no follow-up merged away — and a
/// rule that only one copy's credit line satisfies alerts for that copy.
@Suite(.timeLimit(.minutes(3))) struct StoryFarmTests {
    let clock = ManualClock()
    let directory: String

    init() throws {
        directory = try makeScratchDirectory("story-farm")
        try """
            quake = earthquake OR aftershocks
            rates = "interest rates" OR inflation
            strike = walkout OR "pay offer"
            credited = "Ana Silva"
            officials = officials
            """.write(toFile: directory + "/rules.conf", atomically: true, encoding: .utf8)
    }

    /// A page in host `host`'s template.
    static func page(host: Int, title: String, text: String) -> String {
        let chrome = [
            ("<nav><a href=/>Home</a> <a href=/world>World</a> <a href=/business>Business</a></nav>", "<footer>© Daily Planet · Privacy · Terms</footer>"),
            ("<div class=cookie>We use cookies to improve your experience. <button>Accept all</button></div>", "<aside><h3>Most read</h3><ul><li><a href=/a>Markets wrap: stocks slip</a></li><li><a href=/b>Weather outlook for the weekend</a></li></ul></aside>"),
            ("<header><a href=/>The Courier</a> <form><input name=q></form></header>", "<section class=related><h2>Related</h2><a href=/c>Opinion: what next</a> <a href=/d>Sport results</a></section>"),
            ("<div class=ad>Advertisement</div>", "<div class=newsletter>Sign up for our morning briefing. <input type=email></div>"),
        ][host]
        let paragraphs = text.components(separatedBy: "\n\n").map { "<p>\($0)</p>" }.joined()
        return "<!doctype html><html><head><title>\(title)</title></head><body>\(chrome.0)<article><h1>\(title)</h1>\(paragraphs)</article>\(chrome.1)</body></html>"
    }

    @Test func oneAlertPerRuleAndStory() async throws {
        let hosts = (0..<4).map { _ in SiteContent() }
        let servers = try hosts.map { site in try TestHTTPServer { site.reply($0) } }
        let feeds = (0..<8).map { (host: $0 % 4, path: "/feed-\($0 / 4).xml") }
        var generator = StoryGenerator(seed: 99)
        var published: [[(guid: String?, title: String, link: String, description: String)]] = Array(repeating: [], count: 8)
        // Which story each page tells: story number, or 1000 + n for follow-up n.
        var storyOfLink: [String: Int] = [:]
        var texts: [Int: [String]] = [:]
        var wire: [StoryGenerator.Story] = []
        var schedule: [(minute: Int, feed: Int, story: Int, text: String)] = []
        for story in 0..<40 {
            let subject = [0, 2, 4, 1, 5][story % 5]  // earthquakes, rates, strikes, wildfires, vaccines
            let original = generator.story(subject: subject)
            wire.append(original)
            var chosen: [Int] = []
            let copies = 3 + generator.next(4)
            while chosen.count < copies {
                let feed = generator.next(8)
                if !chosen.contains(feed) { chosen.append(feed) }
            }
            for (order, feed) in chosen.enumerated() {
                var text = order == 0 ? original : generator.copy(of: original, subject: subject)
                // A later copy of every third story quotes a resident the others do not: its own rule alerts for it.
                if order == 2 && story % 3 == 0 {
                    text.insert(["Ana Silva, who has lived in the area for thirty years, said the response had been slow and that many families were still waiting for help and for answers about what would happen next."], at: 1)
                }
                schedule.append((story * 3 + order * (1 + generator.next(4)), feed, story, StoryGenerator.text(text)))
            }
        }
        for followUp in 0..<12 {
            let of = followUp * 3
            let subject = [0, 2, 4, 1, 5][of % 5]
            schedule.append((of * 3 + 20, generator.next(8), 1000 + followUp, StoryGenerator.text(generator.followUp(of: wire[of], subject: subject))))
        }
        schedule.sort { $0.minute < $1.minute }

        let configuration = """
            state_dir: state
            rules: rules.conf
            defaults:
              interval: 1m
              full_text: true
            limits:
              host_spacing: 0ms
              per_host: 4
            feeds:
            \(feeds.map { "  - url: \(servers[$0.host].url($0.path))" }.joined(separator: "\n"))
            sinks:
              - type: file
                path: alerts.jsonl
            """
        for feed in feeds { hosts[feed.host].set(feed.path, body: SiteContent.rss(items: [])) }
        try await ClockedDaemon.run(configuration, in: directory, clock: clock) { daemon in
            await daemon.advance(by: 30, step: 5)  // every feed's (empty) first fetch
            var next = 0
            for minute in 0...(schedule.last!.minute + 3) {
                while next < schedule.count && schedule[next].minute == minute {
                    let item = schedule[next]
                    let feed = feeds[item.feed]
                    let link = servers[feed.host].url("/\(item.feed)/\(next).html")
                    let title = "Headline \(next) as \(item.feed) writes it"
                    hosts[feed.host].set("/\(item.feed)/\(next).html", body: Self.page(host: feed.host, title: title, text: item.text))
                    published[item.feed].insert((guid: "\(item.feed)-\(next)", title: title, link: link, description: "A summary."), at: 0)
                    hosts[feed.host].set(feed.path, body: SiteContent.rss(items: published[item.feed]))
                    storyOfLink[link] = item.story
                    texts[item.story, default: []].append(item.text)
                    next += 1
                }
                await daemon.advance(by: 60, step: 30)
            }
        }

        let alerts = try String(contentsOfFile: directory + "/alerts.jsonl", encoding: .utf8)
            .split(separator: "\n").map { try Alert(jsonLine: $0) }
        let rules: [String: (String) -> Bool] = [
            "quake": { $0.contains("earthquake") || $0.contains("aftershocks") },
            "rates": { $0.contains("interest rates") || $0.contains("inflation") },
            "strike": { $0.contains("walkout") || $0.contains("pay offer") },
            "credited": { $0.contains("ana silva") },
            "officials": { $0.contains("officials") },
        ]
        var expected: Set<String> = []
        for (story, copies) in texts {
            for (rule, matches) in rules where copies.contains(where: { matches($0.lowercased()) }) { expected.insert("\(rule) \(story)") }
        }
        let raised = alerts.map { "\($0.rule) \(storyOfLink[$0.entry.url ?? ""] ?? -1)" }
        #expect(raised.count == Set(raised).count, "one alert per (rule, story): \(Dictionary(grouping: raised, by: { $0 }).filter { $1.count > 1 }.keys.sorted().prefix(10))")
        #expect(Set(raised) == expected, "missing \(expected.subtracting(raised).sorted().prefix(10)), unexpected \(Set(raised).subtracting(expected).sorted().prefix(10))")
        // Stories are told apart: each alerted story has an id of its own, follow-ups included.
        let storyIDs = Dictionary(grouping: alerts, by: { storyOfLink[$0.entry.url ?? ""] ?? -1 }).mapValues { Set($0.compactMap(\.story?.id)) }
        #expect(storyIDs.values.allSatisfy { $0.count == 1 }, "one story id per story")
        #expect(Set(storyIDs.values.compactMap(\.first)).count == storyIDs.count, "no two stories share an id")
        #expect(alerts.contains { ($0.story?.copies ?? 0) > 1 }, "an alert raised by a later copy counts the earlier ones")
    }
}

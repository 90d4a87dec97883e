// SPDX-License-Identifier: MIT
import Alerts
import Foundation
import TestSupport
import Testing

/// `feedwatch rules test` over the archive a real run left: the live rules' matches are exactly the
/// alerts written, marked alerted; a draft `either = A OR B` matches the union of A and B; a broken
/// draft is refused with its position. `feedwatch trace` of an alerted story names the rule, the
/// alert and the sink it reached.
@Suite struct RulesTestCommandTests {
    let directory: String
    let config: String

    init() throws {
        directory = try makeScratchDirectory("rules-test")
        config = directory + "/feedwatch.yaml"
    }

    private func lines(_ output: String) throws -> [[String: Any]] {
        try output.split(separator: "\n").map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    @Test func theArchiveReplaysTheAlertsAndDraftsTheirUnion() async throws {
        let site = SiteContent()
        let server = try TestHTTPServer { site.reply($0) }
        var generator = StoryGenerator(seed: 21)
        for feed in 0..<3 {
            site.set("/\(feed).xml", body: SiteContent.rss(items: (0..<8).map { n in
                let subject = [0, 2, 4, 6][(feed + n) % 4]  // earthquakes, rates, strikes, floods
                return ("f\(feed)-\(n)", "Story \(n) of feed \(feed)", server.url("/\(feed)/\(n)"),
                        StoryGenerator.text(generator.story(subject: subject)))
            }))
        }
        try writeFeedTextSetup(in: directory, rules: "quake = earthquake OR aftershocks\nrates = inflation OR \"interest rates\"\n",
                               feeds: (0..<3).map { server.url("/\($0).xml") })
        let once = try FeedwatchProcess.run(["once", "--config", config])
        #expect(once.status == 0, "\(once.stderr)")
        let alerts = try String(contentsOfFile: directory + "/alerts.jsonl", encoding: .utf8).split(separator: "\n").map { try Alert(jsonLine: $0) }
        #expect(alerts.count >= 10, "a farm with something to find")

        let live = try FeedwatchProcess.run(["rules", "test", "--config", config, "--json"])
        #expect(live.status == 0, "\(live.stderr)")
        let matches = try lines(live.stdout)
        func pairs(_ lines: [[String: Any]], rule: String? = nil) -> Set<String> {
            Set(lines.filter { rule == nil || $0["rule"] as? String == rule }.map { line in
                "\(line["rule"] as? String ?? "") \((line["entry"] as? [String: Any])?["url"] as? String ?? "")"
            })
        }
        #expect(pairs(matches) == Set(alerts.map { "\($0.rule) \($0.entry.url ?? "")" }))
        #expect(matches.allSatisfy { $0["alerted"] as? Bool == true })
        #expect(matches.allSatisfy { ($0["snippet"] as? String)?.contains("**") == true })

        try """
            quake = earthquake OR aftershocks
            rates = inflation OR "interest rates"
            either = (earthquake OR aftershocks) OR (inflation OR "interest rates")
            """.write(toFile: directory + "/draft.conf", atomically: true, encoding: .utf8)
        let draft = try lines(try FeedwatchProcess.run(["rules", "test", "--config", config, "--rules", directory + "/draft.conf", "--json"]).stdout)
        let urls = { (rule: String) in Set(pairs(draft, rule: rule).map { $0.split(separator: " ")[1] }) }
        #expect(urls("either") == urls("quake").union(urls("rates")))
        #expect(draft.filter { $0["rule"] as? String == "either" }.allSatisfy { $0["alerted"] as? Bool == false }, "never alerted")

        let human = try FeedwatchProcess.run(["rules", "test", "--config", config, "--rules", directory + "/draft.conf"])
        #expect(human.stdout.contains("quake: \(pairs(matches, rule: "quake").count) matches, \(pairs(matches, rule: "quake").count) alerted by the daemon"), "\(human.stdout)")
        #expect(human.stdout.contains("either: \(urls("either").count) matches, 0 alerted by the daemon"), "\(human.stdout)")
        #expect(human.stdout.contains("versus the rule when each entry was seen: \(urls("either").count) added, 0 lost"), "\(human.stdout)")

        let expr = try FeedwatchProcess.run(["rules", "test", "--config", config, "--expr", "walkout OR \"pay offer\"", "--json"])
        #expect(try lines(expr.stdout).allSatisfy { $0["rule"] as? String == "expr" } && !expr.stdout.isEmpty)

        try "quake = earthquake OR\n".write(toFile: directory + "/broken.conf", atomically: true, encoding: .utf8)
        let broken = try FeedwatchProcess.run(["rules", "test", "--config", config, "--rules", directory + "/broken.conf"])
        #expect(broken.status == 1 && broken.stderr.contains("broken.conf:1:"), "\(broken.stderr)")

        let status = try FeedwatchProcess.run(["status", "--config", config])
        #expect(status.stdout.contains("archive: 24 entries"), "\(status.stdout)")

        // trace: the whole path of an alerted story, and a link never seen with its nearest neighbours.
        let alert = try #require(alerts.first { $0.rule == "quake" })
        let trace = try FeedwatchProcess.run(["trace", alert.entry.url ?? "", "--config", config])
        #expect(trace.status == 0, "\(trace.stderr)")
        #expect(trace.stdout.contains("quake: matches (matched when seen)"), "\(trace.stdout)")
        #expect(trace.stdout.contains("alert \(alert.id) for quake"), "\(trace.stdout)")
        #expect(trace.stdout.contains("file:\(directory)/alerts.jsonl: delivered"), "\(trace.stdout)")
        #expect(trace.stdout.contains("characters from the feed's own text"), "\(trace.stdout)")
        let missing = server.url("/0/77")
        let never = try FeedwatchProcess.run(["trace", missing, "--config", config])
        #expect(never.status == 1 && never.stderr.contains("\(missing): never seen as a new entry"), "\(never.stderr)")
        #expect(never.stderr.contains("  " + server.url("/0/7")), "the closest link first: \(never.stderr)")
    }

    /// Entries already in a feed when it is added never alert, but they are archived with their feed
    /// text: `rules test` finds them (not alerted, nothing to compare with) and `trace` says why.
    @Test func entriesOfAFirstFetchAreArchivedWithoutAlerting() async throws {
        let site = SiteContent()
        let server = try TestHTTPServer { site.reply($0) }
        let items = (0..<6).map { n in
            ("e\(n)", "Story \(n)", server.url("/s/\(n)"), n % 2 == 0 ? "&lt;p&gt;An &lt;b&gt;earthquake&lt;/b&gt; shook the coast overnight, story \(n).&lt;/p&gt;" : "Markets were calm, story \(n).")
        }
        site.set("/feed.xml", body: SiteContent.rss(items: items))
        try writeFeedTextSetup(in: directory, rules: "quake = earthquake\n", feeds: [server.url("/feed.xml")], alertExisting: false)
        let once = try FeedwatchProcess.run(["once", "--config", config])
        #expect(once.status == 0, "\(once.stderr)")
        let written = (try? String(contentsOfFile: directory + "/alerts.jsonl", encoding: .utf8)) ?? ""
        #expect(written.isEmpty, "a first fetch alerts nothing")

        let replay = try lines(try FeedwatchProcess.run(["rules", "test", "--config", config, "--json"]).stdout)
        #expect(Set(replay.compactMap { ($0["entry"] as? [String: Any])?["url"] as? String }) == Set([0, 2, 4].map { server.url("/s/\($0)") }))
        #expect(replay.allSatisfy { $0["alerted"] as? Bool == false })
        // Kept as the feed's HTML, read as its text.
        #expect(replay.allSatisfy { ($0["snippet"] as? String)?.hasPrefix("An **earthquake** shook") == true }, "\(replay)")
        let human = try FeedwatchProcess.run(["rules", "test", "--config", config])
        #expect(human.stdout.contains("quake: 3 matches, 0 alerted by the daemon"), "\(human.stdout)")
        #expect(!human.stdout.contains("versus the rule"), "they matched when seen: \(human.stdout)")

        let trace = try FeedwatchProcess.run(["trace", server.url("/s/2"), "--config", config])
        #expect(trace.stdout.contains("seen on the feed's first fetch"), "\(trace.stdout)")
        #expect(trace.stdout.contains("quake: matches (not matched then: first fetch)"), "\(trace.stdout)")
        #expect(trace.stdout.contains("alert for quake: none (first fetch)"), "\(trace.stdout)")
        #expect(trace.stdout.contains("characters from the feed's own text (no page is fetched on a first fetch)"), "\(trace.stdout)")
    }

    /// An entry matched on its feed text because its page could not be had: trace says why.
    @Test func traceNamesThePageFailure() async throws {
        let site = SiteContent()
        let server = try TestHTTPServer { site.reply($0) }
        site.set("/feed.xml", body: SiteContent.rss(items: [("g1", "Quake hits coast", server.url("/gone"), "An earthquake hit the coast.")]))
        try writeFeedTextSetup(in: directory, rules: "quake = earthquake\n", feeds: [server.url("/feed.xml")])
        try String(contentsOfFile: config, encoding: .utf8).replacingOccurrences(of: "full_text: false", with: "full_text: true")
            .write(toFile: config, atomically: true, encoding: .utf8)
        #expect(try FeedwatchProcess.run(["once", "--config", config]).status == 0)
        let trace = try FeedwatchProcess.run(["trace", server.url("/gone"), "--config", config])
        #expect(trace.stdout.contains("characters from the feed's own text"), "\(trace.stdout)")
        #expect(trace.stdout.contains("page not used: \(server.url("/gone"))"), "\(trace.stdout)")
        #expect(trace.stdout.contains("404"), "\(trace.stdout)")
    }
}

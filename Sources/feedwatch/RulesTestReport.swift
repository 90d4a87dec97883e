// SPDX-License-Identifier: MIT
import Alerts
import Daemon
import FeedParsing
import Foundation
import Rules
import Store

/// What `rules test` found, gathered batch by batch (newest first) for the human report.
struct RulesTestReport {
    /// The archived entry as the rules see it.
    static func article(_ record: ArchiveRecord) -> Article {
        Article(id: record.entry.key, title: record.entry.title ?? "", body: record.entry.text, author: record.entry.author ?? "",
                feed: record.feedTitle ?? "", url: record.entry.url ?? "", categories: record.entry.categories)
    }

    /// The alert the daemon raises for `rule` and the entry of `record`.
    static func alertID(_ rule: Rule, _ record: ArchiveRecord) -> String {
        PendingAlert.id(rule: rule.name, feedURL: record.feedURL, entry: record.entry.key)
    }

    /// About 200 characters around the first words that made `rule` match, marked as in alerts.
    static func snippet(_ rule: Rule, _ article: Article, _ analyzed: AnalyzedArticle) -> String {
        MatchEvidence(rule.expression, in: article, analyzed: analyzed).snippet(of: article)
    }

    /// One JSON line per match of a batch, built on `workers` threads (each article analyzed once for
    /// all its rules), in archive order.
    static func jsonLines(_ records: [ArchiveRecord], _ articles: [Article], _ matched: [[Rule]], raised: Set<String>, workers: Int) -> [UInt8] {
        let lines = IndexedResults<[UInt8]>(count: records.count, initial: [])
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var k = worker
            while k < records.count {
                if !matched[k].isEmpty {
                    let analyzed = AnalyzedArticle(articles[k])
                    var out = JSONWriter(capacity: 512 * matched[k].count)
                    for rule in matched[k] {
                        let record = records[k]
                        out.beginObject()
                        out.key("rule"); out.string(rule.name)
                        out.key("alerted"); out.bool(raised.contains(alertID(rule, record)))
                        out.key("entry"); out.beginObject()
                        out.key("id"); out.string(record.entry.entryID)
                        out.key("url"); out.string(record.entry.url)
                        out.key("title"); out.string(record.entry.title)
                        out.key("published"); out.string(record.entry.published)
                        out.endObject()
                        out.key("feed"); out.beginObject()
                        out.key("url"); out.string(record.feedURL)
                        out.key("title"); out.string(record.feedTitle)
                        out.endObject()
                        out.key("seen"); out.string(Alert.timestamp(record.seen))
                        out.key("snippet"); out.string(snippet(rule, articles[k], analyzed))
                        out.endObject()
                        out.raw("\n")
                    }
                    lines.store(k, out.bytes)
                }
                k += workers
            }
        }
        return lines.values.flatMap { $0 }
    }

    private struct PerRule {
        var shown: [String] = []
        var total = 0
        var alerted = 0
        var perDay: [String: Int] = [:]
        var added: [String] = []
        var lost: [String] = []
        var addedCount = 0
        var lostCount = 0
    }

    private let rules: [Rule]
    private let limit: Int
    private var perRule: [String: PerRule] = [:]
    private var entries = 0

    init(rules: [Rule], limit: Int) {
        self.rules = rules
        self.limit = limit
    }

    mutating func add(_ batch: [ArchiveRecord], _ articles: [Article], _ matched: [[Rule]], raised: Set<String>) {
        entries += batch.count
        for (k, record) in batch.enumerated() where !matched[k].isEmpty {
            var analyzed: AnalyzedArticle?
            for rule in matched[k] {
                var entry = perRule[rule.name, default: PerRule()]
                entry.total += 1
                if raised.contains(Self.alertID(rule, record)) { entry.alerted += 1 }
                entry.perDay[String(Alert.timestamp(record.seen).prefix(10)), default: 0] += 1
                if entry.shown.count < limit {
                    let title = AlertText.printable(record.entry.title ?? record.entry.url ?? "(untitled)")
                    let feed = AlertText.printable(record.feedTitle ?? record.feedURL)
                    let analysis = analyzed ?? AnalyzedArticle(articles[k])
                    analyzed = analysis
                    entry.shown.append("  \(AlertText.localTime(Alert.timestamp(record.seen)))  \(feed)  \(title)\n    \(AlertText.printable(Self.snippet(rule, articles[k], analysis)))")
                }
                perRule[rule.name] = entry
            }
        }
        // Against what the live rules matched when each entry was seen (the archive keeps it).
        for (record, matchedRules) in zip(batch, matched) {
            let now = Set(matchedRules.map(\.name))
            for rule in rules {
                let then = record.entry.rules.contains(rule.name)
                guard then != now.contains(rule.name) else { continue }
                var entry = perRule[rule.name, default: PerRule()]
                let title = AlertText.printable(record.entry.title ?? record.entry.url ?? "(untitled)")
                if now.contains(rule.name) {
                    entry.addedCount += 1
                    if entry.added.count < limit { entry.added.append("  + \(title)") }
                } else {
                    entry.lostCount += 1
                    if entry.lost.count < limit { entry.lost.append("  - \(title)") }
                }
                perRule[rule.name] = entry
            }
        }
    }

    var text: String {
        var out = "\(entries) archived entries replayed through \(rules.count) rule\(rules.count == 1 ? "" : "s")\n"
        for rule in rules {
            let entry = perRule[rule.name] ?? PerRule()
            out += "\n\(rule.name): \(entry.total) match\(entry.total == 1 ? "" : "es"), \(entry.alerted) alerted by the daemon\n"
            if !entry.perDay.isEmpty {
                out += "  per day: " + entry.perDay.sorted { $0.key > $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
            }
            out += entry.shown.map { $0 + "\n" }.joined()
            if entry.total > entry.shown.count { out += "  … and \(entry.total - entry.shown.count) more (--limit, --json)\n" }
            if entry.addedCount + entry.lostCount > 0 {
                out += "  versus the rule when each entry was seen: \(entry.addedCount) added, \(entry.lostCount) lost\n"
                out += (entry.added + entry.lost).map { $0 + "\n" }.joined()
            }
        }
        return out
    }
}

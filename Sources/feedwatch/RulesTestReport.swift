// SPDX-License-Identifier: MIT
import Alerts
import Foundation
import Rules
import Store

/// What `rules test` found, gathered batch by batch (newest first) for the human report.
struct RulesTestReport {
    struct Match {
        let rule: Rule
        let record: ArchiveRecord
        let article: Article
        let alertID: String

        var snippet: String {
            let evidence = MatchEvidence(rule.expression, in: article)
            return evidence.bodyRanges.isEmpty && !evidence.titleRanges.isEmpty
                ? Snippet.make(article.title + " — " + article.body, matches: evidence.titleRanges)
                : Snippet.make(article.body, matches: evidence.bodyRanges)
        }

        func jsonLine(alerted: Bool) -> String {
            func value(_ text: String?) -> Any { text ?? NSNull() }
            let entry: [String: Any] = [
                "id": value(record.entry.entryID), "url": value(record.entry.url), "title": value(record.entry.title),
                "published": value(record.entry.published),
            ]
            let feed: [String: Any] = ["url": record.feedURL, "title": value(record.feedTitle)]
            let object: [String: Any] = [
                "rule": rule.name, "alerted": alerted, "entry": entry, "feed": feed, "seen": Alert.timestamp(record.seen),
                "snippet": snippet,
            ]
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            return String(decoding: data, as: UTF8.self) + "\n"
        }
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

    mutating func add(_ found: [Match], raised: Set<String>, batch: [ArchiveRecord], matched: [[Rule]]) {
        entries += batch.count
        for match in found {
            var rule = perRule[match.rule.name, default: PerRule()]
            rule.total += 1
            if raised.contains(match.alertID) { rule.alerted += 1 }
            rule.perDay[String(Alert.timestamp(match.record.seen).prefix(10)), default: 0] += 1
            if rule.shown.count < limit {
                let title = AlertText.printable(match.record.entry.title ?? match.record.entry.url ?? "(untitled)")
                let feed = AlertText.printable(match.record.feedTitle ?? match.record.feedURL)
                rule.shown.append("  \(AlertText.localTime(Alert.timestamp(match.record.seen)))  \(feed)  \(title)\n    \(AlertText.printable(match.snippet))")
            }
            perRule[match.rule.name] = rule
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

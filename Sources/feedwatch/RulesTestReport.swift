// SPDX-License-Identifier: MIT
import Alerts
import Daemon
import FeedParsing
import Foundation
import Rules
import Store

/// What `rules test` found, gathered batch by batch (newest first) for the human report. Rules are
/// known by their index in the matcher (``RuleMatcher/sortedRules``).
struct RulesTestReport {
    /// Whether the daemon raised the alert for `rule` and the entry of `record` (`raised`: the ids
    /// of the alerts it raised for the rule).
    static func alerted(_ rule: String, _ record: ArchiveRecord, raised: Set<String>?) -> Bool {
        guard let raised else { return false }
        return raised.contains(PendingAlert.id(rule: rule, feedURL: record.feedURL, entry: record.entry.key))
    }

    /// The JSON lines of one archived entry's matches.
    /// `raised`: per rule (by index), the alerts the daemon raised for it.
    static func jsonLines(_ record: ArchiveRecord, _ article: Article, _ matched: [Int32], rules: [Rule],
                          raised: [Set<String>?], evidence: (Int32) -> MatchEvidence) -> [UInt8] {
        guard !matched.isEmpty else { return [] }
        // What every line of the entry shares, written once.
        var shared = JSONWriter(capacity: 512)
        shared.key("entry"); shared.beginObject()
        shared.key("id"); shared.string(record.entry.entryID)
        shared.key("url"); shared.string(record.entry.url)
        shared.key("title"); shared.string(record.entry.title)
        shared.key("published"); shared.string(record.entry.published)
        shared.endObject()
        shared.key("feed"); shared.beginObject()
        shared.key("url"); shared.string(record.feedURL)
        shared.key("title"); shared.string(record.feedTitle)
        shared.endObject()
        shared.key("seen"); shared.string(Alert.timestamp(record.seen))
        var out = JSONWriter(capacity: (shared.bytes.count + 300) * matched.count)
        for index in matched {
            let rule = rules[Int(index)]
            out.beginObject()
            out.key("rule"); out.string(rule.name)
            out.key("alerted"); out.bool(alerted(rule.name, record, raised: raised[Int(index)]))
            out.members(shared)
            out.key("snippet"); out.string(validUTF8: evidence(index).snippetUTF8(of: article))
            out.endObject()
            out.raw("\n")
        }
        return out.bytes
    }

    private struct PerRule {
        var shown: [String] = []
        var total = 0
        var alerted = 0
        /// Matches per day (days since 1970, UTC).
        var perDay: [Int: Int] = [:]
        var added: [String] = []
        var lost: [String] = []
        var addedCount = 0
        var lostCount = 0
    }

    /// The draft as given (the report's order) and as the matcher numbers it.
    private let draft: [Rule]
    private let rules: [Rule]
    private let indexOf: [String: Int32]
    /// Per rule (by index), the alerts the daemon raised for it.
    private let raised: [Set<String>?]
    private let limit: Int
    private var perRule: [PerRule]
    private var entries = 0

    init(draft: [Rule], matcherOrder rules: [Rule], raised: [Set<String>?], limit: Int) {
        self.draft = draft
        self.rules = rules
        indexOf = Dictionary(rules.enumerated().map { ($0.element.name, Int32($0.offset)) }, uniquingKeysWith: { first, _ in first })
        self.raised = raised
        self.limit = limit
        perRule = Array(repeating: PerRule(), count: rules.count)
    }

    /// Whether a match of rule `index` would still be shown: only those need a snippet.
    func wantsSnippet(_ index: Int32) -> Bool { perRule[Int(index)].shown.count < limit }

    /// Adds a batch: per entry, the rules it matched with the snippets asked for (``wantsSnippet(_:)``).
    mutating func add(_ batch: [ArchiveRecord], _ matches: [[(rule: Int32, snippet: String?)]]) {
        entries += batch.count
        for (record, found) in zip(batch, matches) {
            let day = Int((record.seen.timeIntervalSince1970 / 86_400).rounded(.down))
            for (index, snippet) in found {
                let name = rules[Int(index)].name
                perRule[Int(index)].total += 1
                if Self.alerted(name, record, raised: raised[Int(index)]) { perRule[Int(index)].alerted += 1 }
                perRule[Int(index)].perDay[day, default: 0] += 1
                if let snippet, perRule[Int(index)].shown.count < limit {
                    let feed = AlertText.printable(record.feedTitle ?? record.feedURL)
                    perRule[Int(index)].shown.append(
                        "  \(AlertText.localTime(record.seen))  \(feed)  \(Self.title(record))\n    \(AlertText.printable(snippet))")
                }
            }
            // A first fetch matched nothing: there is nothing to compare with.
            if record.entry.source != ArchivedEntry.firstFetch { compare(record, now: found.map(\.rule)) }
        }
    }

    /// Against what the live rules of the same names matched when the entry was seen (the archive keeps it).
    private mutating func compare(_ record: ArchiveRecord, now: [Int32]) {
        // Both lists ascending (the matcher's order): one merge finds what was added and lost.
        let then = record.entry.rules.compactMap { indexOf[$0] }.sorted()
        var i = 0, j = 0
        while i < now.count || j < then.count {
            if j == then.count || (i < now.count && now[i] < then[j]) {
                perRule[Int(now[i])].addedCount += 1
                if perRule[Int(now[i])].added.count < limit { perRule[Int(now[i])].added.append("  + \(Self.title(record))") }
                i += 1
            } else if i == now.count || then[j] < now[i] {
                perRule[Int(then[j])].lostCount += 1
                if perRule[Int(then[j])].lost.count < limit { perRule[Int(then[j])].lost.append("  - \(Self.title(record))") }
                j += 1
            } else {
                i += 1
                j += 1
            }
        }
    }

    private static func title(_ record: ArchiveRecord) -> String {
        AlertText.printable(record.entry.title ?? record.entry.url ?? "(untitled)")
    }

    var text: String {
        var out = "\(entries) archived entries replayed through \(draft.count) rule\(draft.count == 1 ? "" : "s")\n"
        for rule in draft {
            let entry = indexOf[rule.name].map { perRule[Int($0)] } ?? PerRule()
            out += "\n\(rule.name): \(entry.total) match\(entry.total == 1 ? "" : "es"), \(entry.alerted) alerted by the daemon\n"
            if !entry.perDay.isEmpty {
                out += "  per day: " + entry.perDay.sorted { $0.key > $1.key }.map {
                    "\(Alert.timestamp(Date(timeIntervalSince1970: Double($0.key) * 86_400)).prefix(10)) \($0.value)"
                }.joined(separator: ", ") + "\n"
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

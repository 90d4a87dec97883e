// SPDX-License-Identifier: MIT
import Alerts
import ArgumentParser
import Daemon
import Foundation
import Rules
import Store

/// `feedwatch trace URL|ENTRY-ID`: what happened to one entry.
struct TraceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Show what happened to one entry: when it was seen, its text, every rule's result, its alerts and their delivery.",
        discussion: """
            Looks the entry up in the archive by its link or its id (guid / Atom id): the feed and time it was \
            seen as new (or on the feed's first fetch, which never alerts), whether the rules saw the cleaned \
            page or the feed's own text (and why the page was not used) and how long it was, \
            each rule of the live rules file with its result (the explain tree for the rules that match and \
            for those that miss by one term), the alert of each rule that matched and, per sink it is routed \
            to, whether it was delivered or is still owed (attempts, last error, dead letter). An entry never \
            seen is said so, with the closest links seen from the same site.
            """
    )

    @Argument(help: ArgumentHelp("The entry's link or id.", valueName: "url-or-id"))
    var reference: String

    @OptionGroup var options: ConfigurationOption

    func run() async throws {
        let configuration = try options.loadConfiguration()
        let store: any Store
        do { store = try await configuration.openExistingStore() } catch { throw CommandFailure.runtime(error.description) }
        let rules = try RulesInput.rules(at: configuration.rulesFile)
        do {
            let records = try await store.archived(matching: reference)
            guard !records.isEmpty else {
                throw CommandFailure.invalidInput(try await neverSeen(store, configuration))
            }
            var out = ""
            for record in records { out += try await report(record, rules: rules, configuration, store) }
            StandardOutput.write(Array(out.utf8))
        } catch let error as StoreError {
            throw CommandFailure.runtime(error.description)
        }
    }

    private func report(_ record: ArchiveRecord, rules: [Rule], _ configuration: Daemon.Configuration, _ store: any Store) async throws(StoreError) -> String {
        let entry = record.entry
        var out = "entry \(AlertText.printable(entry.title ?? "(untitled)"))\n"
        out += "  link \(entry.url ?? "-"), id \(entry.entryID ?? "-"), published \(entry.published ?? "-")\n"
        let firstFetch = entry.source == ArchivedEntry.firstFetch
        let seen = "\(AlertText.localTime(record.seen)) in \(AlertText.printable(record.feedTitle ?? "")) <\(record.feedURL)>"
        out += firstFetch
            ? "  seen on the feed's first fetch \(seen): recorded without alerting (entries already in a feed when it is added never alert; alert_existing: true changes that)\n"
            : "  seen as new \(seen)\n"
        out += "  identity \(entry.key)\n"
        let from = entry.source == "page" ? "the cleaned article page" : firstFetch ? "the feed's own text (no page is fetched on a first fetch)" : "the feed's own text (no page, or full_text off)"
        out += "  text: \(entry.body.count) characters from \(from)\n"
        if let problem = entry.sourceError { out += "  page not used: \(AlertText.printable(problem))\n" }
        let evaluator = NaiveEvaluator(AnalyzedArticle(record.article))
        var matched: [Rule] = []
        out += "rules (\(configuration.rulesFile)):\n"
        for rule in rules {
            let trace = evaluator.trace(rule.expression)
            let then = firstFetch ? "not matched then: first fetch" : entry.rules.contains(rule.name) ? "matched when seen" : "did not match when seen"
            if trace.value {
                matched.append(rule)
                out += "  \(rule.name): matches (\(then))\n" + ExplainCommand.tree(trace, indent: "    ")
            } else if Self.missesByOne(trace) {
                out += "  \(rule.name): misses by one term (\(then))\n" + ExplainCommand.tree(trace, indent: "    ")
            } else {
                out += "  \(rule.name): no (\(then))\n"
            }
        }
        let ids = matched.map { PendingAlert.id(rule: $0.name, feedURL: record.feedURL, entry: entry.key) }
        let traces = try await store.alertTraces(ids)
        for (rule, id) in zip(matched, ids) {
            guard let alert = traces[id] else {
                out += firstFetch
                    ? "alert for \(rule.name): none (first fetch)\n"
                    : "alert for \(rule.name): none (the rule matches now but was not in force, or a copy of the story alerted it)\n"
                continue
            }
            out += "alert \(id) for \(rule.name), raised \(AlertText.localTime(Alert.timestamp(alert.created)))"
            out += alert.story.map { ", story \($0)" } ?? ""
            out += "\n"
            for sink in configuration.routing.sinks(for: rule.name) {
                if let owed = alert.owed.first(where: { $0.sink == sink }) {
                    let state = owed.dead ? "given up (a dead letter; feedwatch retry)" : "not delivered yet"
                    out += "  \(sink): \(state), \(owed.attempts) attempt\(owed.attempts == 1 ? "" : "s")"
                    out += owed.lastError.map { ", last error: \($0)" } ?? ""
                    out += "\n"
                } else {
                    out += "  \(sink): delivered\n"
                }
            }
        }
        return out + "\n"
    }

    /// An AND that all but one of its terms satisfy.
    static func missesByOne(_ trace: NaiveEvaluator.Trace) -> Bool {
        guard case .and = trace.node, trace.children.count >= 2 else { return false }
        return trace.children.filter { !$0.value }.count == 1
    }

    /// Never seen: said so, with the closest links seen from the same site.
    private func neverSeen(_ store: any Store, _ configuration: Daemon.Configuration) async throws(StoreError) -> String {
        let keep = configuration.archive.map { "the archive keeps \(Int($0.keep / 86_400)) days" } ?? "the archive is off"
        var message = "\(reference): never seen as a new entry (\(keep))"
        guard let site = Self.site(of: reference) else { return message }
        let links = try await store.archivedLinks(startingWith: site)
        let closest = links.sorted { Self.distance($0, reference) < Self.distance($1, reference) }.prefix(5)
        if !closest.isEmpty { message += "; the closest links seen from \(site):\n" + closest.map { "  \($0)" }.joined(separator: "\n") }
        return message
    }

    /// `https://host/` of a link.
    static func site(of link: String) -> String? {
        guard let scheme = link.range(of: "://") else { return nil }
        let rest = link[scheme.upperBound...]
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return host.isEmpty ? nil : String(link[..<scheme.upperBound]) + host + "/"
    }

    /// Edit distance between two links (Levenshtein, on UTF-8 bytes).
    static func distance(_ a: String, _ b: String) -> Int {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        var previous = Array(0...y.count)
        for i in 1...max(1, x.count) where !x.isEmpty {
            var current = [i] + Array(repeating: 0, count: y.count)
            for j in stride(from: 1, through: y.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[y.count]
    }
}

// SPDX-License-Identifier: MIT
import Alerts
import ArgumentParser
import Daemon
import Foundation
import Rules
import Store

/// `feedwatch rules`: working on watch rules against what the daemon has seen.
struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Try watch rules on the articles the daemon has archived.",
        subcommands: [RulesTestCommand.self]
    )
}

/// `feedwatch rules test`: a draft (or the live rules) replayed over the archive.
struct RulesTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Show what rules would have caught in the archive, newest first.",
        discussion: """
            Replays the archive (every new entry the daemon matched, with its text as the rules saw it, and \
            the entries a feed already held when it was added; see `archive:` in the configuration) through the rules of --rules FILE, or the one rule of --expr, \
            or else the live rules file, on every core, reading the state database alone (the daemon may be \
            running). Per rule: its matches with date, feed, title and snippet, a count per day, and for a \
            rule of the same name in the live rules, which entries it would add or lose. --json prints one \
            line per match: {"rule", "alerted", "entry": {"id", "url", "title", "published"}, "feed": \
            {"url", "title"}, "seen", "snippet"}, where "alerted" says whether the daemon alerted that rule \
            for that entry.
            """
    )

    @OptionGroup var options: ConfigurationOption

    @Option(help: ArgumentHelp("A draft rules file (default: the live rules file).", valueName: "file"))
    var rules: String?

    @Option(help: ArgumentHelp("One rule expression to try, named \"expr\".", valueName: "expression"))
    var expr: String?

    @Option(help: ArgumentHelp("Only entries seen at most this long ago: 90m, 24h, 7d.", valueName: "duration"))
    var since: String?

    @Flag(help: "One JSON line per match.")
    var json = false

    @Option(help: "Matches shown per rule in the human output.")
    var limit = 20

    func validate() throws {
        if rules != nil && expr != nil { throw ValidationError("give --rules or --expr, not both") }
        if let since, TailCommand.parseSince(since, now: Date()) == nil {
            throw ValidationError("--since takes an age such as 90m, 24h or 7d, not '\(since)'")
        }
    }

    func run() async throws {
        let configuration = try options.loadConfiguration()
        let draft = try draftRules(configuration)
        let store: any Store
        do { store = try await configuration.openExistingStore() } catch { throw CommandFailure.runtime(error.description) }
        let start = since.flatMap { TailCommand.parseSince($0, now: Date()) } ?? .distantPast
        var matcher = RuleMatcher(draft)
        let rules = matcher.sortedRules
        var contexts = (0..<ProcessInfo.processInfo.activeProcessorCount).map { _ in matcher.makeContext() }
        do {
            let raisedByName = try await store.raisedAlerts(rules: Set(draft.map(\.name)))
            let raised = rules.map { raisedByName[$0.name] }
            var report = RulesTestReport(draft: draft, matcherOrder: rules, raised: raised, limit: limit)
            try await store.archive(since: start) { records in
                let articles = records.map(\.article)
                if json {
                    let lines = MatchCommand.match(articles, matcher: matcher, contexts: &contexts) { k, matched, evidence in
                        RulesTestReport.jsonLines(records[k], articles[k], matched, rules: rules, raised: raised, evidence: evidence)
                    }
                    StandardOutput.write(pieces: lines)
                } else {
                    let wanted = report
                    let found = MatchCommand.match(articles, matcher: matcher, contexts: &contexts) { k, matched, evidence in
                        matched.map { (rule: $0, snippet: wanted.wantsSnippet($0) ? evidence($0).snippet(of: articles[k]) : nil) }
                    }
                    report.add(records, found)
                }
                // Word rarity learnt as the archive streams by: later batches check fewer rules.
                for k in contexts.indices { matcher.learn(from: &contexts[k]) }
                return true
            }
            if !json { StandardOutput.write(Array(report.text.utf8)) }
        } catch let error as StoreError {
            throw CommandFailure.runtime(error.description)
        }
    }

    private func draftRules(_ configuration: Daemon.Configuration) throws -> [Rule] {
        if let expr {
            do {
                return [Rule(name: "expr", expression: try RuleParser.parse(expr))]
            } catch {
                throw CommandFailure.invalidInput("--expr: \(error.message { "column \($0 + 1)" })")
            }
        }
        return try RulesInput.rules(at: rules ?? configuration.rulesFile)
    }
}

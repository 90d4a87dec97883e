// SPDX-License-Identifier: MIT
import ArgumentParser
import Foundation
import Rules

/// `feedwatch explain --rules FILE RULE [ARTICLE.json|-]`: why a rule does or does not match.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show why a rule does or does not match an article.",
        discussion: """
            Prints the rule's tree with each node true or false and, for the leaves and NEAR, the field and \
            word positions (0-based) that made it true. RULE is a rule name from the rules file, or else an \
            expression. The article is one JSON object {"id", "title", "body", …} from the file, or stdin.
            """
    )

    @Option(help: "The rules file.")
    var rules: String

    @Argument(help: "A rule name from the rules file, or a rule expression.")
    var rule: String

    @Argument(help: "JSON file with one article object, or - for stdin (the default).")
    var article: String = "-"

    func run() throws {
        let all = try RulesInput.rules(at: rules)
        let expression: RuleNode
        let label: String
        if let named = all.first(where: { $0.name == rule }) {
            expression = named.expression
            label = named.name
        } else {
            do {
                expression = try RuleParser.parse(rule)
                label = "(expression)"
            } catch {
                throw CommandFailure.invalidInput(
                    "\(rules): no rule named '\(rule)', and as an expression: \(error.message { "column \($0 + 1)" })")
            }
        }
        let data: Data
        if article == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: article) else {
                throw CommandFailure.invalidInput("\(article): cannot read the article file")
            }
            data = contents
        }
        let parsed = try RulesInput.article(fromJSON: data, origin: article == "-" ? "<stdin>" : article)
        let trace = NaiveEvaluator(AnalyzedArticle(parsed)).trace(expression)
        let out = "rule \(label) = \(expression)\narticle \(parsed.id): \(trace.value ? "MATCHES" : "does not match")\n"
        print(out + Self.tree(trace), terminator: "")
    }

    /// The rule's tree with each node's value and, for leaves and NEAR, the positions that made it
    /// true; every line starts with `indent`.
    static func tree(_ trace: NaiveEvaluator.Trace, indent: String = "") -> String {
        var out = ""
        render(trace, prefix: indent, childPrefix: indent, into: &out)
        return out
    }

    private static func render(_ trace: NaiveEvaluator.Trace, prefix: String, childPrefix: String, into out: inout String) {
        let label = Self.label(trace.node)
        let hits = trace.hits.map { hit in
            hit.field.description + "@" + hit.positions.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound - 1)" }
                .joined(separator: ",")
        }.joined(separator: " ")
        let line = prefix + label
        let padding = String(repeating: " ", count: max(1, 44 - line.count))
        out += line + padding + (trace.value ? "true " : "false") + (hits.isEmpty ? "" : "  " + hits) + "\n"
        for (index, child) in trace.children.enumerated() {
            let last = index == trace.children.count - 1
            render(child, prefix: childPrefix + (last ? "└─ " : "├─ "), childPrefix: childPrefix + (last ? "   " : "│  "), into: &out)
        }
    }

    private static func label(_ node: RuleNode) -> String {
        switch node {
        case .and: "AND"
        case .or: "OR"
        case .not: "NOT"
        case .near(let n, _, _): "NEAR/\(n)"
        default: node.description
        }
    }
}

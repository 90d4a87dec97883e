// SPDX-License-Identifier: MIT
import Foundation
import TestSupport
import Testing
@testable import Rules

/// The compiled, indexed matcher against the naive evaluator (the language's definition, node by
/// node) on news-like rule files and articles, and both against golden files whose expected output
/// was checked against the normative reference matcher when they were written.
struct DifferentialTests {
    /// The matcher's output for `articles`, in the `match` command's format, learning word rarity
    /// as it goes (as the daemon does), so that the index is rebuilt between articles.
    private static func indexed(_ rules: [Rule], _ articles: [Article]) -> String {
        var matcher = RuleMatcher(rules)
        var context = matcher.makeContext()
        var out = ""
        for (index, article) in articles.enumerated() {
            out += article.id + "\t" + matcher.match(article, in: &context).joined(separator: " ") + "\n"
            if index % 64 == 63 { matcher.learn(from: &context) }
        }
        return out
    }

    /// Every rule evaluated on every article, straight from its definition.
    private static func naive(_ rules: [Rule], _ articles: [Article]) -> String {
        let sorted = rules.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        var out = ""
        for article in articles {
            let evaluator = NaiveEvaluator(AnalyzedArticle(article))
            out += article.id + "\t" + sorted.filter { evaluator.matches($0.expression) }.map(\.name).joined(separator: " ") + "\n"
        }
        return out
    }

    /// The first lines where two outputs differ, for a readable failure.
    private static func differences(_ expected: String, _ actual: String) -> [String] {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        return zip(e, a).filter { $0 != $1 }.prefix(5).map { "expected \($0)\n     got \($1)" }
            + (e.count == a.count ? [] : ["\(e.count) lines expected, \(a.count) got"])
    }

    @Test(arguments: 1...3)
    func newsRuleFiles(seed: Int) async throws {
        // Hundreds of thousands of evaluations: on a thread of its own (see onOwnThread).
        let (expected, actual, matchedPairs, unstable) = try await onOwnThread { () throws -> (String, String, Int, [String]) in
            var generator = NewsGenerator(seed: UInt64(seed))
            let articles = (0..<120).map { generator.article(id: $0) }
            var file = "# news rules, seed \(seed)\n"
            for index in 0..<400 { file += "rule-\(index) = \(generator.rule(for: articles))\n" }
            // Through the file reader, as the daemon reads rules.
            let rules = try RuleFile.parse(file, path: "news.conf")
            let unstable = try rules.filter { try RuleParser.parse($0.expression.description) != $0.expression }.map(\.name)
            let expected = Self.naive(rules, articles)
            let pairs = expected.split(separator: "\n").reduce(0) { $0 + $1.split(separator: " ").count }
            return (expected, Self.indexed(rules, articles), pairs, unstable)
        }
        #expect(unstable.isEmpty, "printing and parsing again changes \(unstable.prefix(5))")
        #expect(actual == expected, "\(Self.differences(expected, actual))")
        // The generator is only useful if its rules match: most articles must match many rules.
        #expect(matchedPairs > 120 * 20)
    }

    private static func fixture(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
        return try String(contentsOf: url, encoding: .utf8)
    }

    private static func articles(fromJSONLines text: String) throws -> [Article] {
        try text.split(separator: "\n").map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
            return Article(id: object["id"] ?? "", title: object["title"] ?? "", body: object["body"] ?? "")
        }
    }

    /// Golden sets: `NAME.conf`, `NAME.jsonl` and `NAME.expected` (the reference matcher's output).
    /// `language` holds one or more hand-written cases per clause of the language's definition;
    /// `news` and `corners` were made by the two generators and checked by the reference.
    @Test(arguments: ["language", "news", "corners"])
    func goldenFiles(name: String) async throws {
        let rules = try RuleFile.parse(try Self.fixture("\(name).conf"), path: "\(name).conf")
        let articles = try Self.articles(fromJSONLines: try Self.fixture("\(name).jsonl"))
        let expected = try Self.fixture("\(name).expected")
        let (indexed, naive) = try await onOwnThread { (Self.indexed(rules, articles), Self.naive(rules, articles)) }
        #expect(indexed == expected, "\(Self.differences(expected, indexed))")
        #expect(naive == expected, "\(Self.differences(expected, naive))")
    }
}

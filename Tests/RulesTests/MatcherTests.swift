// SPDX-License-Identifier: MIT
import TestSupport
import Testing
@testable import Rules

struct MatcherTests {
    private func names(_ rules: String, _ article: Article) throws -> [String] {
        let matcher = RuleMatcher(try RuleFile.parse(rules, path: "rules.conf"))
        var context = matcher.makeContext()
        return matcher.match(article, in: &context)
    }

    @Test func theSeedRuleMatchesTheSeedStory() throws {
        let article = Article(
            id: "seed", title: "Russian Jets in Syria Raise New Questions",
            body: "Russian combat aircraft arrived in Syria. Russia might yet be drawn into the war.")
        #expect(try names("russia-syria-aircraft = Russia AND Syria AND aircraft\nother = tokyo", article) == ["russia-syria-aircraft"])
    }

    @Test func fieldsPhrasesPrefixesAndNear() throws {
        let article = Article(
            id: "1", title: "Air show in Zürich", body: "The F-16 flew low; officials in Zürich said the air show went on.",
            author: "Jane Smith", feed: "World News", url: "https://example.org/zurich/air-show", categories: ["Europe", "Aviation news"])
        let rules = """
            a = title:zurich
            b = body:"air show" AND F-16
            c = "f 16" NEAR/2 flew
            d = offic* NEAR/1 zurich
            e = author:smith feed:"world news"
            f = url:zurich category:aviation
            g = category:(europe NEAR/0 aviation)
            h = title:officials
            i = NOT tokyo
            j = smith
            """
        let matched = try names(rules, article)
        #expect(matched == ["a", "b", "c", "d", "e", "f", "i"])
    }

    @Test func namesComeOutInByteOrder() throws {
        #expect(try names("b = x\nB = x\na-1 = x\na_1 = x", Article(id: "1", title: "x", body: "")) == ["B", "a-1", "a_1", "b"])
    }

    @Test(arguments: 1...6)
    func indexedMatcherAndItsEvidenceAgreeWithNaiveEvaluator(seed: Int) async throws {
        // Thousands of evaluations: on a thread of its own (see onOwnThread).
        let failures = try await onOwnThread { () throws -> [String] in
            var failures: [String] = []
            var generator = AdversarialGenerator(seed: UInt64(seed), extendedFields: seed % 2 == 0)
            var rules: [Rule] = []
            for index in 0..<400 {
                let source = generator.expression()
                let node = try RuleParser.parse(source)
                if try RuleParser.parse(node.description) != node { failures.append("round trip of \(source)") }
                rules.append(Rule(name: "r\(index)", expression: node))
            }
            var matcher = RuleMatcher(rules)
            var context = matcher.makeContext()
            for id in 0..<300 {
                let article = generator.article(id: id)
                let naive = NaiveEvaluator(AnalyzedArticle(article))
                let expected = matcher.sortedRules.filter { naive.matches($0.expression) }.map(\.name)
                let indices = matcher.matchIndices(article, in: &context)
                let found = indices.map { matcher.names[Int($0)] }
                if found != expected { failures.append("seed \(seed) article \(id): \(found) instead of \(expected)") }
                // The evidence read from the index is the naive trace's, word for word and range for
                // range (on every third article: the naive evidence is slow in a debug build).
                for rule in indices where id % 3 == 0 {
                    let fromIndex = matcher.evidence(of: rule, in: article, context: &context)
                    let fromTrace = MatchEvidence(matcher.sortedRules[Int(rule)].expression, in: article)
                    if fromIndex != fromTrace {
                        failures.append("seed \(seed) article \(id) rule \(matcher.sortedRules[Int(rule)].expression): evidence \(fromIndex) instead of \(fromTrace)")
                    }
                }
                if id % 50 == 49 { matcher.learn(from: &context) }
            }
            return failures
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }
}

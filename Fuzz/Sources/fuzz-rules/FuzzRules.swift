// SPDX-License-Identifier: MIT
import FuzzSupport
import Rules

/// A rules file's bytes to rules or file:line:col errors. Every rule read is printed and read again
/// (same tree), compiled with the others into the matcher, and matched against an article made of the
/// same bytes, where the indexed matcher must agree with the naive evaluator.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRules(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let split = Int(input.byte())
    let bytes = input.rest()
    let text = String(decoding: bytes, as: UTF8.self)
    let rules: [Rule]
    do {
        rules = try RuleFile.parse(text, path: "fuzz.conf")
    } catch {
        for failure in error.errors {
            require(failure.line >= 1 && failure.column >= 1, "an error without a place: \(failure)")
        }
        return 0
    }
    for rule in rules {
        let printed = rule.expression.description
        require((try? RuleParser.parse(printed)) == rule.expression, "printing \(rule.name) and reading it again changes it: \(printed)")
    }
    let cut = text.unicodeScalars.index(text.unicodeScalars.startIndex, offsetBy: min(split, text.unicodeScalars.count))
    let article = Article(id: "fuzz", title: String(text.unicodeScalars[..<cut]), body: String(text.unicodeScalars[cut...]))
    let matcher = RuleMatcher(rules)
    var context = matcher.makeContext()
    let found = matcher.match(article, in: &context)
    let naive = NaiveEvaluator(AnalyzedArticle(article))
    let expected = matcher.sortedRules.filter { naive.matches($0.expression) }.map(\.name)
    require(found == expected, "the matcher found \(found), the definition \(expected)")
    return 0
}

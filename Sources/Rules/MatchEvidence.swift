// SPDX-License-Identifier: MIT

/// What made a rule match an article: the words that satisfied it and where they stand in the title
/// and body, for an alert's `matched` list and its highlighted snippet.
public struct MatchEvidence: Sendable, Equatable {
    /// Folded words of the article that satisfied the rule's leaves (a prefix gives the words it
    /// matched, a phrase its words), in rule order, each once. Leaves under NOT never count.
    public var words: [String] = []
    /// UTF-8 byte ranges of those words in the article's body.
    public var bodyRanges: [Range<Int>] = []
    /// UTF-8 byte ranges of those words in the article's title.
    public var titleRanges: [Range<Int>] = []

    init(words: [String], bodyRanges: [Range<Int>], titleRanges: [Range<Int>]) {
        self.words = words
        self.bodyRanges = bodyRanges
        self.titleRanges = titleRanges
    }

    /// The evidence of `rule` in `article`; empty when the rule does not match.
    public init(_ rule: RuleNode, in article: Article) {
        let analyzed = AnalyzedArticle(article)
        let trace = NaiveEvaluator(analyzed).trace(rule)
        guard trace.value else { return }
        var positions: [Field: [Range<Int>]] = [:]
        collect(trace, analyzed, into: &positions)
        bodyRanges = Self.byteRanges(positions[.body] ?? [], in: article.body)
        titleRanges = Self.byteRanges(positions[.title] ?? [], in: article.title)
    }

    private mutating func collect(_ trace: NaiveEvaluator.Trace, _ article: AnalyzedArticle, into positions: inout [Field: [Range<Int>]]) {
        guard trace.value else { return }
        switch trace.node {
        case .not:
            return
        case .and, .or, .near:
            for child in trace.children { collect(child, article, into: &positions) }
        case .term, .prefix, .phrase:
            for hit in trace.hits {
                positions[hit.field, default: []].append(contentsOf: hit.positions)
                for span in hit.positions {
                    let word = article.words[hit.field.rawValue][span].joined(separator: " ")
                    if !words.contains(word) { words.append(word) }
                }
            }
        }
    }

    /// Word-position spans turned into byte ranges of `text`, one per word.
    private static func byteRanges(_ spans: [Range<Int>], in text: String) -> [Range<Int>] {
        guard !spans.isEmpty else { return [] }
        let ranges = Analyzer.wordRanges(text)
        var seen = Set<Int>()
        return spans.flatMap { $0 }.filter { $0 < ranges.count && seen.insert($0).inserted }.sorted().map { ranges[$0] }
    }
}

// SPDX-License-Identifier: MIT

/// Evaluates a rule straight from its definition (RULES.md section 4), recording why each node is
/// true or false. Slow and obviously right: `explain` prints its trace, and tests hold the indexed
/// matcher against it.
public struct NaiveEvaluator {
    /// One node of an evaluation trace.
    public struct Trace: Sendable {
        public let node: RuleNode
        public let value: Bool
        /// Where leaves matched: field and word positions (spans for phrases).
        public let hits: [(field: Field, positions: [Range<Int>])]
        public let children: [Trace]
    }

    private let article: AnalyzedArticle

    public init(_ article: AnalyzedArticle) { self.article = article }

    public func matches(_ node: RuleNode) -> Bool { trace(node).value }

    public func trace(_ node: RuleNode) -> Trace {
        switch node {
        case .term, .prefix, .phrase:
            let hits = node.scope.fields.compactMap { field -> (field: Field, positions: [Range<Int>])? in
                let spans = leafSpans(node, in: field)
                return spans.isEmpty ? nil : (field, spans)
            }
            return Trace(node: node, value: !hits.isEmpty, hits: hits, children: [])
        case .and(let children):
            let traces = children.map(trace)
            return Trace(node: node, value: traces.allSatisfy(\.value), hits: [], children: traces)
        case .or(let children):
            let traces = children.map(trace)
            return Trace(node: node, value: traces.contains { $0.value }, hits: [], children: traces)
        case .not(let child):
            let inner = trace(child)
            return Trace(node: node, value: !inner.value, hits: [], children: [inner])
        case .near(let n, let a, let b):
            var hits: [(field: Field, positions: [Range<Int>])] = []
            for field in Field.allCases {
                let spansA = spans(a, in: field)
                let spansB = spans(b, in: field)
                var found: [Range<Int>] = []
                for x in spansA {
                    for y in spansB where article.sameRun(field, x.lowerBound, y.lowerBound) {
                        let gap = max(x.upperBound, y.upperBound) - min(x.lowerBound, y.lowerBound) - x.count - y.count
                        if gap <= n { found.append(min(x.lowerBound, y.lowerBound)..<max(x.upperBound, y.upperBound)) }
                    }
                }
                if !found.isEmpty { hits.append((field, found)) }
            }
            return Trace(node: node, value: !hits.isEmpty, hits: hits, children: [trace(a), trace(b)])
        }
    }

    /// Spans of a NEAR operand in one field: its leaves whose scope includes the field.
    private func spans(_ node: RuleNode, in field: Field) -> [Range<Int>] {
        if case .or(let children) = node { return children.flatMap { spans($0, in: field) } }
        return node.scope.contains(field) ? leafSpans(node, in: field) : []
    }

    private func leafSpans(_ node: RuleNode, in field: Field) -> [Range<Int>] {
        let words = article.words[field.rawValue]
        switch node {
        case .term(let word, _):
            return words.indices.filter { words[$0].utf8.elementsEqual(word.utf8) }.map { $0..<($0 + 1) }
        case .prefix(let stem, _):
            return words.indices.filter { words[$0].utf8.starts(with: stem.utf8) }.map { $0..<($0 + 1) }
        case .phrase(let phrase, _):
            guard words.count >= phrase.count else { return [] }
            return (0...(words.count - phrase.count)).filter { start in
                phrase.indices.allSatisfy { words[start + $0].utf8.elementsEqual(phrase[$0].utf8) }
            }.map { $0..<($0 + phrase.count) }
        default:
            return []
        }
    }
}

extension RuleNode {
    /// The scope of a leaf.
    var scope: FieldSet {
        switch self {
        case .term(_, let scope), .prefix(_, let scope), .phrase(_, let scope): scope
        default: []
        }
    }
}

// SPDX-License-Identifier: MIT

extension ArticleIndex {
    /// The evidence of `rule` (a root of `rules` that the loaded `article` matches), read from the
    /// index: the same words and ranges as ``MatchEvidence/init(_:in:)`` finds by analysing the article
    /// again, at a fraction of the cost, for replaying many rules over many articles. Without
    /// `withWords` only the ranges are found (all a snippet needs).
    mutating func evidence(_ rule: Int32, of article: Article, _ rules: CompiledRules, withWords: Bool) -> MatchEvidence {
        var found = Found(withWords: withWords)
        collect(rules.roots[Int(rule)], article, rules, into: &found)
        return MatchEvidence(
            words: found.words, bodyRanges: byteRanges(&found.body, field: .body), titleRanges: byteRanges(&found.title, field: .title))
    }

    private struct Found {
        let withWords: Bool
        var words: [String] = []
        /// Positions in the title and body, where the ranges are wanted.
        var title: [Int32] = []
        var body: [Int32] = []
    }

    /// Walks the true part of a true node the way the evidence of the naive trace is gathered: every
    /// child of an AND, the true children of an OR and the true leaves of a NEAR, nothing under NOT.
    private mutating func collect(_ id: Int32, _ article: Article, _ rules: CompiledRules, into found: inout Found) {
        let node = rules.nodes[Int(id)]
        switch node.kind {
        case .not:
            return
        case .and:
            for child in node.a..<(node.a + node.b) { collect(child, article, rules, into: &found) }
        case .or:
            for child in node.a..<(node.a + node.b) where evaluate(child, rules) { collect(child, article, rules, into: &found) }
        case .near:
            let leaves = node.a..<(node.a + node.b + rules.pool[Int(node.c)])
            for leaf in leaves where evaluate(leaf, rules) { collect(leaf, article, rules, into: &found) }
        case .term, .prefix, .phrase:
            for (field, span) in leafSpans(node, rules) {
                if field == Field.title.rawValue { found.title.append(contentsOf: span) }
                if field == Field.body.rawValue { found.body.append(contentsOf: span) }
                guard found.withWords else { continue }
                let word = span.map { self.word(at: $0, field: field, of: article, rules) }.joined(separator: " ")
                if !found.words.contains(word) { found.words.append(word) }
            }
        }
    }

    /// Where a leaf occurs in the fields of its scope, in field order, then position order.
    private func leafSpans(_ leaf: CompiledRules.Node, _ rules: CompiledRules) -> [(field: Int, span: Range<Int32>)] {
        var spans: [(field: Int, span: Range<Int32>)] = []
        if leaf.kind == .phrase {
            forEachPhraseStart(leaf, rules, fields: leaf.scope) { field, start in spans.append((field, start..<(start + leaf.b))) }
        } else {
            let feature = leaf.kind == .term ? leaf.a : Int32(rules.words.count) + leaf.a
            guard stamp[Int(feature)] == generation else { return [] }
            var occurrence = head[Int(feature)]
            while occurrence >= 0 {
                let field = Int(occurrenceField[Int(occurrence)])
                let position = occurrencePosition[Int(occurrence)]
                if leaf.scope & (1 << UInt8(field)) != 0 { spans.append((field, position..<(position + 1))) }
                occurrence = occurrenceNext[Int(occurrence)]
            }
        }
        return spans.sorted { ($0.field, $0.span.lowerBound) < ($1.field, $1.span.lowerBound) }
    }

    /// The folded word at `position` of `field`: a rule's word from the rules, any other word (one a
    /// prefix matched) analysed again from its place in the text.
    private func word(at position: Int32, field: Int, of article: Article, _ rules: CompiledRules) -> String {
        let token = tokens[field][Int(position)]
        if token >= 0 { return rules.words.string(token) }
        let text = field == Field.category.rawValue
            ? article.categories[Int(categorySegment[Int(position)])]
            : article.texts(Field(rawValue: field)!)[0]
        let range = wordRanges[field][Int(position)]
        let bytes = text.utf8.dropFirst(Int(range.lowerBound)).prefix(range.count)
        return Analyzer.words(String(decoding: bytes, as: UTF8.self)).first ?? ""
    }

    /// Positions turned into the UTF-8 ranges of their words, each once, in text order.
    private func byteRanges(_ positions: inout [Int32], field: Field) -> [Range<Int>] {
        positions.sort()
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(positions.count)
        for (k, position) in positions.enumerated() where k == 0 || positions[k - 1] != position {
            let range = wordRanges[field.rawValue][Int(position)]
            ranges.append(Int(range.lowerBound)..<Int(range.upperBound))
        }
        return ranges
    }
}

// SPDX-License-Identifier: MIT

/// One article indexed for matching: per field, the id of each word position; per feature (word or
/// prefix stem of some rule) the fields it occurs in and its positions. Reused from article to
/// article: a generation stamp marks what belongs to the current one, so nothing is cleared.
struct ArticleIndex {
    private(set) var generation: UInt32 = 0
    /// Per feature: the generation it was last seen in, its field bits, its first occurrence (the
    /// list runs from the last occurrence back to the first).
    let stamp: FixedBuffer<UInt32>
    let fieldBits: FixedBuffer<UInt8>
    let head: FixedBuffer<Int32>
    private(set) var occurrencePosition: [Int32] = []
    private(set) var occurrenceField: [UInt8] = []
    private(set) var occurrenceNext: [Int32] = []
    /// Word id at each position of each field; -1 for words no rule mentions, -2 between categories.
    private(set) var tokens: [[Int32]] = Array(repeating: [], count: Field.allCases.count)
    /// UTF-8 range of the word at each position of each field, in its text (for categories, in its
    /// category): where the evidence of a match lies.
    private(set) var wordRanges: [[Range<Int32>]] = Array(repeating: [], count: Field.allCases.count)
    /// Category index of each position of the category field.
    private(set) var categorySegment: [Int32] = []
    /// Features of the current article, each once.
    private(set) var present: [Int32] = []
    /// Document frequency of each feature over the articles indexed since the last `drainStatistics`.
    private var frequency: [UInt32]
    private var indexedArticles = 0
    private let ruleStamp: FixedBuffer<UInt32>
    private var candidates: [Int32] = []
    private var spansA: [(Int32, Int32, Int32)] = []
    private var spansB: [(Int32, Int32, Int32)] = []
    /// Rules evaluated since this index was made: a measure of how well the anchors select.
    private(set) var evaluatedRules = 0

    init(rules: CompiledRules) {
        let features = rules.featureCount
        stamp = FixedBuffer(count: features, value: 0)
        fieldBits = FixedBuffer(count: features, value: 0)
        head = FixedBuffer(count: features, value: -1)
        frequency = Array(repeating: 0, count: features)
        ruleStamp = FixedBuffer(count: rules.roots.count, value: 0)
    }

    // MARK: Indexing

    mutating func load(_ article: Article, rules: CompiledRules) {
        generation &+= 1
        if generation == 0 {
            // Wrapped after 4 billion articles: old stamps could collide, so clear them once.
            stamp.fill(0)
            ruleStamp.fill(0)
            generation = 1
        }
        occurrencePosition.removeAll(keepingCapacity: true)
        occurrenceField.removeAll(keepingCapacity: true)
        occurrenceNext.removeAll(keepingCapacity: true)
        present.removeAll(keepingCapacity: true)
        categorySegment.removeAll(keepingCapacity: true)
        for field in Field.allCases {
            tokens[field.rawValue].removeAll(keepingCapacity: true)
            wordRanges[field.rawValue].removeAll(keepingCapacity: true)
            for (segment, text) in article.texts(field).enumerated() where !text.isEmpty {
                if segment > 0 && field == .category {
                    tokens[field.rawValue].append(-2)
                    wordRanges[field.rawValue].append(0..<0)
                    categorySegment.append(-1)
                }
                index(text, field: field, segment: Int32(segment), rules: rules)
            }
        }
        for feature in present { frequency[Int(feature)] &+= 1 }
        indexedArticles += 1
    }

    private mutating func index(_ text: String, field: Field, segment: Int32, rules: CompiledRules) {
        let f = field.rawValue
        let wordCount = Int32(rules.words.count)
        let usePrefixes = rules.prefixes.count > 0
        Analyzer.forEachWordAndRange(in: text) { bytes, range in
            let position = Int32(tokens[f].count)
            let word = rules.words.lookup(bytes) ?? -1
            tokens[f].append(word)
            wordRanges[f].append(Int32(range.lowerBound)..<Int32(range.upperBound))
            if field == .category { categorySegment.append(segment) }
            if word >= 0 { record(word, field: f, position: position) }
            guard usePrefixes, bytes.count >= 3 else { return }
            let bit = CompiledRules.filterBit(bytes)
            guard rules.prefixFilter[bit >> 6] & (1 << UInt64(bit & 63)) != 0 else { return }
            for length in rules.prefixLengths {
                if length > bytes.count { break }
                if let stem = rules.prefixes.lookup(bytes.extracting(..<length)) {
                    record(wordCount + stem, field: f, position: position)
                }
            }
        }
    }

    @inline(__always)
    private mutating func record(_ feature: Int32, field: Int, position: Int32) {
        let i = Int(feature)
        if stamp[i] != generation {
            stamp[i] = generation
            fieldBits[i] = 0
            head[i] = -1
            present.append(feature)
        }
        fieldBits[i] |= 1 << UInt8(field)
        occurrencePosition.append(position)
        occurrenceField.append(UInt8(field))
        occurrenceNext.append(head[i])
        head[i] = Int32(occurrencePosition.count - 1)
    }

    /// Hands over the document frequencies gathered since the last call.
    mutating func drainStatistics() -> (articles: Int, frequencies: [UInt32]) {
        defer {
            for i in frequency.indices { frequency[i] = 0 }
            indexedArticles = 0
        }
        return (indexedArticles, frequency)
    }

    // MARK: Matching

    /// Indices of the rules the loaded article matches, ascending.
    mutating func matchingRules(_ rules: CompiledRules, anchors: AnchorIndex) -> [Int32] {
        candidates.removeAll(keepingCapacity: true)
        let generation = self.generation
        for feature in present {
            let start = Int(anchors.postingStart[Int(feature)])
            let end = Int(anchors.postingStart[Int(feature) + 1])
            for k in start..<end {
                let check = anchors.checks[k]
                if check >= 0 && stamp[Int(check)] != generation { continue }
                let rule = Int(anchors.postings[k])
                if ruleStamp[rule] != generation {
                    ruleStamp[rule] = generation
                    candidates.append(Int32(rule))
                }
            }
        }
        evaluatedRules += candidates.count + anchors.always.count
        var matched: [Int32] = []
        for rule in candidates where evaluate(rules.roots[Int(rule)], rules) { matched.append(rule) }
        for rule in anchors.always where evaluate(rules.roots[Int(rule)], rules) { matched.append(rule) }
        matched.sort()
        return matched
    }

    mutating func evaluate(_ id: Int32, _ rules: CompiledRules) -> Bool {
        let node = rules.nodes[Int(id)]
        switch node.kind {
        case .term:
            return has(node.a, scope: node.scope)
        case .prefix:
            return has(Int32(rules.words.count) + node.a, scope: node.scope)
        case .phrase:
            return phraseOccurs(node, rules)
        case .and:
            for child in node.a..<(node.a + node.b) where !evaluate(child, rules) { return false }
            return true
        case .or:
            for child in node.a..<(node.a + node.b) where evaluate(child, rules) { return true }
            return false
        case .not:
            return !evaluate(node.a, rules)
        case .near:
            return near(node, rules)
        }
    }

    @inline(__always)
    private func has(_ feature: Int32, scope: UInt8) -> Bool {
        stamp[Int(feature)] == generation && fieldBits[Int(feature)] & scope != 0
    }

    private func phraseOccurs(_ node: CompiledRules.Node, _ rules: CompiledRules) -> Bool {
        let words = Int(node.a)..<Int(node.a + node.b)
        for k in words where !has(rules.pool[k], scope: node.scope) { return false }
        var found = false
        forEachPhraseStart(node, rules, fields: node.scope) { _, _ in found = true }
        return found
    }

    /// Calls `body(field, start)` for each position where the phrase occurs in one of `fields`.
    func forEachPhraseStart(
        _ node: CompiledRules.Node, _ rules: CompiledRules, fields: UInt8, _ body: (Int, Int32) -> Void
    ) {
        let first = rules.pool[Int(node.a)]
        guard stamp[Int(first)] == generation else { return }
        var occurrence = head[Int(first)]
        while occurrence >= 0 {
            let field = Int(occurrenceField[Int(occurrence)])
            let start = occurrencePosition[Int(occurrence)]
            if fields & (1 << UInt8(field)) != 0 {
                let fieldTokens = tokens[field]
                if Int(start) + Int(node.b) <= fieldTokens.count {
                    var k = 1
                    while k < Int(node.b), fieldTokens[Int(start) + k] == rules.pool[Int(node.a) + k] { k += 1 }
                    if k == Int(node.b) { body(field, start) }
                }
            }
            occurrence = occurrenceNext[Int(occurrence)]
        }
    }

    private mutating func near(_ node: CompiledRules.Node, _ rules: CompiledRules) -> Bool {
        let left = node.a..<(node.a + node.b)
        let right = left.upperBound..<(left.upperBound + rules.pool[Int(node.c)])
        let distance = Int(rules.pool[Int(node.c) + 1])
        for field in 0..<Field.allCases.count {
            spansA.removeAll(keepingCapacity: true)
            collectSpans(left, field: field, rules, into: &spansA)
            if spansA.isEmpty { continue }
            spansB.removeAll(keepingCapacity: true)
            collectSpans(right, field: field, rules, into: &spansB)
            for (s1, e1, g1) in spansA {
                for (s2, e2, g2) in spansB where g1 == g2 {
                    let gap = Int(max(e1, e2)) - Int(min(s1, s2)) - Int(e1 - s1) - Int(e2 - s2)
                    if gap <= distance { return true }
                }
            }
        }
        return false
    }

    /// Spans `(start, end, run)` in `field` of the leaf nodes `leaves` whose scope includes it.
    private func collectSpans(
        _ leaves: Range<Int32>, field: Int, _ rules: CompiledRules, into spans: inout [(Int32, Int32, Int32)]
    ) {
        let bit = UInt8(1) << UInt8(field)
        for k in leaves {
            let leaf = rules.nodes[Int(k)]
            guard leaf.scope & bit != 0 else { continue }
            switch leaf.kind {
            case .term, .prefix:
                let feature = leaf.kind == .term ? leaf.a : Int32(rules.words.count) + leaf.a
                guard stamp[Int(feature)] == generation, fieldBits[Int(feature)] & bit != 0 else { continue }
                var occurrence = head[Int(feature)]
                while occurrence >= 0 {
                    if Int(occurrenceField[Int(occurrence)]) == field {
                        let p = occurrencePosition[Int(occurrence)]
                        spans.append((p, p + 1, run(field, p)))
                    }
                    occurrence = occurrenceNext[Int(occurrence)]
                }
            case .phrase:
                forEachPhraseStart(leaf, rules, fields: bit) { _, start in
                    spans.append((start, start + leaf.b, run(field, start)))
                }
            default:
                continue
            }
        }
    }

    @inline(__always)
    private func run(_ field: Int, _ position: Int32) -> Int32 {
        field == Field.category.rawValue ? categorySegment[Int(position)] : 0
    }
}

// SPDX-License-Identifier: MIT
// Candidate selection in the manner of Lucene's Monitor (Luwak): for each rule, a set of features
// (words or prefix stems) of which any matching article must contain at least one, chosen to be as
// rare as possible; the rule is indexed under those features only. An article then evaluates just
// the rules indexed under the features it contains, plus the few rules that can match without any
// word at all (`NOT war`, `a OR NOT b`).
//
// Rarity comes from a small built-in prior (the commonest English words) until enough articles have
// been seen; from then on from the document frequencies observed in the stream itself, re-chosen as
// the stream grows (after 64, 512, 4,096 … articles).

/// How often features occur in articles: observed counts over a prior.
struct FeatureStatistics: Sendable {
    private(set) var articles = 0
    private(set) var documentFrequency: [UInt32]

    init(featureCount: Int) { documentFrequency = Array(repeating: 0, count: featureCount) }

    mutating func add(articles count: Int, frequencies: [UInt32]) {
        articles += count
        for (i, f) in frequencies.enumerated() where f > 0 { documentFrequency[i] &+= f }
    }

    /// Estimated share of articles containing feature `id`.
    func estimate(_ id: Int32, rules: CompiledRules) -> Double {
        if articles >= AnchorIndex.minimumArticles {
            return (Double(documentFrequency[Int(id)]) + 0.5) / (Double(articles) + 1)
        }
        let wordCount = Int32(rules.words.count)
        if id >= wordCount {
            let stemLength = rules.prefixes.string(id - wordCount).unicodeScalars.count
            return stemLength <= 3 ? 0.2 : 0.05
        }
        let word = rules.words.string(id)
        if CommonWords.english.contains(word) { return 0.5 }
        return 0.002 + 0.05 / Double(max(1, word.unicodeScalars.count))
    }
}

/// Rules indexed by their anchor features, as compressed posting lists.
struct AnchorIndex: Sendable {
    static let minimumArticles = 64

    /// `postings[postingStart[f] ..< postingStart[f + 1]]` are the rules anchored on feature `f`.
    let postingStart: [Int32]
    let postings: [Int32]
    /// Beside each posting, a second feature every match of the rule needs (or -1): checked before
    /// the rule is evaluated, it turns most false candidates away without touching the rule itself.
    let checks: [Int32]
    /// Rules that can match an article without any of their words: always evaluated.
    let always: [Int32]

    init(rules: CompiledRules, statistics: FeatureStatistics) {
        var counts = [Int32](repeating: 0, count: rules.featureCount + 1)
        var anchors: [[Int32]?] = []
        var secondChecks: [Int32] = []
        anchors.reserveCapacity(rules.roots.count)
        var always: [Int32] = []
        for (index, root) in rules.roots.enumerated() {
            let byRarity = Self.required(root, rules: rules).sorted {
                statistics.estimate($0, rules: rules) < statistics.estimate($1, rules: rules)
            }
            var choice = Self.anchors(root, rules: rules, statistics: statistics)
            var check: Int32 = -1
            if let rarest = byRarity.first {
                let cost = statistics.estimate(rarest, rules: rules)
                if choice == nil || cost <= choice!.cost {
                    choice = ([rarest], cost)
                    check = byRarity.count > 1 ? byRarity[1] : -1
                } else {
                    check = rarest
                }
            }
            anchors.append(choice?.features)
            secondChecks.append(check)
            if let features = choice?.features {
                for f in features { counts[Int(f)] += 1 }
            } else {
                always.append(Int32(index))
            }
        }
        var start = [Int32](repeating: 0, count: rules.featureCount + 1)
        for f in 0..<rules.featureCount { start[f + 1] = start[f] + counts[f] }
        var fill = start
        var postings = [Int32](repeating: 0, count: Int(start[rules.featureCount]))
        var checks = [Int32](repeating: -1, count: postings.count)
        for (index, features) in anchors.enumerated() {
            for f in features ?? [] {
                postings[Int(fill[Int(f)])] = Int32(index)
                // The check must differ from the posting's own feature to tell anything.
                checks[Int(fill[Int(f)])] = secondChecks[index] == f ? -1 : secondChecks[index]
                fill[Int(f)] += 1
            }
        }
        postingStart = start
        self.postings = postings
        self.checks = checks
        self.always = always
    }

    /// Features of which a match needs at least one, and their summed estimated frequency; `nil` when
    /// the node can be true without any feature present.
    private static func anchors(_ id: Int32, rules: CompiledRules, statistics: FeatureStatistics)
        -> (features: [Int32], cost: Double)?
    {
        let node = rules.nodes[Int(id)]
        let wordCount = Int32(rules.words.count)
        switch node.kind {
        case .term:
            return ([node.a], statistics.estimate(node.a, rules: rules))
        case .prefix:
            return ([wordCount + node.a], statistics.estimate(wordCount + node.a, rules: rules))
        case .phrase:
            let words = rules.pool[Int(node.a)..<Int(node.a + node.b)]
            let rarest = words.min { statistics.estimate($0, rules: rules) < statistics.estimate($1, rules: rules) }!
            return ([rarest], statistics.estimate(rarest, rules: rules))
        case .and:
            return children(node, rules).compactMap { anchors($0, rules: rules, statistics: statistics) }
                .min { $0.cost < $1.cost }
        case .or:
            return union(children(node, rules), rules: rules, statistics: statistics)
        case .not:
            return nil
        case .near:
            let (leftLeaves, rightLeaves) = nearLeaves(node, rules)
            let left = union(leftLeaves, rules: rules, statistics: statistics)
            let right = union(rightLeaves, rules: rules, statistics: statistics)
            return [left, right].compactMap { $0 }.min { $0.cost < $1.cost }
        }
    }

    /// Features that every match of the node contains (a necessary conjunction).
    private static func required(_ id: Int32, rules: CompiledRules) -> [Int32] {
        let node = rules.nodes[Int(id)]
        switch node.kind {
        case .term: return [node.a]
        case .prefix: return [Int32(rules.words.count) + node.a]
        case .phrase: return Array(rules.pool[Int(node.a)..<Int(node.a + node.b)])
        case .and:
            var all: [Int32] = []
            for child in children(node, rules) {
                for f in required(child, rules: rules) where !all.contains(f) { all.append(f) }
            }
            return all
        case .or, .not: return []
        case .near:
            // Each side is a leaf or an OR of leaves: only a single leaf is required.
            var all: [Int32] = []
            let (left, right) = nearLeaves(node, rules)
            if left.count == 1 { all += required(left.lowerBound, rules: rules) }
            if right.count == 1 { all += required(right.lowerBound, rules: rules).filter { !all.contains($0) } }
            return all
        }
    }

    private static func union(_ ids: some Sequence<Int32>, rules: CompiledRules, statistics: FeatureStatistics)
        -> (features: [Int32], cost: Double)?
    {
        var features: [Int32] = []
        var cost = 0.0
        for child in ids {
            guard let anchor = anchors(child, rules: rules, statistics: statistics) else { return nil }
            for f in anchor.features where !features.contains(f) { features.append(f) }
            cost += anchor.cost
        }
        return (features, min(cost, 1))
    }

    private static func children(_ node: CompiledRules.Node, _ rules: CompiledRules) -> Range<Int32> {
        node.a..<(node.a + node.b)
    }

    /// The left and right leaf nodes of a NEAR node.
    private static func nearLeaves(_ node: CompiledRules.Node, _ rules: CompiledRules) -> (Range<Int32>, Range<Int32>) {
        let left = node.a..<(node.a + node.b)
        return (left, left.upperBound..<(left.upperBound + rules.pool[Int(node.c)]))
    }
}

/// The commonest English words: a prior for rarity before the stream has taught better.
enum CommonWords {
    static let english: Set<String> = Set("""
        a about after again against all also an and any are as at back be because been before being between \
        both but by can could day did do does down during each even first for from get good had has have he \
        her here him his how i if in into is it its just know last like made make many may me more most much \
        my new no not now of off on once one only or other our out over people said same say says see she \
        should since so some still such take than that the their them then there these they this those \
        through time to too two under up us very was way we well were what when where which while who will \
        with would year years you your s t mr mrs government told per cent
        """.split(whereSeparator: \.isWhitespace).map(String.init))
}

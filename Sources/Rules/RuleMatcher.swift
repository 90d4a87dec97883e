// SPDX-License-Identifier: MIT

/// Matches articles against a whole rule set through an index over its rules (see `AnchorIndex`):
/// each article evaluates only the rules that could match it.
///
/// The matcher itself is an immutable value that threads share; each thread matches through its own
/// ``MatchContext``. ``learn(from:)`` folds the word statistics a context gathered back into the
/// matcher, which re-chooses its index as the stream grows.
public struct RuleMatcher: Sendable {
    let rules: CompiledRules
    private(set) var anchors: AnchorIndex
    private var statistics: FeatureStatistics
    private var nextRebuild = AnchorIndex.minimumArticles

    public init(_ rules: [Rule]) {
        UnicodeFolding.prepare()
        self.rules = CompiledRules(rules)
        statistics = FeatureStatistics(featureCount: self.rules.featureCount)
        anchors = AnchorIndex(rules: self.rules, statistics: statistics)
    }

    /// Number of rules.
    public var count: Int { rules.roots.count }

    /// Rule names in byte order.
    public var names: [String] { rules.names }

    /// The rules in byte order of their names.
    public var sortedRules: [Rule] { rules.rules }

    /// Per-thread working memory for matching.
    public func makeContext() -> MatchContext { MatchContext(index: ArticleIndex(rules: rules)) }

    /// Names of the rules `article` matches, in byte order.
    public func match(_ article: Article, in context: inout MatchContext) -> [String] {
        matchIndices(article, in: &context).map { rules.names[Int($0)] }
    }

    /// Indices (into ``names``) of the rules `article` matches, ascending.
    public func matchIndices(_ article: Article, in context: inout MatchContext) -> [Int32] {
        context.index.load(article, rules: rules)
        return context.index.matchingRules(rules, anchors: anchors)
    }

    /// What made rule `rule` (an index ``matchIndices(_:in:)`` returned for `article`, the article
    /// last matched through `context`) match: the words and where they lie, as
    /// ``MatchEvidence/init(_:in:)`` finds them, read from the context instead of a second analysis.
    /// Without `withWords`, ``MatchEvidence/words`` stays empty: the ranges are all a snippet needs.
    public func evidence(of rule: Int32, in article: Article, context: inout MatchContext, withWords: Bool = true) -> MatchEvidence {
        context.index.evidence(rule, of: article, rules, withWords: withWords)
    }

    /// Takes the statistics `context` gathered and, when the stream has grown enough, re-chooses
    /// which words index each rule. Results never change; only speed does.
    public mutating func learn(from context: inout MatchContext) {
        let (articles, frequencies) = context.index.drainStatistics()
        guard articles > 0 else { return }
        statistics.add(articles: articles, frequencies: frequencies)
        if statistics.articles >= nextRebuild {
            anchors = AnchorIndex(rules: rules, statistics: statistics)
            nextRebuild = statistics.articles * 8
        }
    }
}

/// A thread's working memory for ``RuleMatcher``.
public struct MatchContext {
    var index: ArticleIndex

    /// Rules evaluated through this context so far (the candidates the index selected).
    public var evaluatedRules: Int { index.evaluatedRules }
}

// SPDX-License-Identifier: MIT

/// What rules are matched against: the text fields of one article (RULES.md section 1).
public struct Article: Sendable {
    public var id: String
    public var title: String
    /// The cleaned article text, or the feed item's summary or content.
    public var body: String
    public var author: String
    /// The feed's title.
    public var feed: String
    /// The entry's link.
    public var url: String
    /// Each category is its own run of positions.
    public var categories: [String]

    public init(
        id: String, title: String, body: String, author: String = "", feed: String = "", url: String = "",
        categories: [String] = []
    ) {
        self.id = id
        self.title = title
        self.body = body
        self.author = author
        self.feed = feed
        self.url = url
        self.categories = categories
    }

    /// The texts of a field; one per category for `category`, one for every other field.
    func texts(_ field: Field) -> [String] {
        switch field {
        case .title: [title]
        case .body: [body]
        case .author: [author]
        case .feed: [feed]
        case .url: [url]
        case .category: categories
        }
    }
}

/// An article split into folded words per field: the straightforward form that `explain` and the
/// naive evaluator read.
public struct AnalyzedArticle: Sendable {
    /// Words of each field, indexed by ``Field/rawValue``; categories are runs separated by
    /// ``segmentBreak`` (no word can equal it), so no phrase or NEAR crosses two categories.
    public let words: [[String]]
    /// Category index of each position of the category field.
    let segments: [Int]

    static let segmentBreak = "\u{0}"

    public init(_ article: Article) {
        var words: [[String]] = []
        var segments: [Int] = []
        for field in Field.allCases {
            var fieldWords: [String] = []
            for (index, text) in article.texts(field).enumerated() {
                if index > 0 {
                    fieldWords.append(Self.segmentBreak)
                    if field == .category { segments.append(-1) }
                }
                for word in Analyzer.words(text) {
                    fieldWords.append(word)
                    if field == .category { segments.append(index) }
                }
            }
            words.append(fieldWords)
        }
        self.words = words
        self.segments = segments
    }

    /// True when positions `a` and `b` of `field` lie in the same run (always, but for categories).
    func sameRun(_ field: Field, _ a: Int, _ b: Int) -> Bool {
        field != .category || segments[a] == segments[b]
    }
}

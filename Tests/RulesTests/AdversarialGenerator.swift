// SPDX-License-Identifier: MIT
@testable import Rules

/// SplitMix64: a small seeded generator, so that every failure can be replayed.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Makes rules and articles that probe the corners of the language: Unicode and diacritics,
/// punctuation inside terms, prefixes at the three-character minimum, NEAR with overlapping spans,
/// nested field scopes, implicit AND next to `-x`.
struct AdversarialGenerator {
    var random: SeededRandom
    /// Whether rules may use the fields only the daemon has (author, feed, url, category).
    let extendedFields: Bool

    static let vocabulary = [
        "Russia", "russia's", "RUSSIAN", "Syria", "syrian", "aircraft", "air-craft", "Zürich", "zurich", "ZÜRICH",
        "São", "sao", "Ｔｏｋｙｏ", "tokyo", "ΟΔΟΣ", "οδος", "straße", "strasse", "ﬁre", "fire", "F-16", "f16",
        "U.S.", "us", "3.5%", "naïve", "naive", "İstanbul", "istanbul", "东京", "한국", "café", "cafe\u{301}",
        "x_y", "e-mail", "email", "don't", "dont", "ab", "abc", "abcd", "abcde", "war", "warsaw", "wars",
    ]
    private static let separators = [" ", " ", " ", ", ", ". ", " - ", "\n", "; ", " (", ") ", "/", "…"]

    init(seed: UInt64, extendedFields: Bool) {
        random = SeededRandom(seed: seed)
        self.extendedFields = extendedFields
    }

    private mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &random)] }
    private mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &random) < p }

    mutating func text(words: ClosedRange<Int>) -> String {
        var out = ""
        for index in 0..<Int.random(in: words, using: &random) {
            if index > 0 { out += pick(Self.separators) }
            out += pick(Self.vocabulary)
        }
        return out
    }

    mutating func article(id: Int) -> Article {
        Article(
            id: "a\(id)", title: text(words: 0...6), body: text(words: 0...40),
            author: extendedFields ? text(words: 0...2) : "", feed: extendedFields ? text(words: 0...3) : "",
            url: extendedFields ? "https://example.org/" + text(words: 0...3).replacingSpaces : "",
            categories: extendedFields ? (0..<Int.random(in: 0...3, using: &random)).map { _ in text(words: 1...2) } : [])
    }

    /// A rule expression in the language's surface syntax.
    mutating func expression(depth: Int = 0) -> String {
        let roll = Int.random(in: 0..<100, using: &random)
        if depth >= 3 || roll < 35 { return leaf() }
        switch roll {
        case 35..<50: return expression(depth: depth + 1) + " AND " + expression(depth: depth + 1)
        case 50..<60: return expression(depth: depth + 1) + " " + expression(depth: depth + 1)
        case 60..<70: return "(" + expression(depth: depth + 1) + " OR " + expression(depth: depth + 1) + ")"
        case 70..<76: return "NOT " + expression(depth: depth + 1)
        case 76..<82: return leaf() + " -" + leaf()
        case 82..<94:
            let n = pick(["NEAR", "NEAR/0", "NEAR/1", "NEAR/2", "NEAR/3"])
            return spannable() + " " + n + " " + spannable()
        default:
            return field() + "(" + expression(depth: depth + 1) + ")"
        }
    }

    private mutating func field() -> String {
        pick(extendedFields ? ["title:", "body:", "author:", "feed:", "url:", "category:"] : ["title:", "body:"])
    }

    private mutating func spannable() -> String {
        if chance(0.3) { return "(" + leaf(scoped: false) + " OR " + leaf(scoped: false) + ")" }
        return leaf()
    }

    private mutating func leaf(scoped: Bool = true) -> String {
        let scope = scoped && chance(0.25) ? field() : ""
        switch Int.random(in: 0..<10, using: &random) {
        case 0..<5: return scope + pick(Self.vocabulary).replacingQuotes
        case 5..<7:
            // Prefixes of at least three characters, often exactly three.
            let candidates = Self.vocabulary.filter { Analyzer.words($0).count == 1 && Analyzer.words($0)[0].unicodeScalars.count >= 3 }
            let word = pick(candidates)
            let count = word.unicodeScalars.count
            let length = chance(0.5) ? min(3, count) : Int.random(in: 1...count, using: &random)
            var stem = ""
            stem.unicodeScalars.append(contentsOf: word.unicodeScalars.prefix(length))
            guard Analyzer.words(stem).count == 1, Analyzer.words(stem)[0].unicodeScalars.count >= 3 else { return scope + "war*" }
            return scope + stem + "*"
        default:
            return scope + "\"" + text(words: 2...3).replacingQuotes + "\""
        }
    }
}

extension String {
    fileprivate var replacingSpaces: String { split(separator: " ").joined(separator: "-") }
    /// Without what would end a phrase or a rule line.
    fileprivate var replacingQuotes: String {
        let special: Set<Character> = ["\"", "(", ")", ":", "*"]
        let kept: [Character] = compactMap { (c: Character) -> Character? in
            if c.isNewline { return " " }
            return special.contains(c) ? nil : c
        }
        return String(kept)
    }
}

// SPDX-License-Identifier: MIT
@testable import Rules

/// Makes news-like articles and the rules a newsroom would write for them, seeded so that every
/// failure can be replayed. Unlike `AdversarialGenerator`, which probes the language's corners with
/// random expressions that rarely match, these rules are built from words that occur together in the
/// generated articles, so most of them match some article and the matcher's index is exercised the
/// way real rule files exercise it: many rules sharing anchor words, nested groups, phrases taken from
/// the text, prefixes, NEAR with spans inside the window and just outside it, field scopes and
/// exclusions. Spelling variants (case, diacritics, full-width forms, ligatures, punctuation inside
/// words) appear on both sides, so folding is checked end to end.
struct NewsGenerator {
    var random: SeededRandom

    /// Words weighted by rank (Zipf): the first are common, the last rare.
    static let vocabulary: [String] = [
        "government", "minister", "police", "president", "officials", "report", "city", "country", "week",
        "security", "military", "forces", "election", "party", "court", "attack", "talks", "state", "vote",
        "economy", "market", "prices", "oil", "gas", "energy", "bank", "banks", "rates", "inflation",
        "Russia", "Russian", "Syria", "Syrian", "Ukraine", "Moscow", "Kyiv", "Damascus", "Gaza", "Israel",
        "Lebanon", "Iran", "Turkey", "İstanbul", "Ankara", "Zürich", "Genève", "São", "Paulo", "México",
        "Tokyo", "Ｔｏｋｙｏ", "Seoul", "Beijing", "東京", "서울", "Athens", "Αθήνα", "Straße", "Köln",
        "aircraft", "jets", "F-16", "missile", "missiles", "drone", "drones", "strike", "strikes", "ceasefire",
        "sanction", "sanctions", "sanctioned", "embargo", "exports", "imports", "tariffs", "trade", "deal",
        "storm", "flood", "floods", "earthquake", "wildfire", "evacuation", "rescue", "hospital", "health",
        "vaccine", "outbreak", "virus", "climate", "emissions", "carbon", "summit", "U.N.", "NATO", "E.U.",
        "U.S.", "BBC's", "company", "shares", "profit", "merger", "chief", "executive", "workers", "strike-off",
        "naïve", "café", "résumé", "coöperate", "ﬁnance", "ﬂights", "airline", "airport", "pilots", "crash",
        "3.5%", "2024", "1,000", "№7", "x_ray", "e-mail", "don't", "rock'n'roll", "Müller", "Øresund", "Æsir",
    ]
    static let connectives = [
        "the", "of", "in", "and", "to", "a", "said", "on", "for", "with", "after", "near", "over", "as",
        "by", "from", "at", "that", "not", "or", "AND", "OR", "NOT",
    ]
    private static let punctuation = [" ", " ", " ", " ", " ", ", ", ". ", " — ", "; ", " (", ") ", ": ", "\n\n", " \"", "\" "]
    private static let fields = ["title:", "body:"]

    /// The running sum of 1/rank: a Zipf draw is a binary search in it.
    private static let weights: [Double] = {
        var sums: [Double] = []
        var total = 0.0
        for rank in 1...vocabulary.count {
            total += 1 / Double(rank)
            sums.append(total)
        }
        return sums
    }()

    init(seed: UInt64) { random = SeededRandom(seed: seed ^ 0x6E65_7773) }

    private mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &random)] }
    private mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &random) < p }

    private mutating func word() -> String {
        if chance(0.35) { return pick(Self.connectives) }
        let x = Double.random(in: 0..<Self.weights.last!, using: &random)
        var low = 0, high = Self.weights.count - 1
        while low < high {
            let mid = (low + high) / 2
            if Self.weights[mid] < x { low = mid + 1 } else { high = mid }
        }
        let word = Self.vocabulary[low]
        switch Int.random(in: 0..<20, using: &random) {
        case 0: return word.uppercased()
        case 1: return word.lowercased()
        default: return word
        }
    }

    private mutating func sentence(words: ClosedRange<Int>) -> String {
        var out = ""
        for index in 0..<Int.random(in: words, using: &random) {
            if index > 0 { out += pick(Self.punctuation) }
            out += word()
        }
        return out
    }

    mutating func article(id: Int) -> Article {
        var body = ""
        for index in 0..<Int.random(in: 1...8, using: &random) {
            if index > 0 { body += ". " }
            body += sentence(words: 4...24)
        }
        return Article(id: "n\(id)", title: sentence(words: 3...12), body: body)
    }

    /// A rule for `articles`: mostly built from words of one of them, so that it has a fair chance
    /// to match; sometimes from the whole vocabulary.
    mutating func rule(for articles: [Article]) -> String {
        let source = pick(articles)
        let words = Analyzer.words(source.title) + Analyzer.words(source.body)
        return expression(from: words.isEmpty ? ["oil"] : words, depth: 0)
    }

    private mutating func expression(from words: [String], depth: Int) -> String {
        let roll = Int.random(in: 0..<100, using: &random)
        if depth >= 4 || (depth > 0 && roll < 30) { return leaf(from: words) }
        switch roll {
        case 0..<35:
            let count = Int.random(in: 2...4, using: &random)
            let parts = (0..<count).map { _ in expression(from: words, depth: depth + 1) }
            return parts.joined(separator: chance(0.5) ? " AND " : " ")
        case 35..<55:
            return "(" + expression(from: words, depth: depth + 1) + " OR " + expression(from: words, depth: depth + 1) + ")"
        case 55..<65:
            return expression(from: words, depth: depth + 1) + (chance(0.5) ? " NOT " : " -") + leaf(from: Self.vocabulary)
        case 65..<85:
            let n = pick(["NEAR", "NEAR/0", "NEAR/1", "NEAR/2", "NEAR/4", "NEAR/8"])
            return spannable(from: words) + " " + n + " " + spannable(from: words)
        default:
            return pick(Self.fields) + "(" + expression(from: words, depth: depth + 1) + ")"
        }
    }

    private mutating func spannable(from words: [String]) -> String {
        if chance(0.25) { return "(" + leaf(from: words, scoped: false) + " OR " + leaf(from: words, scoped: false) + ")" }
        return leaf(from: words)
    }

    private mutating func leaf(from words: [String], scoped: Bool = true) -> String {
        let scope = scoped && chance(0.15) ? pick(Self.fields) : ""
        let start = Int.random(in: 0..<words.count, using: &random)
        switch Int.random(in: 0..<10, using: &random) {
        case 0..<2:
            // A surface form as users type it: case, diacritics, full width, punctuation inside.
            return scope + Self.surface(pick(Self.vocabulary))
        case 2..<5:
            return scope + Self.surface(words[start])
        case 5..<7:
            // A stem must fold to one word of three or more characters.
            let word = words[start]
            let length = Int.random(in: 3...max(3, word.unicodeScalars.count), using: &random)
            var stem = ""
            stem.unicodeScalars.append(contentsOf: word.unicodeScalars.prefix(length))
            let folded = Analyzer.words(stem)
            guard folded.count == 1, folded[0].unicodeScalars.count >= 3 else { return scope + Self.surface(word) }
            return scope + stem + "*"
        default:
            let end = min(words.count, start + Int.random(in: 2...4, using: &random))
            // Inside quotes every character but the quote is part of the text.
            return scope + "\"" + words[start..<end].joined(separator: " ").filter { $0 != "\"" } + "\""
        }
    }

    /// A word as a rule writer types it: rule keywords and bare characters the grammar reserves
    /// cannot stand alone, so they go in quotes.
    private static func surface(_ word: String) -> String {
        let reserved: Set<Character> = ["\"", "(", ")", ":", "*", "-"]
        if ["AND", "OR", "NOT", "NEAR"].contains(word) || word.hasPrefix("NEAR/") || word.contains(where: reserved.contains) {
            return "\"" + word.filter { $0 != "\"" } + "\""
        }
        return word
    }
}

// SPDX-License-Identifier: MIT
import Testing
@testable import Rules

struct AnalyzerTests {
    @Test(arguments: [
        ("Russia's", ["russia", "s"]), ("U.S.", ["u", "s"]), ("F-16", ["f", "16"]), ("3.5%", ["3", "5"]),
        ("Zürich", ["zurich"]), ("São Paulo", ["sao", "paulo"]), ("Ｔｏｋｙｏ", ["tokyo"]), ("straße", ["straße"]),
        ("Æther ØRE", ["æther", "øre"]), ("ΟΔΟΣ", ["οδοσ"]), ("οδος", ["οδοσ"]), ("ﬁre", ["fire"]),
        ("x_y", ["x", "y"]), ("İstanbul", ["istanbul"]), ("한국어", ["한국어"]), ("東京タワー", ["東京タワー"]),
        ("٣ apples", ["٣", "apples"]), ("e\u{301}t\u{E9}", ["ete"]), ("🙂smile🙂", ["smile"]), ("½", ["1", "2"]),
        ("", []), ("...", []), ("ǅemal", ["dzemal"]),
    ])
    func words(text: String, expected: [String]) {
        #expect(Analyzer.words(text) == expected)
    }

    @Test func longWordsSpillToTheHeap() {
        let long = String(repeating: "ab", count: 1000)
        #expect(Analyzer.words(long + " x") == [long, "x"])
    }
}

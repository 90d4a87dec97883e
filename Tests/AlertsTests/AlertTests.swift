// SPDX-License-Identifier: MIT
import Alerts
import Foundation
import Testing

@Suite struct AlertTests {
    static func sample(id: String = "0123456789abcdef", snippet: String = "the **aircraft** landed") -> Alert {
        Alert(
            id: id, ts: Date(timeIntervalSince1970: 1_764_000_000), rule: "russia-syria-aircraft",
            feed: .init(url: "https://example.org/feed", title: "Example \"News\""),
            entry: .init(id: "g1", url: "https://example.org/a", title: "Line\nbreak", published: nil),
            matched: ["russia", "syria", "aircraft"], snippet: snippet, source: .page)
    }

    @Test func jsonLineHasTheSchemaKeysInOrderAndReadsBack() throws {
        let alert = Self.sample()
        let line = alert.jsonLine
        #expect(!line.contains("\n"))
        #expect(line.hasPrefix(#"{"schema":1,"id":"0123456789abcdef","ts":"2025-11-24T16:00:00Z","rule":"russia-syria-aircraft","feed":{"url":"https://example.org/feed","title":"Example \"News\""},"entry":{"id":"g1","url":"https://example.org/a","title":"Line\nbreak","published":null}"#))
        #expect(line.hasSuffix(#""matched":["russia","syria","aircraft"],"snippet":"the **aircraft** landed","source":"page","source_error":null,"story":null}"#))
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        #expect(object?["schema"] as? Int == 1)
        #expect(try Alert(jsonLine: line) == alert)
    }

    @Test func controlCharactersAreEscaped() throws {
        let alert = Self.sample(snippet: "tab\there \u{1} and \u{2028}")
        #expect(alert.jsonLine.contains(#""tab\there \u0001 and \u2028""#))
        #expect(try Alert(jsonLine: alert.jsonLine).snippet == alert.snippet)
    }

    @Test func snippetMarksMatchesAroundTheFirstOne() {
        let filler = String(repeating: "word ", count: 80)
        let text = filler + "Russian aircraft landed in Syria today. " + filler
        let bytes = Array(text.utf8)
        func range(of word: String) -> Range<Int> {
            let start = text.range(of: word)!.lowerBound.utf16Offset(in: text)
            return start..<(start + word.utf8.count)
        }
        _ = bytes
        let snippet = Snippet.make(text, matches: [range(of: "Syria"), range(of: "aircraft")])
        #expect(snippet.contains("**aircraft** landed in **Syria**"))
        #expect(snippet.hasPrefix("…") && snippet.hasSuffix("…"))
        #expect(snippet.count < 260 && snippet.count > 150)
    }

    @Test func snippetWithoutMatchesIsTheStartAndNeverSplitsACharacter() {
        let text = String(repeating: "Zürich ", count: 60)
        let snippet = Snippet.make(text, matches: [])
        #expect(snippet.hasPrefix("Zürich Zürich") && snippet.hasSuffix("…"))
        #expect(!snippet.contains("\u{FFFD}"))
        #expect(Snippet.make("short\ntext", matches: []) == "short text")
        // Every kind of white space, ASCII or not, folds into one space.
        #expect(Snippet.make("a\u{00A0}\u{2003} b\r\n\tc\u{2028}d\u{0B}e", matches: []) == "a b c d e")
    }
}

@Suite struct AlertTextTests {
    @Test func blockShowsTimeRuleFeedTitleLinkAndMarkedSnippet() {
        let text = AlertText.block(AlertTests.sample(), colour: false)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].hasSuffix("  [russia-syria-aircraft]  Example \"News\""))
        #expect(lines[2] == "  https://example.org/a")
        #expect(lines[3] == "  the **aircraft** landed")
    }

    @Test func colourReplacesTheMarksWithAStyle() {
        let text = AlertText.block(AlertTests.sample(), colour: true)
        #expect(!text.contains("**"))
        #expect(text.contains("\u{1B}[1;33maircraft\u{1B}[0m"))
    }

    @Test func lineIsOneLine() {
        var alert = AlertTests.sample()
        alert.entry.title = "Jets land"
        #expect(AlertText.line(alert) == "\(alert.ts) [russia-syria-aircraft] Jets land — Example \"News\" <https://example.org/a>: the **aircraft** landed")
    }
}

extension AlertTextTests {
    @Test func aFeedCannotSendTerminalControlSequences() {
        var alert = AlertTests.sample()
        alert.entry.title = "Evil\u{1B}[2J\u{1B}]0;owned\u{07} title\r\nsecond"
        let text = AlertText.block(alert, colour: false)
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(text.split(separator: "\n")[1] == "  Evil [2J ]0;owned title second")
    }

    @Test func printableTextIsOneLineWithSingleSpaces() {
        #expect(AlertText.printable("Plain title: 3 words") == "Plain title: 3 words")
        #expect(AlertText.printable(" padded  title ") == "padded title")
        #expect(AlertText.printable("tab\there\u{7F}del") == "tab here del")
        #expect(AlertText.printable("Zürich\u{00A0}\u{00A0}news") == "Zürich news")
        #expect(AlertText.printable("") == "" && AlertText.printable(" ") == "")
    }
}

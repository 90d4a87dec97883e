// SPDX-License-Identifier: MIT
import Testing
@testable import Markup

struct CharacterReferencesTests {
    @Test(arguments: [
        ("&amp;", "&"), ("caf&eacute;", "café"), ("&#233;", "é"), ("&#xE9;&#Xe9;", "éé"), ("&hellip;", "…"),
        ("&nbsp;", "\u{00A0}"), ("&copy 2024", "© 2024"), ("AT&T", "AT&T"), ("&doesnotexist;", "&doesnotexist;"),
        ("&#146;", "\u{2019}"), ("&#0;", "\u{FFFD}"), ("&#x110000;", "\u{FFFD}"), ("&", "&"), ("&#;", "&#;"),
        ("&NotNestedGreaterGreater;", "\u{2AA2}\u{0338}"),
    ])
    func decodes(input: String, expected: String) {
        #expect(CharacterReferences.decode(input) == expected)
    }
}

struct HTMLTextTests {
    @Test(arguments: [
        ("<p>Hello <b>world</b></p>", "Hello world"),
        ("one<br>two", "one two"),
        ("<script>var a = '<p>';</script>text<style>p{}</style>", "text"),
        ("a <!-- hidden --> b", "a b"),
        ("1 < 2 and 3 > 2", "1 < 2 and 3 > 2"),
        ("&lt;b&gt; is bold", "<b> is bold"),
        ("<!' <a href=\"foo\">", "<!'"),
        ("  spaced\n\tout  ", "spaced out"),
        ("<a title='x > y'>link</a>", "link"),
        ("Ex<b>am</b>ple", "Example"),
        // Text that is already plain comes back as it is; any other white space or markup is worked on.
        ("Story 0-1 about ministers and markets", "Story 0-1 about ministers and markets"), ("Zoë, naïve café", "Zoë, naïve café"),
        ("", ""), ("x", "x"), ("two  spaces", "two spaces"), (" lead", "lead"), ("trail ", "trail"), ("tab\there", "tab here"),
        ("line\nbreak", "line break"), ("a & b", "a & b"), ("a &amp; b", "a & b"), ("1 < 2", "1 < 2"), ("a\u{00A0}b", "a\u{00A0}b"),
    ])
    func plainText(input: String, expected: String) {
        #expect(HTMLText.plainText(input) == expected)
    }

    /// Text is checked eight bytes at a time for anything to work on: whatever white space, control,
    /// `&` or `<` falls anywhere, the answer is the one the full conversion gives (a leading empty tag
    /// forces that path).
    @Test func theFastPlainCheckAgreesWithTheConversionAtEveryOffset() {
        let pieces = ["word", "é", " ", " ", "  ", "\t", "\n", "\u{1}", "&", "<", "x", "\u{00A0}"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<4000 {
            var text = ""
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            for k in 0..<Int(state >> 60) + 2 {
                text += pieces[Int((state >> UInt64(k * 4 % 56)) & 0xF) % pieces.count]
                if k % 3 == 0 { text += String(repeating: "a", count: k % 9) }
            }
            #expect(HTMLText.plainText(text) == HTMLText.plainText("<b></b>" + text), "\(Array(text.utf8))")
        }
    }

    /// The references that grow the most, repeated with nothing between them: the output buffer,
    /// sized for the worst growth, holds them (it would trap if it did not).
    @Test(arguments: [("&nGt;", "\u{226B}\u{20D2}"), ("&nLt;", "\u{226A}\u{20D2}"), ("&Afr;", "\u{1D504}"),
                      ("&#x10000;", "\u{10000}"), ("&ThickSpace;", "\u{205F}\u{200A}")])
    func theMostGrowingReferencesFitTheOutput(reference: String, expected: String) {
        for count in [1, 2, 7, 100, 5000] {
            let text = String(repeating: reference, count: count)
            let result = HTMLText.plainText("<p>" + text)
            #expect(result == String(repeating: expected, count: count), "\(reference) × \(count)")
        }
    }

    @Test(arguments: [
        ("  two  words  ", " two words "), ("word", "word"), ("   ", " "), ("", ""), ("a\u{00A0}\u{00A0}b ", "a b "),
        ("\n\tlead", " lead"),
    ])
    func collapsingKeepsOneSpaceAtTheEdges(input: String, expected: String) {
        #expect(HTMLText.collapsingWhitespace(input, keepingEdges: true, noBreakSpaces: true) == expected)
    }

    @Test func collapsingTrimsByDefaultAndKeepsNoBreakSpaces() {
        #expect(HTMLText.collapsingWhitespace("  a \u{00A0} b\n") == "a \u{00A0} b")
    }

    @Test func looksLikeHTML() {
        #expect(HTMLText.looksLikeHTML("<b>x</b>"))
        #expect(HTMLText.looksLikeHTML("a &amp; b"))
        #expect(!HTMLText.looksLikeHTML("1 < 2 & 3"))
    }

    @Test func resolvesRelativeURLsInFragments() {
        let html = "<a href=\"/a?x=1&amp;y=2\">x</a><img src=pic.jpg><a href=\"http://abs/\">y</a>"
        let resolved = HTMLFragment.resolvingURLs(in: html, base: "http://example.com/dir/page")
        #expect(resolved == "<a href=\"http://example.com/a?x=1&amp;y=2\">x</a><img src=\"http://example.com/dir/pic.jpg\"><a href=\"http://abs/\">y</a>")
    }
}

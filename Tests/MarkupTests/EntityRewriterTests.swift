// SPDX-License-Identifier: MIT
@testable import Markup
import Testing

/// The entity rewriter's scan jumps eight bytes at a time to the next `&`, `!` or `?` (the second byte
/// of `<!` and `<?`): wherever they fall in a word, each is found, the first of them first.
@Suite struct EntityRewriterTests {
    private static func word(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
    }

    @Test func firstByteFindsTheEarliestOfTheSearchedBytesAtEveryOffset() {
        let (amp, bang, question) = (UInt8(ascii: "&"), UInt8(ascii: "!"), UInt8(ascii: "?"))
        for (earlier, later) in [(amp, bang), (bang, question), (question, amp)] {
            for first in 0..<8 {
                for second in first..<8 {
                    var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: 8)
                    bytes[second] = later
                    bytes[first] = earlier
                    #expect(SWAR.firstByte(Self.word(bytes), amp, bang, question) == first)
                }
            }
        }
        // Bytes next to the searched ones (borrows in the arithmetic) and high bytes never match.
        for noise: [UInt8] in [[0x25, 0x27, 0x3B, 0x3D, 0x80, 0xA6, 0xBC, 0xFF], [0x20, 0x22, 0x25, 0x27, 0x3E, 0x40, 0xA1, 0xBF]] {
            #expect(SWAR.firstByte(Self.word(noise), amp, bang, question) == nil)
        }
    }

    /// Comments, CDATA, processing instructions and the DOCTYPE keep their `&`s wherever they start;
    /// a `!` or `?` in text, or a `<!` that opens none of them, changes nothing.
    @Test func declarationsAreSkippedWhereverTheyFall() throws {
        for padding in 0..<24 {
            let text = String(repeating: "a", count: padding)
            let document = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY me \"Me\">]><r>\(text)Really?! &me;"
                + "<?pi a&b?><![CDATA[&copy;]]><!-- &x; --><!x &copy;>?&copy;!</r>"
            let rewritten = try #require(XMLEntityRewriter.rewrite(Array(document.utf8)))
            #expect(String(decoding: rewritten, as: UTF8.self)
                == "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY me \"Me\">]><r>\(text)Really?! Me"
                + "<?pi a&b?><![CDATA[&copy;]]><!-- &x; --><!x &#xa9;>?&#xa9;!</r>", "padding \(padding)")
        }
        // Nothing to rewrite: no reference at all, or only the predefined ones.
        #expect(XMLEntityRewriter.rewrite(Array("<!DOCTYPE r [<!ENTITY me \"Me\">]><r>Me?!</r>".utf8)) == nil)
        #expect(XMLEntityRewriter.rewrite(Array("<r>a &amp; b &lt; c &#233;</r>".utf8)) == nil)
    }

    @Test func referencesAreRewrittenWhereverTheyFall() throws {
        for padding in 0..<24 {
            let text = String(repeating: "a", count: padding)
            let document = "<r><t>\(text)&eacute;&amp;&#233;&#X41;<b/>&nbsp</t><!-- &eacute; --></r>"
            let rewritten = try #require(XMLEntityRewriter.rewrite(Array(document.utf8)))
            #expect(String(decoding: rewritten, as: UTF8.self)
                == "<r><t>\(text)&#xe9;&amp;&#233;&#x41;<b/>&amp;nbsp</t><!-- &eacute; --></r>", "padding \(padding)")
        }
    }
}

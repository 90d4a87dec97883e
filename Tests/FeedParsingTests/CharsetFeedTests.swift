// SPDX-License-Identifier: MIT
import Testing
@testable import FeedParsing

struct CharsetFeedTests {
    private func title(_ bytes: [UInt8], headers: [String: String] = [:]) throws -> String? {
        try FeedParser.parse(bytes, source: .init(headers: headers)).title
    }

    @Test func xmlDeclarationCharset() throws {
        let bytes = Array("<?xml version=\"1.0\" encoding=\"euc-kr\"?><rss><channel><title>".utf8) + [0xB3, 0xE2]
            + Array("</title></channel></rss>".utf8)
        #expect(try title(bytes) == "년")
    }

    @Test func httpCharsetOverridesTheDeclaration() throws {
        let bytes = Array("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss><channel><title>caf".utf8) + [0xE9]
            + Array("</title></channel></rss>".utf8)
        #expect(try title(bytes, headers: ["Content-Type": "text/xml; charset=iso-8859-1"]) == "café")
        // Header names ignore case (HTTP/2 sends them lower-cased); a name of another length never matches.
        #expect(try title(bytes, headers: ["content-type": "text/xml; charset=koi8-r"]) == "cafИ")
        #expect(try title(bytes, headers: ["CONTENT-TYPE": "text/xml; charset=koi8-r"]) == "cafИ")
        #expect(try title(bytes, headers: ["Content-Types": "text/xml; charset=koi8-r"]) == "café")
    }

    @Test func utf16WithBOM() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "<?xml version=\"1.0\" encoding=\"utf-16\"?><rss><channel><title>Zoë</title></channel></rss>".utf16 {
            bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)]
        }
        #expect(try title(bytes) == "Zoë")
    }

    @Test func declaredUTF8WithInvalidBytesIsStillRead() throws {
        let bytes = Array("<rss><channel><title>don".utf8) + [0x92] + Array("t ".utf8) + [0xFF]
            + Array("</title></channel></rss>".utf8)
        #expect(try title(bytes) == "don\u{2019}t \u{00FF}")
    }

    @Test func numericC1ReferencesMeanWindows1252() throws {
        #expect(try title(Array("<rss><channel><title>don&#146;t</title></channel></rss>".utf8)) == "don\u{2019}t")
    }
}

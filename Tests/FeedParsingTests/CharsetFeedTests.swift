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

    /// RFC 3023 reads `text/xml` without a charset as US-ASCII; feedparser tries that, finds the
    /// document is not ASCII, and falls back to the XML declaration (flagging the feed). We follow
    /// feedparser's result and read the declaration straight away; `application/xml` the same.
    @Test(arguments: ["text/xml", "application/xml", "application/rss+xml", "text/xml; format=flowed"])
    func aContentTypeWithoutACharsetLeavesItToTheDeclaration(contentType: String) throws {
        let bytes = Array("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss><channel><title>caf".utf8) + [0xE9]
            + Array("</title></channel></rss>".utf8)
        #expect(try title(bytes, headers: ["Content-Type": contentType]) == "café")
    }

    /// A response's headers reach the parser through a lookup: the three it reads, whatever else is there.
    @Test func headersComeFromALookup() throws {
        let bytes = Array("<?xml version=\"1.0\"?><rss><channel><title>caf".utf8) + [0xE9]
            + Array("</title><item><link>story</link></item></channel></rss>".utf8)
        let response = ["content-type": "text/xml; charset=iso-8859-1", "content-location": "https://example.org/news/",
                        "content-language": "fr", "etag": "\"x\""]
        var asked: [String] = []
        let source = FeedParser.Source(url: "https://example.org/feed") { name in
            asked.append(name)
            return response[name.lowercased()]
        }
        #expect(asked == FeedParser.Source.headerNames)
        let feed = try FeedParser.parse(bytes, source: source)
        #expect(feed.title == "café" && feed.language == "fr")
        #expect(feed.entries.first?.link == "https://example.org/news/story")
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

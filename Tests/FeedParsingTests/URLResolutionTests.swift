// SPDX-License-Identifier: MIT
import Testing
@testable import FeedParsing

struct URLResolutionTests {
    @Test func relativeLinksResolveAgainstTheDocumentURL() throws {
        let feed = try parse("<rss><channel><link>/</link><item><link>story/1</link><enclosure url=\"../m.mp3\"/></item></channel></rss>",
                             url: "http://example.com/feeds/rss.xml")
        #expect(feed.link == "http://example.com/")
        #expect(feed.entries[0].link == "http://example.com/feeds/story/1")
        #expect(feed.entries[0].enclosures[0].url == "http://example.com/m.mp3")
    }

    @Test func xmlBaseChainsFromRootToEntry() throws {
        let feed = try parse("""
            <feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://example.org/a/">
              <entry xml:base="b/"><link href="c" xml:base="d/"/></entry>
            </feed>
            """, url: "http://ignored.example/")
        #expect(feed.entries[0].link == "http://example.org/a/b/d/c")
    }

    @Test func contentLocationIsABaseOnlyWhenItIsHTTP() throws {
        let good = try parse("<rss><channel><link>rel</link></channel></rss>", url: "http://a.example/x/feed",
                             headers: ["Content-Location": "http://b.example/y/"])
        #expect(good.link == "http://b.example/y/rel")
        let unsafe = try parse("<rss><channel><link>rel</link></channel></rss>", url: "http://a.example/x/feed",
                               headers: ["Content-Location": "javascript:alert(1)"])
        #expect(unsafe.link == "http://a.example/x/rel")
    }

    @Test func guidIsPermaLinkRules() throws {
        let feed = try parse("""
            <rss><channel>
            <item><guid>http://example.com/p/1</guid></item>
            <item><guid isPermaLink="false">http://example.com/p/2</guid></item>
            <item><guid isPermaLink="true">http://example.com/p/3</guid><link>http://example.com/other</link></item>
            <item><guid isPermaLink="false">12345</guid></item>
            </channel></rss>
            """, url: "http://example.com/feed")
        #expect(feed.entries[0].link == "http://example.com/p/1")
        #expect(feed.entries[1].link == nil)
        #expect(feed.entries[1].id == "http://example.com/p/2")
        #expect(feed.entries[2].link == "http://example.com/other")
        #expect(feed.entries[3].id == "12345")
    }

    @Test func urlsInsideEscapedContentResolveAgainstTheItemBase() throws {
        let feed = try parse("""
            <rss xml:base="http://example.com/root/"><channel><item>
            <description>&lt;a href="x.html"&gt;x&lt;/a&gt;</description>
            <content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">&lt;img src="/i.png"&gt;</content:encoded>
            </item></channel></rss>
            """)
        #expect(feed.entries[0].content == "<img src=\"http://example.com/i.png\">")
    }
}

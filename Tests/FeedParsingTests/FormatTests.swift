// SPDX-License-Identifier: MIT
import Foundation
import Markup
import Testing
@testable import FeedParsing

func parse(_ text: String, url: String? = nil, headers: [String: String] = [:]) throws -> Feed {
    try FeedParser.parse(Array(text.utf8), source: .init(url: url, headers: headers))
}

func iso(_ date: Date?) -> String? { date.map(DateParser.iso8601String) }

struct FormatTests {
    @Test func rss20WithExtensions() throws {
        let feed = try parse("""
            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
                 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/"
                 xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
            <channel>
              <title>News &amp; Views</title><link>https://example.org/</link><language>en-gb</language>
              <lastBuildDate>Sat, 01 Mar 2025 12:00:00 GMT</lastBuildDate><ttl>30</ttl>
              <skipHours><hour>0</hour><hour>1</hour></skipHours><skipDays><day>Sunday</day></skipDays>
              <item>
                <title>Russian jets &lt;b&gt;arrive&lt;/b&gt;</title>
                <link>https://example.org/a</link>
                <guid isPermaLink="false">urn:1</guid>
                <description>&lt;p&gt;Short &amp;amp; sweet&lt;/p&gt;</description>
                <content:encoded><![CDATA[<p>Full <a href="/more">text</a></p>]]></content:encoded>
                <dc:creator>Jane Doe</dc:creator>
                <dc:date>2025-03-01T10:00:00+01:00</dc:date>
                <pubDate>Sat, 01 Mar 2025 09:30:00 +0000</pubDate>
                <category>World</category><category>Syria</category>
                <enclosure url="https://example.org/a.mp3" type="audio/mpeg" length="1234"/>
                <media:content url="https://example.org/a.jpg" type="image/jpeg" fileSize="99"/>
                <itunes:author>Podcaster</itunes:author>
              </item>
            </channel></rss>
            """, url: "https://example.org/feed")
        #expect(feed.format == .rss20)
        #expect(feed.title == "News & Views")
        #expect(feed.language == "en-gb")
        #expect(iso(feed.updated) == "2025-03-01T12:00:00Z")
        #expect(feed.hints.ttlMinutes == 30)
        #expect(feed.hints.skipHours == [0, 1])
        #expect(feed.hints.skipDays == [1])
        let item = try #require(feed.entries.first)
        #expect(item.title == "Russian jets arrive")
        #expect(item.id == "urn:1")
        #expect(item.link == "https://example.org/a")
        #expect(item.summary == "Short & sweet")
        #expect(item.content == "<p>Full <a href=\"https://example.org/more\">text</a></p>")
        #expect(item.author?.name == "Jane Doe")
        #expect(iso(item.published) == "2025-03-01T09:30:00Z")
        #expect(iso(item.updated) == "2025-03-01T09:00:00Z")
        #expect(item.categories == ["World", "Syria"])
        #expect(item.enclosures == [
            Enclosure(url: "https://example.org/a.mp3", type: "audio/mpeg", length: 1234),
            Enclosure(url: "https://example.org/a.jpg", type: "image/jpeg", length: 99),
        ])
    }

    @Test func itunesAuthorOnlyWhenNoOtherAuthor() throws {
        let feed = try parse("""
            <rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>
            <item><itunes:author>Podcaster</itunes:author></item>
            <item><author>ed@example.org (Editor)</author><itunes:author>Podcaster</itunes:author></item>
            </channel></rss>
            """)
        #expect(feed.entries[0].author?.name == "Podcaster")
        #expect(feed.entries[1].author == Person(name: "Editor", email: "ed@example.org"))
    }

    @Test(arguments: ["0.91", "0.92", "0.93", "0.94"])
    func rss09x(version: String) throws {
        let feed = try parse("<rss version=\"\(version)\"><channel><title>T</title><item><title>I</title><link>http://x/1</link></item></channel></rss>")
        #expect(feed.format == .rss091)
        #expect(feed.entries.map(\.title) == ["I"])
    }

    @Test func rss10RDF() throws {
        let feed = try parse("""
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
                     xmlns:dc="http://purl.org/dc/elements/1.1/">
              <channel rdf:about="http://x/"><title>RDF</title><link>http://x/</link></channel>
              <item rdf:about="http://x/1"><title>One</title><link>http://x/1</link><dc:date>2003-12-31T10:14:55Z</dc:date></item>
            </rdf:RDF>
            """)
        #expect(feed.format == .rss10)
        #expect(feed.title == "RDF")
        #expect(feed.entries.first?.link == "http://x/1")
        #expect(iso(feed.entries.first?.updated) == "2003-12-31T10:14:55Z")
    }

    @Test func rss090() throws {
        let feed = try parse("""
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">
              <channel><title>Old</title><link>http://x/</link></channel><item><title>Item</title><link>http://x/1</link></item>
            </rdf:RDF>
            """)
        #expect(feed.format == .rss090)
        #expect(feed.entries.first?.title == "Item")
    }

    @Test func atom10() throws {
        let feed = try parse("""
            <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de" xml:base="http://example.com/blog/">
              <title type="html">A &amp;lt;b&amp;gt; feed</title><link href="./"/><updated>2025-01-02T03:04:05Z</updated>
              <entry xml:base="2025/">
                <id>entry-1</id><title type="text">One &lt;two&gt;</title>
                <link rel="alternate" href="post.html"/><link rel="enclosure" href="/f.mp3" type="audio/mpeg" length="42"/>
                <published>2025-01-01T00:00:00+02:00</published><updated>2025-01-02T00:00:00Z</updated>
                <author><name>Ann</name><email>ann@example.com</email></author>
                <category term="tech"/>
                <summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Sum <b>mary</b></div></summary>
                <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Body <a href="x.html">x</a></p></div></content>
              </entry>
            </feed>
            """)
        #expect(feed.format == .atom10)
        #expect(feed.title == "A <b> feed")
        #expect(feed.link == "http://example.com/blog/")
        #expect(feed.language == "de")
        let entry = try #require(feed.entries.first)
        #expect(entry.id == "http://example.com/blog/2025/entry-1")
        #expect(entry.title == "One <two>")
        #expect(entry.link == "http://example.com/blog/2025/post.html")
        #expect(entry.enclosures == [Enclosure(url: "http://example.com/f.mp3", type: "audio/mpeg", length: 42)])
        #expect(iso(entry.published) == "2024-12-31T22:00:00Z")
        #expect(entry.author == Person(name: "Ann", email: "ann@example.com"))
        #expect(entry.categories == ["tech"])
        #expect(entry.summary == "Sum mary")
        #expect(entry.content == "<p>Body <a href=\"http://example.com/blog/2025/x.html\">x</a></p>")
    }

    @Test func atom03WithBase64AndEscapedModes() throws {
        let feed = try parse("""
            <feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old Atom</title>
            <entry><title mode="escaped" type="text/html">&lt;i&gt;Hi&lt;/i&gt;</title>
            <summary mode="base64">PGI+Ym9sZDwvYj4=</summary><issued>2004-01-01T00:00:00Z</issued>
            <modified>2004-01-02T00:00:00Z</modified></entry></feed>
            """)
        #expect(feed.format == .atom03)
        #expect(feed.entries.first?.title == "Hi")
        // Atom 0.3's default type is text/plain: the decoded markup is literal text.
        #expect(feed.entries.first?.summary == "<b>bold</b>")
        #expect(iso(feed.entries.first?.published) == "2004-01-01T00:00:00Z")
        #expect(iso(feed.entries.first?.updated) == "2004-01-02T00:00:00Z")
    }

    @Test(arguments: ["https://jsonfeed.org/version/1", "https://jsonfeed.org/version/1.1"])
    func jsonFeed(version: String) throws {
        let feed = try parse("""
            {"version": "\(version)", "title": "JSON News", "home_page_url": "https://example.org/",
             "items": [{"id": "1", "url": "/a", "title": "Hello", "content_html": "<p>Hi <a href=\\"b\\">b</a></p>",
                        "summary": "Sum", "date_published": "2025-02-03T04:05:06-01:00", "tags": ["x", "y"],
                        "authors": [{"name": "Bo"}], "author": {"name": "Old"},
                        "attachments": [{"url": "https://example.org/m.mp3", "mime_type": "audio/mpeg", "size_in_bytes": 7}]}]}
            """, url: "https://example.org/feed.json")
        #expect(feed.format == .jsonFeed)
        let item = try #require(feed.entries.first)
        #expect(item.link == "https://example.org/a")
        #expect(item.content == "<p>Hi <a href=\"https://example.org/b\">b</a></p>")
        #expect(iso(item.published) == "2025-02-03T05:05:06Z")
        #expect(item.categories == ["x", "y"])
        #expect(item.author?.name == "Bo")
        #expect(item.enclosures.first?.length == 7)
    }

    @Test func cdf() throws {
        let feed = try parse("<CHANNEL HREF=\"http://x/\"><TITLE>CDF</TITLE><ITEM HREF=\"http://x/1\" LASTMOD=\"2004-04-06T23:05:43-05:00\"><TITLE>One</TITLE><ABSTRACT>Abs</ABSTRACT></ITEM></CHANNEL>")
        #expect(feed.format == .cdf)
        #expect(feed.entries.first?.title == "One")
        #expect(feed.entries.first?.summary == "Abs")
        #expect(feed.entries.first?.link == "http://x/1")
        #expect(iso(feed.entries.first?.updated) == "2004-04-07T04:05:43Z")
    }

    @Test func formatIsDetectedFromContentNotHeaders() throws {
        let feed = try parse("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>x</title></feed>",
                             headers: ["Content-Type": "application/rss+xml"])
        #expect(feed.format == .atom10)
    }

    @Test func notAFeedIsAnError() {
        #expect(throws: FeedError.self) { try parse("<html><body>hi</body></html>") }
        #expect(throws: FeedError.self) { try parse("") }
        #expect(throws: FeedError.self) { try parse("   \n ") }
        #expect(throws: FeedError.self) { try parse("{\"not\": \"a feed\"}") }
        #expect(throws: FeedError.self) { try parse("{broken json") }
        #expect(throws: FeedError.self) { try parse("\u{0}\u{1}binary\u{2}") }
    }

    @Test func sizeCapIsEnforced() {
        let bytes = Array("<rss><channel><title>x</title></channel></rss>".utf8)
        #expect(throws: FeedError.self) { try FeedParser.parse(bytes, maximumBytes: 10) }
    }

    @Test func brokenXMLKeepsTheItemsBeforeTheError() throws {
        let feed = try parse("<rss><channel><item><title>one</title></item><item><title>two</title></item><item><title>th<ree</item>")
        #expect(Array(feed.entries.prefix(2).map(\.title)) == ["one", "two"])
        #expect(feed.recoveredError != nil)
    }

    @Test func junkBeforeTheFeedIsSkipped() throws {
        let feed = try parse("<br />\n<b>Warning</b>: Cannot modify header information in <b>x.php</b><br />\n<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>PHP junk</title><item><title>A</title></item></channel></rss>")
        #expect(feed.title == "PHP junk")
        #expect(feed.entries.map(\.title) == ["A"])
        // A page that only mentions a feed-like tag name is still not a feed.
        #expect(throws: FeedError.self) { try parse("<html><body><feedback>no</feedback></body></html>") }
    }

    @Test func undeclaredNamespacePrefixesStillMap() throws {
        let feed = try parse("<rss version=\"2.0\"><channel><item><dc:creator>Ed</dc:creator><content:encoded>&lt;p&gt;x&lt;/p&gt;</content:encoded></item></channel></rss>")
        #expect(feed.entries.first?.author?.name == "Ed")
        #expect(feed.entries.first?.content == "<p>x</p>")
    }

    @Test func syndicationModuleAndPollingHints() throws {
        let feed = try parse("""
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
              xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
            <channel><title>x</title><sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>2</sy:updateFrequency></channel>
            </rdf:RDF>
            """)
        #expect(feed.hints.updateIntervalSeconds == 1800)
    }
}

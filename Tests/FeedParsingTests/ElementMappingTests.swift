// SPDX-License-Identifier: MIT
import Foundation
import Markup
import Testing
@testable import FeedParsing

/// How elements that specifications leave open map to the feed model, each as feedparser documents
/// it: CDF's channel attributes, RSS 1.0's rdf:about, items with both a description and a summary,
/// repeated or overlapping Atom dates, and language tags written with an underscore.
struct ElementMappingTests {
    /// CDF (the W3C note of 1997) keeps a channel's link and last modification in attributes.
    @Test func cdfChannelAttributesAreItsLinkAndDate() throws {
        let feed = try parse("<CHANNEL HREF=\"http://news.example/\" LASTMOD=\"2026-03-01T08:30:00+01:00\"><TITLE>Digest</TITLE></CHANNEL>")
        #expect(feed.link == "http://news.example/")
        #expect(iso(feed.updated) == "2026-03-01T07:30:00Z")
    }

    /// An RSS 1.0 item describes the resource named by rdf:about: that is its id (its link may differ).
    @Test func rdfAboutIsTheItemsIdentity() throws {
        let feed = try parse("""
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
              <channel rdf:about="https://news.example/rss"><title>N</title></channel>
              <item rdf:about="https://news.example/id/4711"><title>Budget</title><link>https://news.example/2026/03/budget</link></item>
              <item><title>Rates</title><link>https://news.example/2026/03/rates</link></item>
            </rdf:RDF>
            """)
        #expect(feed.entries.map(\.id) == ["https://news.example/id/4711", nil])
        #expect(feed.entries.first?.link == "https://news.example/2026/03/budget")
    }

    /// An item with both `<description>` and a `<summary>`: the first of the two is the summary, the
    /// second the content, whichever order they come in.
    @Test(arguments: [
        ("<description>Lead paragraph.</description><summary>Longer text of the story.</summary>", "Lead paragraph.", "Longer text of the story."),
        ("<summary>Lead paragraph.</summary><description>Longer text of the story.</description>", "Lead paragraph.", "Longer text of the story."),
    ])
    func descriptionAndSummaryShareOut(elements: String, summary: String, content: String) throws {
        let feed = try parse("<rss version=\"2.0\"><channel><title>t</title><item><title>x</title>\(elements)</item></channel></rss>")
        #expect(feed.entries.first?.summary == summary)
        #expect(feed.entries.first?.content == content)
    }

    /// Atom 0.3's `issued` and a `published` (or any date given twice): the last value wins.
    @Test func theLastPublicationDateWins() throws {
        let feed = try parse("""
            <feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>t</title>
            <entry><title>x</title><issued>2026-01-05T10:00:00Z</issued><published>2026-01-06T11:00:00Z</published></entry></feed>
            """)
        #expect(iso(feed.entries.first?.published) == "2026-01-06T11:00:00Z")
    }

    /// `en_US`, as locale-minded software writes it, is the language tag `en-US`: from xml:lang, a
    /// `<language>` element or the Content-Language header alike.
    @Test func languageTagsUseHyphens() throws {
        #expect(try parse("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"pt_BR\"><title>t</title></feed>").language == "pt-BR")
        #expect(try parse("<rss version=\"2.0\"><channel><title>t</title><language>en_GB</language></channel></rss>").language == "en-GB")
        #expect(try parse("<rss version=\"2.0\"><channel><title>t</title></channel></rss>", headers: ["Content-Language": "de_AT"]).language == "de-AT")
    }

    /// HTML-typed content wrapped in an XHTML div, as TypePad writes it: the div is ignored and its
    /// text read as the (escaped) HTML it is.
    @Test func htmlContentInADivIsHTML() throws {
        let feed = try parse("""
            <feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>x</title>
            <content type="html"><div xmlns="http://www.w3.org/1999/xhtml">Rates &lt;em&gt;rise&lt;/em&gt; again</div></content></entry></feed>
            """)
        #expect(feed.entries.first?.content == "Rates <em>rise</em> again")
    }

    /// RFC 4287 §3.1.1.3: the div of `type="xhtml"` wraps the content and is not part of it; Atom 0.3's
    /// inline XML has no such rule, so its div stays.
    @Test func theXHTMLWrapperIsAtom10s() throws {
        let atom10 = try parse("""
            <feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>x</title>
            <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hello</p></div></content></entry></feed>
            """)
        #expect(atom10.entries.first?.content == "<p>Hello</p>")
        let atom03 = try parse("""
            <feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>t</title><entry><title>x</title>
            <content type="application/xhtml+xml" mode="xml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hello</p></div></content></entry></feed>
            """)
        #expect(atom03.entries.first?.content == "<div><p>Hello</p></div>")
    }

    /// Extension elements are known by their namespace URI, whatever prefix a feed binds it to
    /// (feedparser maps its known namespaces to canonical prefixes the same way).
    @Test func namespacesAreKnownByTheirURINotTheirPrefix() throws {
        let feed = try parse("""
            <rss version="2.0" xmlns:foo="http://purl.org/dc/elements/1.1/" xmlns:m="http://search.yahoo.com/mrss/"
                 xmlns:pod="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>t</title>
            <item><title>x</title><foo:creator>Ana</foo:creator><foo:date>2004-01-01T10:00:00Z</foo:date>
            <foo:subject>Politics</foo:subject><pod:summary>From the podcast tags.</pod:summary>
            <m:content url="https://example.org/v.mp4" type="video/mp4"/></item></channel></rss>
            """)
        let item = try #require(feed.entries.first)
        #expect(item.author?.name == "Ana")
        #expect(item.updated.map(DateParser.iso8601String) == "2004-01-01T10:00:00Z")
        #expect(item.categories == ["Politics"])
        #expect(item.summary == "From the podcast tags.")
        #expect(item.enclosures.map(\.url) == ["https://example.org/v.mp4"])
    }

    /// RSS 2.0 authors are e-mail addresses, written by feeds as `mail (Name)` or `Name <mail>`:
    /// both give the name and the address, as feedparser's author_detail does.
    @Test(arguments: ["jane@example.org (Jane Smith)", "Jane Smith &lt;jane@example.org&gt;"])
    func anRSSAuthorGivesNameAndAddress(author: String) throws {
        let feed = try parse("<rss version=\"2.0\"><channel><title>t</title><item><title>x</title><author>\(author)</author></item></channel></rss>")
        #expect(feed.entries.first?.author == Person(name: "Jane Smith", email: "jane@example.org"))
    }
}

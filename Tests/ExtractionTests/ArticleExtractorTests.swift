// SPDX-License-Identifier: MIT
import Foundation
import TestSupport
import Testing
@testable import Extraction

struct ArticleExtractorTests {
    private func extract(_ html: String, url: String? = nil, charset: String? = nil) throws -> ExtractedArticle {
        try ArticleExtractor.extract(Array(html.utf8), url: url, charset: charset)
    }

    private func fixture(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil))
        return Array(try Data(contentsOf: url))
    }

    @Test func seedPageYieldsExactlyTheCleanStory() throws {
        let article = try ArticleExtractor.extract(try fixture("seed-wordpress.html"))
        let expected = String(decoding: try fixture("seed-wordpress.expected.txt"), as: UTF8.self)
        let lines = expected.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        #expect(article.title == lines[0])
        #expect(article.text == lines.dropFirst().joined(separator: "\n\n"))
        for chrome in ["Leave a Reply", "Fill in your details below", "You are commenting using your", "Connecting to %s",
                       "Share this", "Like this", "Related", "Recent Posts", "Follow the blog", "Blog at WordPress.com",
                       "Skip to content", "Kremlin denies"] {
            #expect(!article.text.contains(chrome), "chrome left in: \(chrome)")
        }
        #expect(article.text.hasSuffix("Source: New York Times"))
        #expect(article.published.map { Int($0.timeIntervalSince1970) } == 1_442_586_125)
        #expect(article.language == "en-US")
        #expect(article.canonicalURL?.hasPrefix("https://worldaffairsreader.wordpress.com/2015/09/18/") == true)
    }

    private let story = (1...6).map {
        "<p>Paragraph \($0) of the story, with enough words, commas, and substance to read like a real article about the talks.</p>"
    }.joined()

    @Test func chromeByStructureAndVocabularyIsDropped() throws {
        let html = """
            <html><body>
            <div class="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
            <nav><a href="/">Home</a> <a href="/world">World</a></nav>
            <article><h1>Headline</h1>\(story)
              <p style="display: none">Hidden text that no reader sees.</p>
              <div aria-hidden="true">Also hidden from readers entirely.</div>
              <div class="newsletter-signup"><p>Sign up for our daily newsletter and never miss a story.</p></div>
              <p>Advertisement</p>
              <ul class="related-links"><li><a href="/a">Another story one</a></li><li><a href="/b">Another story two</a></li></ul>
              <p>Reporting by Jane Doe; Editing by John Roe</p>
            </article>
            <aside><p>Most read: ten things you did not know about the weather this week.</p></aside>
            <footer>Copyright 2025 Example News. All rights reserved.</footer>
            </body></html>
            """
        let article = try extract(html)
        #expect(article.text.hasPrefix("Paragraph 1 of the story"))
        #expect(article.text.hasSuffix("about the talks."))
        #expect(article.text.components(separatedBy: "\n\n").count == 6)
        #expect(article.title == "Headline")
    }

    @Test func bodySplitIntoChunksWithAdvertisingBetweenIsJoined() throws {
        func chunk(_ n: Int) -> String {
            "<div class=\"grid\"><div class=\"body article__body\">"
                + (1...3).map { "<p>Chunk \(n) paragraph \($0), with commas, and enough words to be story text here.</p>" }.joined()
                + "</div><aside class=\"ad-rail\">Advertisement</aside></div>"
        }
        let html = "<html><body><header><nav><a href=\"/\">Home</a></nav></header><div class=\"chunks\">"
            + (1...3).map(chunk).joined() + "</div><footer>Footer text of the site, copyright and links.</footer></body></html>"
        let paragraphs = try extract(html).text.components(separatedBy: "\n\n")
        #expect(paragraphs.count == 9)
        #expect(paragraphs.first?.hasPrefix("Chunk 1 paragraph 1") == true)
        #expect(paragraphs.last?.hasPrefix("Chunk 3 paragraph 3") == true)
    }

    /// A municipal news page: the story is bare text in the column that also holds the headline, the
    /// byline and share buttons (no <p> at all), beside an archive menu and above a footer whose address
    /// block is about as long as the story. The bare text scores as the paragraph it is.
    @Test func aStoryWrittenAsBareTextIsFound() throws {
        let story = "The council's water department reported on Tuesday that two of the five pumps at the northern station were damaged overnight, leaving three districts with low pressure. Crews replaced a cracked valve by noon, and the department expects full service to return by the evening, it said in a statement. Residents of the affected streets were asked to keep taps closed until then, and schools in the area will stay open. A police report was filed, and officers visited the station in the afternoon to record the damage."
        let html = """
            <html><head><title>Pumps damaged at northern station</title></head><body>
            <div class="container"><div class="row">
              <div class="col-3"><ul class="nav">\((2015...2026).map { "<li><a href=\"/news?y=\($0)\">\($0) <span>(\($0 % 60))</span></a></li>" }.joined())</ul></div>
              <div class="col-9">
                <p class="title">Pumps damaged at northern station</p>
                <small>06/03/2026 - Published by: Ana Lima - Category: <a href="/news?cat=3">Utilities</a></small><br><br>
                <img src="/img/pumps.jpg" alt="">\(story)<br><br><br>
                <div class="share"><a href="#">Facebook</a> <a href="#">Twitter</a></div>
              </div>
            </div></div>
            <div class="bottom"><div class="address">City Hall, 1100 Main Street, Riverside District, PO Box 421, phone 047 2106 8000, opening hours Monday to Friday from eight to five, registered under number 83.102.459/0001-23 with the state.</div></div>
            </body></html>
            """
        let text = try extract(html).text
        #expect(text.contains(story), "\(text)")
        #expect(!text.contains("City Hall"))
        #expect(!text.contains("2019"))
    }

    /// Furniture a CMS leaves inside the story's own container: "Advert" labels, a shortcode it failed
    /// to render, a slideshow's no-JavaScript notice, a call for comments. The story's own brackets stay.
    @Test func cmsLeftoversInsideTheStoryAreDropped() throws {
        let paragraph = "The new touring jacket keeps out a full day of rain, and its armour sits where it should even after hours in the saddle, our tester found over three weeks of commuting."
        let html = """
            <html><body><article class="post">
            <p>\(paragraph)</p><p>Advert</p>
            <p>[button link="https://bikes.example/submit/" type="big"] Send us YOUR kit review[/button]</p>
            <p>This slideshow requires JavaScript.</p>
            <p>\(paragraph.replacingOccurrences(of: "jacket", with: "glove"))</p>
            <p>[Editor's note: prices were checked on 3 March.]</p>
            <p>Tell us what YOU think...</p>
            </article></body></html>
            """
        let text = try extract(html).text
        #expect(text.components(separatedBy: "\n\n") == [
            paragraph, paragraph.replacingOccurrences(of: "jacket", with: "glove"), "[Editor's note: prices were checked on 3 March.]",
        ], "\(text)")
    }

    @Test func headingsListsAndQuotesOfTheStoryStay() throws {
        let html = "<html><body><div class=\"story-body\">\(story)<h2>What comes next</h2><ul><li>First point made in the story text here.</li></ul><blockquote>A quoted line that belongs to the story.</blockquote>\(story)</div></body></html>"
        let text = try extract(html).text
        #expect(text.contains("\n\nWhat comes next\n\n"))
        #expect(text.contains("First point made in the story text here."))
        #expect(text.contains("A quoted line that belongs to the story."))
    }

    @Test func jsonLDBodyIsUsedOnlyWhenThePageYieldsMuchLess() throws {
        let long = (1...40).map { "Sentence \($0) of the real article body." }.joined(separator: " ")
        let teaser = """
            <html><head><script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
            "headline":"JSON headline","articleBody":"\(long)","author":{"@type":"Person","name":"Ann Author"},
            "datePublished":"2025-01-02T03:04:05Z"}</script></head>
            <body><div class="content"><p>Only a short teaser is visible on this page.</p></div></body></html>
            """
        let fromHint = try extract(teaser)
        #expect(fromHint.text == long)
        #expect(fromHint.byline == "Ann Author")
        #expect(fromHint.title == "JSON headline")
        let full = """
            <html><head><script type="application/ld+json">{"@type":"Article","articleBody":"Stale summary."}</script></head>
            <body><article>\(story)</article></body></html>
            """
        #expect(try extract(full).text.hasPrefix("Paragraph 1"))
    }

    @Test func charsetFromMetaAndFromHTTP() throws {
        let latin: [UInt8] = Array("<html><head><meta charset=\"windows-1252\"></head><body><article><p>".utf8) + [0x93]
            + Array("Caf".utf8) + [0xE9, 0x94] + Array(" is where the minister, the envoy, and the aides met for two long hours.</p></article></body></html>".utf8)
        #expect(try ArticleExtractor.extract(latin).text == "“Café” is where the minister, the envoy, and the aides met for two long hours.")
        let utf8 = Array("<html><head><meta charset=\"iso-8859-1\"></head><body><article><p>東京 — the minister, the envoy, and the aides met for two long hours.</p></article></body></html>".utf8)
        #expect(try ArticleExtractor.extract(utf8, charset: "utf-8").text.hasPrefix("東京"))
    }

    @Test func hostilePagesStayBounded() async throws {
        let story = story
        // Seconds of parsing in a debug build: on a thread of its own (see onOwnThread).
        let (oneParagraph, bigText, elapsed, big) = try await onOwnThread { () throws -> (String, Int, Duration, [UInt8]) in
            // 100,000-deep nesting
            let deep = String(repeating: "<div>", count: 100_000) + "<p>deep text, with commas, and words enough to count as a paragraph</p>"
                + String(repeating: "</div>", count: 100_000)
            _ = try ArticleExtractor.extract(Array(deep.utf8))
            // No <body>, binary garbage
            let oneParagraph = try ArticleExtractor.extract(Array("<p>Just one paragraph, without html or body tags, of plain story text here.</p>".utf8)).text
            var generator = SystemRandomNumberGenerator()
            _ = try? ArticleExtractor.extract((0..<200_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
            // A 20 MB page parses within bounds.
            let big = Array(("<html><body><article>" + String(repeating: story, count: 20 << 20 / story.utf8.count) + "</article></body></html>").utf8)
            let start = ContinuousClock.now
            let text = try ArticleExtractor.extract(big).text
            return (oneParagraph, text.utf8.count, ContinuousClock.now - start, big)
        }
        #expect(oneParagraph.contains("Just one paragraph"))
        #expect(bigText > 10 << 20)
        #expect(elapsed < .seconds(60))
        // An empty file, and a page over the cap, are refused.
        #expect(throws: ExtractionError.self) { try ArticleExtractor.extract([]) }
        #expect(throws: ExtractionError.self) { try ArticleExtractor.extract(big, maximumBytes: 1 << 20) }
    }
}

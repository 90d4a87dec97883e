// SPDX-License-Identifier: MIT
import Foundation
import Testing

struct ParseCommandTests {
    @Test func printsNormalisedJSON() throws {
        let file = try FeedwatchProcess.temporaryFile(Array("""
            <rss version="2.0"><channel><title>T</title><item><title>A &amp; B</title><link>/a</link>
            <pubDate>Thu, 01 Jan 2004 19:48:21 GMT</pubDate></item></channel></rss>
            """.utf8))
        let result = try FeedwatchProcess.run(["parse", file], environment: ["FEED_URL": "http://example.com/feed"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let items = try #require(json["items"] as? [[String: Any]])
        #expect(items.first?["title"] as? String == "A & B")
        #expect(items.first?["link"] as? String == "http://example.com/a")
        #expect(items.first?["published"] as? String == "2004-01-01T19:48:21Z")
        #expect((json["feed"] as? [String: Any])?["title"] as? String == "T")
    }

    @Test func httpHeadersCharsetOverridesTheDocument() throws {
        let file = try FeedwatchProcess.temporaryFile(Array("<rss><channel><title>caf".utf8) + [0xE9] + Array("</title></channel></rss>".utf8))
        let result = try FeedwatchProcess.run(
            ["parse", file], environment: ["FEED_HTTP_HEADERS": "{\"Content-type\": \"text/xml; charset=iso-8859-1\"}"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\"title\":\"café\""))
    }

    @Test func notAFeedExitsOneWithOneLineNamingTheFile() throws {
        let file = try FeedwatchProcess.temporaryFile(Array("<html><body>no feed</body></html>".utf8))
        let result = try FeedwatchProcess.run(["parse", file])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains(file) == true)
    }

    @Test func missingFileExitsOne() throws {
        let result = try FeedwatchProcess.run(["parse", "/nonexistent/feed.xml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("/nonexistent/feed.xml"))
    }

    @Test func emptyFileIsAClearError() throws {
        let file = try FeedwatchProcess.temporaryFile([])
        let result = try FeedwatchProcess.run(["parse", file])
        #expect(result.status == 1)
        #expect(result.stderr.contains("empty"))
    }

    @Test func oversizedFileIsRefused() throws {
        let file = try FeedwatchProcess.temporaryFile(Array(repeating: UInt8(ascii: " "), count: 2000) + Array("<rss/>".utf8))
        let result = try FeedwatchProcess.run(["parse", "--max-size", "1000", file])
        #expect(result.status == 1)
        #expect(result.stderr.contains("1000"))
    }

    @Test func helpListsOnlyWorkingSubcommands() throws {
        let result = try FeedwatchProcess.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("parse"))
    }
}

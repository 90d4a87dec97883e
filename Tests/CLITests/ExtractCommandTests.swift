// SPDX-License-Identifier: MIT
import Foundation
import Testing
import TestSupport

struct ExtractCommandTests {
    private let page = "<html lang=\"en\"><head><title>The Headline</title></head><body><article>"
        + (1...5).map { "<p>Paragraph \($0), with commas, and words enough to look like the story itself.</p>" }.joined()
        + "</article><div class=\"comments\"><p>Leave a Reply</p></div></body></html>"

    @Test func oneInputPrintsTheStoryText() throws {
        let file = try FeedwatchProcess.temporaryFile(Array(page.utf8), suffix: ".html")
        let result = try FeedwatchProcess.run(["extract", file])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("Paragraph 1, with commas"))
        #expect(result.stdout.components(separatedBy: "\n\n").count == 5)
        #expect(!result.stdout.contains("Leave a Reply"))
        #expect(!result.stdout.contains("The Headline"))
    }

    @Test func jsonAndSeveralInputs() throws {
        let file = try FeedwatchProcess.temporaryFile(Array(page.utf8), suffix: ".html")
        let json = try FeedwatchProcess.run(["extract", "--json", file])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["title"] as? String == "The Headline")
        #expect(object["language"] as? String == "en")
        let many = try FeedwatchProcess.run(["extract", file, file, "/nonexistent.html"])
        let lines = many.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(many.status == 1)
        #expect(lines[2].contains("\"error\""))
    }

    @Test func urlInput() throws {
        let body = Data(page.utf8)
        let server = try TestHTTPServer { _ in .respond(status: 200, headers: [("Content-Type", "text/html; charset=utf-8")], body: body) }
        let result = try FeedwatchProcess.run(["extract", server.url("/story")])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("Paragraph 1"))
    }
}

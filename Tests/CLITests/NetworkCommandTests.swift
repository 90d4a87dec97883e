// SPDX-License-Identifier: MIT
import Foundation
import Testing
import TestSupport

struct NetworkCommandTests {
    @Test func parseURLUsesTheFinalURLAndTheHTTPCharset() throws {
        let feed = Array("<rss><channel><title>caf".utf8) + [0xE9] + Array("</title><item><link>story</link></item></channel></rss>".utf8)
        let server = try TestHTTPServer { request in
            request.path == "/old"
                ? .respond(status: 301, headers: [("Location", "/feeds/rss.xml")])
                : .respond(status: 200, headers: [("Content-Type", "text/xml; charset=iso-8859-1")], body: Data(feed))
        }
        let result = try FeedwatchProcess.run(["parse", server.url("/old")])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\"title\":\"café\""))
        #expect(result.stdout.contains("\"link\":\"\(server.url("/feeds/story"))\""))
    }

    @Test func parseURLFailuresExitThree() throws {
        let server = try TestHTTPServer { _ in .respond(status: 404) }
        let missing = try FeedwatchProcess.run(["parse", server.url("/nope")])
        #expect(missing.status == 3)
        #expect(missing.stderr.contains("HTTP 404"))
        let refused = try FeedwatchProcess.run(["parse", "http://127.0.0.1:\(TestHTTPServer.closedPort())/feed"])
        #expect(refused.status == 3)
        #expect(refused.stderr.contains("refused"))
    }

    @Test func fetchReportsEachURL() throws {
        let server = try TestHTTPServer { request in
            request.path == "/moved"
                ? .respond(status: 308, headers: [("Location", "/feed")])
                : .respond(status: 200, headers: [("ETag", "\"e1\""), ("Cache-Control", "max-age=300")], body: Data("abc".utf8))
        }
        let result = try FeedwatchProcess.run(["fetch", "--json", server.url("/moved"), server.url("/feed")])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(lines.count == 2)
        #expect(lines[0]?["final_url"] as? String == server.url("/feed"))
        #expect((lines[0]?["redirects"] as? [[String: Any]])?.first?["status"] as? Int == 308)
        #expect(lines[1]?["etag"] as? String == "\"e1\"")
        #expect(lines[1]?["max_age"] as? Int == 300)
        #expect(lines[1]?["bytes"] as? Int == 3)
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try FeedwatchProcess.run(["parse"]).status == 2)
        #expect(try FeedwatchProcess.run(["fetch"]).status == 2)
        #expect(try FeedwatchProcess.run(["match"]).status == 2)
    }
}

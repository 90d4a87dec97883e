// SPDX-License-Identifier: MIT
public import Foundation
import Synchronization

/// What a test site serves, changeable while the server runs: a reply per path, 404 elsewhere.
/// `ETag`s given with a body are honoured (`If-None-Match` → 304).
public final class SiteContent: Sendable {
    private let replies = Mutex<[String: (status: Int, headers: [(String, String)], body: Data)]>([:])

    public init() {}

    public func set(_ path: String, status: Int = 200, headers: [(String, String)] = [], body: String) {
        set(path, status: status, headers: headers, data: Data(body.utf8))
    }

    public func set(_ path: String, status: Int = 200, headers: [(String, String)] = [], data: Data) {
        replies.withLock { $0[path] = (status, headers, data) }
    }

    /// The handler for ``TestHTTPServer``.
    public func reply(_ request: TestHTTPServer.Request) -> TestHTTPServer.Reply {
        guard let reply = replies.withLock({ $0[request.path] }) else { return .respond(status: 404, body: Data("not found".utf8)) }
        if let etag = reply.headers.first(where: { $0.0.lowercased() == "etag" })?.1, request.header("If-None-Match") == etag {
            return .respond(status: 304, headers: reply.headers)
        }
        return .respond(status: reply.status, headers: reply.headers, body: reply.body)
    }

    /// An RSS 2.0 document with these items.
    public static func rss(title: String = "Test feed", items: [(guid: String?, title: String, link: String, description: String)], extra: String = "") -> String {
        var out = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>\(title)</title><link>http://example.org/</link>\(extra)\n"
        for item in items {
            out += "<item><title>\(item.title)</title><link>\(item.link)</link>"
            if let guid = item.guid { out += "<guid isPermaLink=\"false\">\(guid)</guid>" }
            out += "<description>\(item.description)</description></item>\n"
        }
        return out + "</channel></rss>\n"
    }
}

// SPDX-License-Identifier: MIT
import Foundation
import Store
import Synchronization
import TestSupport

/// Feeds on eight loopback servers (eight hosts), each with one of sixteen faults or none, publishing
/// stories as a ``ManualClock`` moves: the servers every feed monitor meets, in one place, with a log
/// of every request and answer to hold the daemon's behaviour against.
final class FaultyFarm: Sendable {
    enum Fault: Int, CaseIterable, Sendable {
        case none
        /// Every third request: `429` with `Retry-After: 150` (seconds).
        case tooManyRequests
        /// Every third request: `503` with `Retry-After` as an HTTP date 200 s ahead.
        case unavailableUntilDate
        /// The first request is answered, every later one `410 Gone`.
        case gone
        /// `301` to another URL, which serves the feed.
        case movedPermanently
        /// `302` to another URL, every time.
        case movedTemporarily
        /// Every second request: `500`.
        case intermittentError
        /// Every second request: the connection reset halfway through the body.
        case intermittentReset
        /// Bytes that are no feed.
        case garbage
        /// An HTML page full of the watch words, instead of the feed.
        case html
        /// A gzip bomb: 40 MB of zeros, compressed.
        case gzipBomb
        /// Two URLs that redirect to each other.
        case redirectLoop
        /// A new `ETag` on every answer, the same items.
        case etagChurn
        /// Items in another order each time, and one item seen before missing every other time.
        case reordered
        /// The document cut off after its last item (no `</channel></rss>`).
        case truncated
        /// ISO-8859-1, declared in the XML declaration.
        case latin1
        /// `Cache-Control: max-age=600`.
        case longMaxAge

        /// Faults after which the feed is still read: its stories must all be alerted.
        var servesItsStories: Bool {
            switch self {
            case .gone, .garbage, .html, .gzipBomb, .redirectLoop: false
            default: true
            }
        }
    }

    struct Exchange: Sendable {
        var time: Date
        var path: String
        var status: Int
        /// When a `429` or `503` said to come back.
        var notBefore: Date?
    }

    struct Story: Sendable {
        var feed: Int
        var guid: String
        var published: Date
        var onTopic: Bool
    }

    static let hostCount = 8
    static let retryAfterSeconds = 150.0
    let servers: [TestHTTPServer]
    let feedCount: Int
    let start: Date
    private let clock: ManualClock
    private let exchanges = Mutex<[Int: [Exchange]]>([:])
    private let bomb: Data

    /// `feedCount` feeds; feed `i` has fault `i % 17` and lives on host `i % 8`.
    init(feeds feedCount: Int, clock: ManualClock) throws {
        self.feedCount = feedCount
        self.clock = clock
        start = clock.now
        bomb = try TestHTTPServer.gzip(Data(count: 40 << 20))
        var servers: [TestHTTPServer] = []
        let reply = Mutex<(@Sendable (TestHTTPServer.Request) -> TestHTTPServer.Reply)?>(nil)
        for _ in 0..<Self.hostCount {
            servers.append(try TestHTTPServer { request in reply.withLock { $0 }!(request) })
        }
        self.servers = servers
        let handler: @Sendable (TestHTTPServer.Request) -> TestHTTPServer.Reply = { [unowned self] in self.answer($0) }
        reply.withLock { $0 = handler }
    }

    func fault(of feed: Int) -> Fault { Fault(rawValue: feed % Fault.allCases.count)! }

    func url(of feed: Int) -> String { servers[feed % Self.hostCount].url("/feed/\(feed).xml") }

    /// Every request to `feed`'s URLs and its answer, in order.
    func exchanges(of feed: Int) -> [Exchange] { exchanges.withLock { $0[feed] ?? [] } }

    /// The stories `feed` has published by `time`, newest first: three old ones from before the start,
    /// then one at minutes 1…30 when `(feed + minute) % 4 == 0`; every second one is about an
    /// earthquake and a tsunami (the rule), the others about pears.
    func stories(of feed: Int, by time: Date) -> [Story] {
        var stories = (0..<3).map { Story(feed: feed, guid: "old-\(feed)-\($0)", published: start.addingTimeInterval(-600 - Double($0)), onTopic: true) }
        for minute in 1...30 where (feed + minute) % 4 == 0 {
            let published = start.addingTimeInterval(Double(minute) * 60)
            guard published <= time else { break }
            stories.append(Story(feed: feed, guid: "story-\(feed)-\(minute)", published: published, onTopic: (feed + minute) % 8 == 0))
        }
        return stories.sorted { $0.published > $1.published }
    }

    /// When `feed` first answered with its items: what it published before then is its baseline.
    func firstServed(_ feed: Int) -> Date? {
        exchanges(of: feed).first { $0.status == 200 }?.time
    }

    private func answer(_ request: TestHTTPServer.Request) -> TestHTTPServer.Reply {
        let parts = request.path.split(separator: "/")
        guard parts.count == 2, let feed = Int(parts[1].split(separator: ".")[0]) else { return .respond(status: 404) }
        let now = clock.now
        let (reply, status, notBefore) = reply(to: request, feed: feed, kind: String(parts[0]), now: now)
        exchanges.withLock { $0[feed, default: []].append(Exchange(time: now, path: request.path, status: status, notBefore: notBefore)) }
        return reply
    }

    private func reply(
        to request: TestHTTPServer.Request, feed: Int, kind: String, now: Date
    ) -> (TestHTTPServer.Reply, Int, Date?) {
        let n = exchanges(of: feed).count + 1
        let server = servers[feed % Self.hostCount]
        func redirect(_ status: Int, to path: String) -> (TestHTTPServer.Reply, Int, Date?) {
            (.respond(status: status, headers: [("Location", server.url(path))]), status, nil)
        }
        switch fault(of: feed) {
        case .tooManyRequests where n % 3 == 2:
            return (.respond(status: 429, headers: [("Retry-After", "\(Int(Self.retryAfterSeconds))")]), 429, now.addingTimeInterval(Self.retryAfterSeconds))
        case .unavailableUntilDate where n % 3 == 2:
            let until = now.addingTimeInterval(200)
            return (.respond(status: 503, headers: [("Retry-After", Self.httpDate(until))]), 503, until)
        case .gone where n > 1:
            return (.respond(status: 410), 410, nil)
        case .movedPermanently where kind == "feed":
            return redirect(301, to: "/moved/\(feed).xml")
        case .movedTemporarily where kind == "feed":
            return redirect(302, to: "/temp/\(feed).xml")
        case .intermittentError where n % 2 == 0:
            return (.respond(status: 500, body: Data("oops".utf8)), 500, nil)
        case .intermittentReset where n % 2 == 0:
            let body = Data(document(feed, now: now, request: n).utf8)
            return (.reset(length: body.count, partial: body.prefix(body.count / 2)), 0, nil)
        case .garbage:
            return (.respond(status: 200, headers: [("Content-Type", "application/rss+xml")], body: Data((0..<2000).map { UInt8(truncatingIfNeeded: $0 &* 7919) })), -1, nil)
        case .html:
            let page = "<html><body><h1>Earthquake and tsunami</h1><p>Earthquake tsunami warning.</p></body></html>"
            return (.respond(status: 200, headers: [("Content-Type", "text/html")], body: Data(page.utf8)), -1, nil)
        case .gzipBomb:
            return (.respond(status: 200, headers: [("Content-Encoding", "gzip"), ("Content-Type", "application/rss+xml")], body: bomb), -1, nil)
        case .redirectLoop:
            return redirect(302, to: kind == "feed" ? "/loop/\(feed).xml" : "/feed/\(feed).xml")
        default:
            break
        }
        let text = document(feed, now: now, request: n)
        let body = fault(of: feed) == .latin1 ? text.data(using: .isoLatin1)! : Data(text.utf8)
        let etag = fault(of: feed) == .etagChurn ? "\"churn-\(n)\"" : "\"\(StableHash.hex(text))\""
        var headers = [("Content-Type", "application/rss+xml"), ("ETag", etag)]
        if fault(of: feed) == .longMaxAge { headers.append(("Cache-Control", "max-age=600")) }
        if request.header("If-None-Match") == etag { return (.respond(status: 304, headers: headers), 304, nil) }
        return (.respond(status: 200, headers: headers, body: body), 200, nil)
    }

    /// The feed document `feed` serves at `now`, for its `request`-th request.
    private func document(_ feed: Int, now: Date, request: Int) -> String {
        var stories = stories(of: feed, by: now)
        if fault(of: feed) == .reordered {
            if request > 1 && request % 2 == 1 && stories.count > 2 { stories.remove(at: 1) }
            stories = stories.enumerated().sorted { ($0.offset * 7 + request) % 5 < ($1.offset * 7 + request) % 5 }.map(\.element)
        }
        let place = fault(of: feed) == .latin1 ? " near Zürich" : ""
        var out = "<?xml version=\"1.0\" encoding=\"\(fault(of: feed) == .latin1 ? "ISO-8859-1" : "utf-8")\"?>\n"
        out += "<rss version=\"2.0\"><channel><title>Feed \(feed)</title><link>http://example.org/\(feed)</link>\n"
        for story in stories.prefix(15) {
            let (title, text) = story.onTopic
                ? ("Earthquake and tsunami warning\(place) (\(story.guid))", "An earthquake struck\(place); a tsunami warning followed.")
                : ("Pear harvest\(place) (\(story.guid))", "Growers sold pears\(place).")
            out += "<item><title>\(title)</title><link>http://example.org/\(story.guid)</link><guid isPermaLink=\"false\">\(story.guid)</guid>"
            out += "<description>\(text)</description></item>\n"
        }
        return fault(of: feed) == .truncated ? out : out + "</channel></rss>\n"
    }

    private static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}

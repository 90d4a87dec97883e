// SPDX-License-Identifier: MIT
public import Foundation

/// The syndication format a document was written in, detected from its content.
public enum FeedFormat: String, Sendable {
    case rss090 = "rss090", rss091 = "rss09x", rss10 = "rss10", rss20 = "rss20"
    case atom03 = "atom03", atom10 = "atom10"
    case jsonFeed = "json"
    case cdf = "cdf"
}

/// A person named by a feed or entry.
public struct Person: Sendable, Equatable {
    public var name: String?
    public var email: String?
    public var uri: String?
}

/// A media file attached to an entry (RSS `enclosure`, Atom `link rel="enclosure"`, Media RSS).
public struct Enclosure: Sendable, Equatable {
    public var url: String
    public var type: String?
    public var length: Int?
}

/// One entry (RSS item, Atom entry, JSON Feed item), normalised.
public struct Entry: Sendable {
    /// RSS `guid`, Atom `id` or JSON Feed `id`, as written (resolved if it is a relative URL).
    public var id: String?
    /// Plain text.
    public var title: String?
    /// Absolute URL of the story.
    public var link: String?
    public var published: Date?
    public var updated: Date?
    public var author: Person?
    /// Plain text.
    public var summary: String?
    /// HTML (or plain text where the feed typed it so).
    public var content: String?
    /// Plain-text category names, in document order.
    public var categories: [String] = []
    public var enclosures: [Enclosure] = []

    public init() {}
}

/// Publisher hints on how often a feed should be polled (RSS `ttl`, `skipHours`, `skipDays`, the
/// syndication module).
public struct PollingHints: Sendable, Equatable {
    /// RSS `<ttl>`, minutes.
    public var ttlMinutes: Int?
    /// RSS `<skipHours>`: hours (0–23, GMT) in which the feed should not be polled.
    public var skipHours: Set<Int> = []
    /// RSS `<skipDays>`: weekdays (1 = Sunday … 7 = Saturday) on which it should not be polled.
    public var skipDays: Set<Int> = []
    /// `sy:updatePeriod` and `sy:updateFrequency` as seconds between updates.
    public var updateIntervalSeconds: Int?

    public init() {}
}

/// A parsed feed.
public struct Feed: Sendable {
    public var format: FeedFormat
    /// Plain text.
    public var title: String?
    /// Absolute URL of the site.
    public var link: String?
    public var language: String?
    public var updated: Date?
    public var hints = PollingHints()
    /// Entries in document order.
    public var entries: [Entry] = []
    /// Parser diagnostics: the document was not well-formed and was read in recovery mode.
    public var recoveredError: String?

    public init(format: FeedFormat) { self.format = format }
}

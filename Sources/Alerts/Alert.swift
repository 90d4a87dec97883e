// SPDX-License-Identifier: MIT
public import Foundation

/// One alert: a rule matched a new entry. Written as one line of JSON (schema 1, DESIGN.md section 3);
/// fields are only ever added, and `schema` changes when one changes meaning.
public struct Alert: Codable, Sendable, Equatable {
    public static let schemaVersion = 1

    public var schema = Alert.schemaVersion
    /// Stable hash of the rule name and the entry's identity: the same alert always has the same id.
    public var id: String
    /// When the alert was raised (UTC, ISO 8601).
    public var ts: String
    public var rule: String
    public var feed: FeedInfo
    public var entry: EntryInfo
    /// The folded words that satisfied the rule, in rule order.
    public var matched: [String]
    /// About 200 characters of the article around the first match, matches marked `**so**`.
    public var snippet: String
    /// Where the text came from: `page` (the cleaned article page) or `feed` (the item's own text).
    public var source: Source
    /// Why the page was not used when `source` is `feed` and full text was asked for.
    public var sourceError: String?
    /// The story the entry belongs to (its near-duplicates on other feeds are copies of it) and how
    /// many copies were known when the alert was raised; `null` where stories are off.
    public var story: StoryInfo?

    public enum Source: String, Codable, Sendable { case page, feed }

    public struct StoryInfo: Codable, Sendable, Equatable {
        /// 16 hex digits.
        public var id: String
        public var copies: Int
        public init(id: String, copies: Int) {
            self.id = id
            self.copies = copies
        }
    }

    public struct FeedInfo: Codable, Sendable, Equatable {
        public var url: String
        public var title: String?
        public init(url: String, title: String?) {
            self.url = url
            self.title = title
        }
    }

    public struct EntryInfo: Codable, Sendable, Equatable {
        public var id: String?
        public var url: String?
        public var title: String?
        /// ISO 8601, UTC.
        public var published: String?
        public init(id: String?, url: String?, title: String?, published: String?) {
            self.id = id
            self.url = url
            self.title = title
            self.published = published
        }
    }

    enum CodingKeys: String, CodingKey {
        case schema, id, ts, rule, feed, entry, matched, snippet, source, story
        case sourceError = "source_error"
    }

    public init(
        id: String, ts: Date, rule: String, feed: FeedInfo, entry: EntryInfo, matched: [String], snippet: String,
        source: Source, sourceError: String? = nil
    ) {
        self.id = id
        self.ts = Self.timestamp(ts)
        self.rule = rule
        self.feed = feed
        self.entry = entry
        self.matched = matched
        self.snippet = snippet
        self.source = source
        self.sourceError = sourceError
    }

    /// The alert as one line of JSON, without the newline: keys in schema order, absent values `null`.
    public var jsonLine: String {
        var out = "{\"schema\":\(schema),\"id\":\(json(id)),\"ts\":\(json(ts)),\"rule\":\(json(rule)),"
        out += "\"feed\":{\"url\":\(json(feed.url)),\"title\":\(json(feed.title))},"
        out += "\"entry\":{\"id\":\(json(entry.id)),\"url\":\(json(entry.url)),\"title\":\(json(entry.title)),"
        out += "\"published\":\(json(entry.published))},"
        out += "\"matched\":[\(matched.map { json($0) }.joined(separator: ","))],\"snippet\":\(json(snippet)),"
        out += "\"source\":\(json(source.rawValue)),\"source_error\":\(json(sourceError)),\"story\":"
        out += story.map { "{\"id\":\(json($0.id)),\"copies\":\($0.copies)}" } ?? "null"
        return out + "}"
    }

    /// A JSON string literal (RFC 8259), or `null`.
    private func json(_ value: String?) -> String {
        guard let value else { return "null" }
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Reads one line of the alert file.
    public init(jsonLine: some StringProtocol) throws {
        self = try JSONDecoder().decode(Alert.self, from: Data(jsonLine.utf8))
    }

    /// `2026-11-25T13:04:05Z`.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }
}

// SPDX-License-Identifier: MIT
public import Foundation

/// What the store knows of one feed: where it lives now, its validators, schedule and health.
public struct FeedRecord: Sendable, Equatable {
    /// The feed's row.
    public var id: Int64
    /// The URL as configured: the feed's identity across restarts.
    public var configuredURL: String
    /// Where it is fetched now (changed by 301/308).
    public var url: String
    public var title: String?
    public var etag: String?
    public var lastModified: String?
    public var nextDue: Date
    public var consecutiveFailures: Int
    public var lastError: String?
    public var lastErrorAt: Date?
    public var lastSuccess: Date?
    /// Set when the server answered 410 Gone: the feed is no longer polled.
    public var retiredAt: Date?
    /// Whether a first fetch succeeded and its entries were recorded.
    public var initialized: Bool
    public var entryCount: Int
    public var alertCount: Int
}

/// How many of some feeds are failing (their last poll failed; not retired) and retired (410 Gone):
/// the one count behind `feedwatch status`, systemd's STATUS= and the metrics.
public struct FeedHealth: Sendable, Equatable {
    public private(set) var failing = 0
    public private(set) var retired = 0

    public init(_ records: some Sequence<FeedRecord>) {
        for record in records {
            if record.retiredAt != nil {
                retired += 1
            } else if record.consecutiveFailures > 0 {
                failing += 1
            }
        }
    }
}

/// The outcome of one poll, written with the entries it saw and the alerts it raised.
public struct PollResult: Sendable {
    /// The feed's row.
    public var feedID: Int64
    public var configuredURL: String
    public var url: String
    public var title: String?
    public var etag: String?
    public var lastModified: String?
    public var nextDue: Date
    /// `nil` for success.
    public var error: String?
    public var retired: Bool
    public var now: Date
    /// Entries to remember as seen.
    public var seen: [EntryFingerprint]
    /// Alerts to deliver.
    public var alerts: [PendingAlert]
    /// The new entries' texts, to be placed in stories (`PendingAlert.story` points here).
    public var stories: [StoryCopy] = []
    /// How stories are told; `nil`: stories are off.
    public var storyPolicy: StoryPolicy?
    /// The new entries as the rules saw them, for the archive.
    public var archive: [ArchivedEntry] = []
    /// How long and how much the archive keeps; `nil`: the archive is off.
    public var archivePolicy: ArchivePolicy?
    /// The archive's texts compressed (``archiveCompressed()``), before the write transaction.
    var archiveTexts: [[UInt8]] = []

    /// A poll of the feed whose record (before the poll) is `feed`.
    public init(
        of feed: FeedRecord, url: String, title: String? = nil, etag: String? = nil, lastModified: String? = nil,
        nextDue: Date, error: String? = nil, retired: Bool = false, now: Date, seen: [EntryFingerprint] = [],
        alerts: [PendingAlert] = []
    ) {
        self.feedID = feed.id
        self.configuredURL = feed.configuredURL
        self.url = url
        self.title = title
        self.etag = etag
        self.lastModified = lastModified
        self.nextDue = nextDue
        self.error = error
        self.retired = retired
        self.now = now
        self.seen = seen
        self.alerts = alerts
    }
}

/// An alert on its way to the sinks.
public struct PendingAlert: Sendable, Equatable {
    /// Stable id (rule + entry identity): the same alert is never recorded twice.
    public var id: String
    public var rule: String
    /// The alert as one line of JSON.
    public var json: String
    /// Names of the sinks that must deliver it.
    public var sinks: [String]
    /// The entry's place in `PollResult.stories`: the alert is raised once per story and rule, by the
    /// first copy that matches, unless `everyCopy`.
    public var story: Int?
    public var everyCopy: Bool

    /// The id of the alert `rule` raises for the entry whose identity is `entry` on the feed configured
    /// as `feedURL`: the same alert always has the same id.
    public static func id(rule: String, feedURL: String, entry: String) -> String {
        StableHash.hex(rule + "\n" + feedURL + "\n" + entry)
    }

    public init(id: String, rule: String, json: String, sinks: [String], story: Int? = nil, everyCopy: Bool = false) {
        self.id = id
        self.rule = rule
        self.json = json
        self.sinks = sinks
        self.story = story
        self.everyCopy = everyCopy
    }
}

/// A poll as recorded: the feed's record as it now stands, and where its new entries' texts went.
public struct RecordedPoll: Sendable {
    public var record: FeedRecord
    /// Per `PollResult.stories`, the story each copy joined or began.
    public var stories: [StoryJoin] = []
    /// Alerts not raised because the story had already alerted for their rule.
    public var repeats = 0
}

/// An alert a sink has still to deliver.
public struct OutboxItem: Sendable, Equatable {
    public var alertID: String
    public var json: String
    public var attempts: Int
    /// The story the alert belongs to and the copies known when it was raised; `nil` where stories are off.
    public var story: StoryJoin?
}

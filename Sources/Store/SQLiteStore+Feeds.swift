// SPDX-License-Identifier: MIT
import Foundation
import GRDB

extension SQLiteStore {
    /// The records of these configured URLs, created where new (due at once). Order follows `urls`.
    public func register(_ urls: [String]) async throws(StoreError) -> [FeedRecord] {
        let records = try await write { db in
            var byURL = try Self.recordsByURL(db)
            var listed = Set<String>()
            let new = urls.filter { byURL[$0] == nil && listed.insert($0).inserted }
            // New records come back from their INSERT (a hundred rows a statement): the records are read once.
            try Self.inChunks(new) { chunk in
                var insert = try RawStatement(
                    db, sql: "INSERT INTO feed (configured_url, url) VALUES \(RawStatement.rows("(?, ?)", chunk.count)) RETURNING \(FeedRecord.columns)")
                defer { insert.finish() }
                for url in chunk {
                    insert.bind(url)
                    insert.bind(url)
                }
                while try insert.step() {
                    let record = FeedRecord(insert)
                    byURL[record.configuredURL] = record
                }
            }
            return urls.compactMap { byURL[$0] }
        }
        return records
    }

    /// Every feed record by configured URL.
    private static func recordsByURL(_ db: Database) throws -> [String: FeedRecord] {
        let records = try allRecords(db)
        var byURL: [String: FeedRecord] = [:]
        byURL.reserveCapacity(records.count)
        for record in records { byURL[record.configuredURL] = record }
        return byURL
    }

    /// Every feed record, by id.
    private static func allRecords(_ db: Database) throws -> [FeedRecord] {
        var select = try RawStatement(db, sql: "SELECT \(FeedRecord.columns) FROM feed ORDER BY id")
        defer { select.finish() }
        var records: [FeedRecord] = []
        while try select.step() { records.append(FeedRecord(select)) }
        return records
    }

    /// Every feed the store knows, configured now or not.
    public func feeds() async throws(StoreError) -> [FeedRecord] {
        try await read { db in try Self.allRecords(db) }
    }

    /// Records a poll in one transaction: the feed's new state, its newly seen entries and their alerts
    /// with one outbox row per sink. A crash before it commits leaves everything as it was, so the next
    /// poll sees the same entries as new again; after it, they are seen and their alerts are owed.
    /// Polls finishing together share a transaction (group commit); each is still all or nothing.
    @discardableResult
    public func record(_ poll: PollResult) async throws(StoreError) -> RecordedPoll {
        try await commits.record(poll.archiveCompressed(), in: pool)
    }

    /// Applies a poll; returns the feed's record as it now stands and its entries' stories.
    static func apply(_ poll: PollResult, _ db: Database, _ storyIndex: StoryIndex) throws -> RecordedPoll {
        let now = poll.now.timeIntervalSince1970
        let feedID = poll.feedID
        if let error = poll.error {
            var update = try RawStatement(db, sql: """
                UPDATE feed SET url = ?, next_due = ?, failures = failures + 1, last_error = ?,
                    last_error_at = ?, retired_at = CASE WHEN ? THEN ? ELSE retired_at END WHERE id = ?
                """)
            update.bind(poll.url)
            update.bind(poll.nextDue.timeIntervalSince1970)
            update.bind(error)
            update.bind(now)
            update.bind(poll.retired)
            update.bind(now)
            update.bind(feedID)
            return RecordedPoll(record: try updated(feedID, &update, db))
        }
        try recordSeen(poll.seen, feedID: feedID, at: now, db)
        var joins: [StoryJoin] = []
        var repeats = 0
        var storyRows: [Int64] = []
        if let policy = poll.storyPolicy {
            try pruneStories(before: now - policy.window, storyIndex, db)
            for copy in poll.stories {
                let placed = try place(copy, feedID: feedID, at: now, policy, storyIndex, db)
                storyRows.append(placed.row)
                joins.append(placed.join)
            }
        }
        if let policy = poll.archivePolicy { try archive(poll.archive, texts: poll.archiveTexts, feedID: feedID, at: now, policy, db) }
        var inserted = 0
        for alert in poll.alerts {
            var story: StoryJoin?
            if let index = alert.story, index < storyRows.count {
                if !alert.everyCopy, try !claim(alert.rule, story: storyRows[index], db) {
                    repeats += 1
                    continue
                }
                story = joins[index]
            }
            try db.run("""
                INSERT INTO alert (id, rule, created, json, story_key, story_copies) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO NOTHING
                """, arguments: [alert.id, alert.rule, now, alert.json, story?.key, story?.copies])
            guard db.changesCount > 0 else { continue }
            inserted += 1
            for sink in alert.sinks {
                try db.run("INSERT INTO outbox (alert_id, sink) VALUES (?, ?)", arguments: [alert.id, sink])
            }
        }
        var update = try RawStatement(db, sql: """
            UPDATE feed SET url = ?, title = COALESCE(?, title), etag = ?, last_modified = ?, next_due = ?,
                failures = 0, last_success = ?, initialized = 1,
                entry_count = entry_count + ?, alert_count = alert_count + ? WHERE id = ?
            """)
        update.bind(poll.url)
        update.bind(poll.title)
        update.bind(poll.etag)
        update.bind(poll.lastModified)
        update.bind(poll.nextDue.timeIntervalSince1970)
        update.bind(now)
        update.bind(poll.seen.count)
        update.bind(inserted)
        update.bind(feedID)
        return RecordedPoll(record: try updated(feedID, &update, db), stories: joins, repeats: repeats)
    }

    /// Runs an UPDATE of one feed and reads the record back (a second statement by rowid costs SQLite
    /// less than RETURNING's table of results).
    private static func updated(_ id: Int64, _ update: inout RawStatement, _ db: Database) throws -> FeedRecord {
        try update.execute()
        guard db.changesCount > 0 else { throw StoreError("feed \(id) vanished from the state database") }
        var select = try RawStatement(db, sql: "SELECT \(FeedRecord.columns) FROM feed WHERE id = ?")
        defer { select.finish() }
        select.bind(id)
        guard try select.step() else { throw StoreError("feed \(id) vanished from the state database") }
        return FeedRecord(select)
    }

    /// Most rows one multi-row INSERT writes (a feed's worth of entries; feeds registered together).
    static let rowsPerStatement = 100

    /// `items` in slices of at most ``rowsPerStatement``, in order.
    static func inChunks<T>(_ items: [T], _ body: (ArraySlice<T>) throws -> Void) rethrows {
        for start in stride(from: items.startIndex, to: items.endIndex, by: rowsPerStatement) {
            try body(items[start..<min(start + rowsPerStatement, items.endIndex)])
        }
    }

    /// Forgets a feed and everything seen in it.
    public func remove(configuredURL: String) async throws(StoreError) {
        try await write { db in try db.run("DELETE FROM feed WHERE configured_url = ?", arguments: [configuredURL]) }
    }
}

extension FeedRecord {
    /// The columns `init(_:)` reads, in its order (by position: no name lookup per row).
    static let columns = """
        id, configured_url, url, title, etag, last_modified, next_due, failures, last_error, last_error_at,
        last_success, retired_at, initialized, entry_count, alert_count
        """

    /// The record in the statement's current row, whose columns are ``columns``.
    init(_ row: RawStatement) {
        func date(_ column: Int32) -> Date? { row.double(column).map(Date.init(timeIntervalSince1970:)) }
        self.init(
            id: row.int64(0), configuredURL: row.string(1) ?? "", url: row.string(2) ?? "", title: row.string(3),
            etag: row.string(4), lastModified: row.string(5), nextDue: date(6) ?? .distantPast,
            consecutiveFailures: row.int(7), lastError: row.string(8), lastErrorAt: date(9), lastSuccess: date(10),
            retiredAt: date(11), initialized: row.int64(12) != 0, entryCount: row.int(13), alertCount: row.int(14))
    }
}

extension Database {
    /// Runs `sql` through the statement cache (parsed and authorised once per connection).
    func run(_ sql: String, arguments: StatementArguments) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}


// SPDX-License-Identifier: MIT
import Foundation
import GRDB
import GRDBSQLite

extension Store {
    /// The records of these configured URLs, created where new (due at once). Order follows `urls`.
    public func register(_ urls: [String]) async throws(StoreError) -> [FeedRecord] {
        try await write { db in
            var byURL = try Self.recordsByURL(db)
            for url in urls where byURL[url] == nil {
                let inserted = try Row.fetchOne(
                    db.cachedStatement(sql: "INSERT INTO feed (configured_url, url) VALUES (?, ?) RETURNING \(FeedRecord.columns)"),
                    arguments: [url, url])
                byURL[url] = inserted.map(FeedRecord.init(row:))
            }
            return urls.compactMap { byURL[$0] }
        }
    }

    /// Every feed record by configured URL, decoded row by row from a cursor (no copy of the rows).
    private static func recordsByURL(_ db: Database) throws -> [String: FeedRecord] {
        var byURL: [String: FeedRecord] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT \(FeedRecord.columns) FROM feed")
        while let row = try rows.next() {
            let record = FeedRecord(row: row)
            byURL[record.configuredURL] = record
        }
        return byURL
    }

    /// Every feed the store knows, configured now or not.
    public func feeds() async throws(StoreError) -> [FeedRecord] {
        try await read { db in try Row.fetchAll(db, sql: "SELECT \(FeedRecord.columns) FROM feed ORDER BY id").map(FeedRecord.init(row:)) }
    }

    /// Which of `candidates` the feed has not seen before, under `mode`; a candidate repeated within the
    /// batch counts once.
    public func unseen(
        _ candidates: [EntryFingerprint], feedID: Int64, mode: EntryIdentity
    ) async throws(StoreError) -> [Int] {
        try await read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT guid, link, title_hash, content_hash FROM entry
                WHERE feed_id = ?1 AND (guid = ?2 OR link = ?3 OR content_hash = ?4)
                """)
            return try Self.distinct(candidates, mode: mode) { candidate in
                try Row.fetchAll(statement, arguments: [feedID, candidate.guid, candidate.link, candidate.contentHash]).contains {
                    EntryFingerprint(guid: $0[0], link: $0[1], titleHash: $0[2], contentHash: $0[3]).isSameEntry(as: candidate, under: mode)
                }
            }
        }
    }

    /// Indices of the candidates that are not repeats of an earlier candidate: what a feed never
    /// fetched before holds that is new.
    public static func distinct(_ candidates: [EntryFingerprint], mode: EntryIdentity) -> [Int] {
        distinct(candidates, mode: mode) { _ in false }
    }

    /// Indices of the candidates that are not `known` and not a repeat of an earlier candidate.
    static func distinct<E: Error>(
        _ candidates: [EntryFingerprint], mode: EntryIdentity, known: (EntryFingerprint) throws(E) -> Bool
    ) throws(E) -> [Int] {
        var fresh: [Int] = []
        for (index, candidate) in candidates.enumerated() {
            if try known(candidate) { continue }
            if fresh.contains(where: { candidates[$0].isSameEntry(as: candidate, under: mode) }) { continue }
            fresh.append(index)
        }
        return fresh
    }

    /// Records a poll in one transaction: the feed's new state, its newly seen entries and their alerts
    /// with one outbox row per sink. A crash before it commits leaves everything as it was, so the next
    /// poll sees the same entries as new again; after it, they are seen and their alerts are owed.
    /// Polls finishing together share a transaction (group commit); each is still all or nothing.
    @discardableResult
    public func record(_ poll: PollResult) async throws(StoreError) -> FeedRecord {
        try await commits.record(poll, in: pool)
    }

    /// Applies a poll; returns the feed's record as it now stands (read back by the UPDATE itself).
    static func apply(_ poll: PollResult, _ db: Database) throws -> FeedRecord {
        let now = poll.now.timeIntervalSince1970
        if let error = poll.error {
            return try updateFeed(poll.feedID, db, sql: """
                UPDATE feed SET url = ?, next_due = ?, failures = failures + 1, last_error = ?,
                    last_error_at = ?, retired_at = CASE WHEN ? THEN ? ELSE retired_at END WHERE id = ?
                """,
                arguments: [poll.url, poll.nextDue.timeIntervalSince1970, error, now, poll.retired, now, poll.feedID])
        }
        try insertSeen(poll.seen, feedID: poll.feedID, at: now, db)
        var inserted = 0
        for alert in poll.alerts {
            try db.run("INSERT INTO alert (id, rule, created, json) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO NOTHING",
                arguments: [alert.id, alert.rule, now, alert.json])
            guard db.changesCount > 0 else { continue }
            inserted += 1
            for sink in alert.sinks {
                try db.run("INSERT INTO outbox (alert_id, sink) VALUES (?, ?)", arguments: [alert.id, sink])
            }
        }
        return try updateFeed(poll.feedID, db, sql: """
            UPDATE feed SET url = ?, title = COALESCE(?, title), etag = ?, last_modified = ?, next_due = ?,
                failures = 0, last_success = ?, initialized = 1,
                entry_count = entry_count + ?, alert_count = alert_count + ? WHERE id = ?
            """,
            arguments: [poll.url, poll.title, poll.etag, poll.lastModified, poll.nextDue.timeIntervalSince1970, now,
                        poll.seen.count, inserted, poll.feedID])
    }

    /// Runs an UPDATE of one feed and returns the updated record (`RETURNING`, SQLite 3.35+).
    private static func updateFeed(_ id: Int64, _ db: Database, sql: String, arguments: StatementArguments) throws -> FeedRecord {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: sql + " RETURNING \(FeedRecord.columns)"), arguments: arguments) else {
            throw StoreError("feed \(id) vanished from the state database")
        }
        return FeedRecord(row: row)
    }

    /// Rows per INSERT of seen entries: one statement for a whole feed's worth.
    static let seenRowsPerStatement = 100

    /// `INSERT INTO entry … VALUES (…), (…)` for 1…``seenRowsPerStatement`` rows, built once.
    private static let seenInsertSQL: [String] = (0...seenRowsPerStatement).map { rows in
        "INSERT INTO entry (feed_id, guid, link, title_hash, content_hash, seen_at) VALUES "
            + repeatElement("(?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
    }

    /// The hot write of a cold cycle (ten rows a feed, thousands of feeds), bound straight through
    /// SQLite's API on GRDB's cached statement: GRDB's generic argument handling took most of its time.
    private static func insertSeen(_ seen: [EntryFingerprint], feedID: Int64, at now: Double, _ db: Database) throws {
        var start = seen.startIndex
        while start < seen.endIndex {
            let chunk = seen[start..<min(start + seenRowsPerStatement, seen.endIndex)]
            let sql = seenInsertSQL[chunk.count]
            let handle = try db.cachedStatement(sql: sql).sqliteStatement
            sqlite3_reset(handle)
            var index: Int32 = 1
            func bind(_ value: Int64?) {
                if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
                index += 1
            }
            func bind(_ value: String?) {
                if let value { sqlite3_bind_text(handle, index, value, -1, transientText) } else { sqlite3_bind_null(handle, index) }
                index += 1
            }
            for entry in chunk {
                bind(feedID)
                bind(entry.guid)
                bind(entry.link)
                bind(entry.titleHash)
                bind(entry.contentHash)
                sqlite3_bind_double(handle, index, now)
                index += 1
            }
            let code = sqlite3_step(handle)
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            guard code == SQLITE_DONE else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: sql)
            }
            start = chunk.endIndex
        }
    }

    /// Forgets a feed and everything seen in it.
    public func remove(configuredURL: String) async throws(StoreError) {
        try await write { db in try db.run("DELETE FROM feed WHERE configured_url = ?", arguments: [configuredURL]) }
    }
}

extension FeedRecord {
    /// The columns `init(row:)` reads, in its order (by position: no name lookup per row).
    static let columns = """
        id, configured_url, url, title, etag, last_modified, next_due, failures, last_error, last_error_at,
        last_success, retired_at, initialized, entry_count, alert_count
        """

    init(row: Row) {
        func date(_ index: Int) -> Date? { (row[index] as Double?).map(Date.init(timeIntervalSince1970:)) }
        self.init(
            id: row[0], configuredURL: row[1], url: row[2], title: row[3], etag: row[4], lastModified: row[5],
            nextDue: Date(timeIntervalSince1970: row[6]), consecutiveFailures: row[7], lastError: row[8],
            lastErrorAt: date(9), lastSuccess: date(10), retiredAt: date(11), initialized: row[12],
            entryCount: row[13], alertCount: row[14])
    }
}

extension Database {
    /// Runs `sql` through the statement cache (parsed and authorised once per connection).
    func run(_ sql: String, arguments: StatementArguments) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}

/// SQLite copies a text bound with this destructor (`SQLITE_TRANSIENT`, a macro Swift cannot import).
private let transientText = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)


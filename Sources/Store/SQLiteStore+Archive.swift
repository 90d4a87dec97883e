// SPDX-License-Identifier: MIT
import CCompression
public import Foundation
import GRDB

extension SQLiteStore {
    /// Writes a poll's new entries to the archive and forgets what is past `policy` (a few hundred
    /// rows a transaction at most, oldest first).
    /// `texts`: the entries' texts compressed (``ArchiveText/compress(_:)``), in the same order.
    static func archive(_ entries: [ArchivedEntry], texts: [[UInt8]], feedID: Int64, at now: Double, _ policy: ArchivePolicy, _ db: Database) throws {
        var added = 0
        for (entry, compressed) in zip(entries, texts) {
            var insert = try RawStatement(db, sql: """
                INSERT INTO archive (feed_id, seen, entry_key, entry_id, url, title, published, author, categories, source, text, rules, source_error)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            insert.bind(feedID)
            insert.bind(now)
            insert.bind(entry.key)
            insert.bind(entry.entryID)
            insert.bind(entry.url)
            insert.bind(entry.title)
            insert.bind(entry.published)
            insert.bind(entry.author)
            insert.bind(entry.storedCategories)
            insert.bind(entry.source)
            insert.bind(compressed)
            insert.bind(entry.storedRules)
            insert.bind(entry.sourceError)
            try insert.execute()
            added += compressed.count
        }
        // Cached statements: every poll with new entries runs these.
        var removed = try Int.fetchAll(db.cachedStatement(sql: """
            DELETE FROM archive WHERE id IN (SELECT id FROM archive WHERE seen < ? ORDER BY seen LIMIT 500) RETURNING length(text)
            """), arguments: [now - policy.keep]).reduce(0, +)
        let bytes = try Int.fetchOne(db.cachedStatement(sql: "SELECT bytes FROM archive_size")) ?? 0
        // Over the size: the oldest go, four at a time, until it fits (500 rows a poll at most).
        var rows = 0
        while bytes + added - removed > policy.maximumBytes && rows < 500 {
            let sizes = try Int.fetchAll(db, sql: """
                DELETE FROM archive WHERE id IN (SELECT id FROM archive ORDER BY seen LIMIT 4) RETURNING length(text)
                """)
            if sizes.isEmpty { break }
            removed += sizes.reduce(0, +)
            rows += sizes.count
        }
        if added != removed {
            try db.cachedStatement(sql: "UPDATE archive_size SET bytes = bytes + ?").execute(arguments: [added - removed])
        }
    }

    /// How many entries the archive holds and their compressed size.
    public func archiveUsage() async throws(StoreError) -> ArchiveUsage {
        try await read { db in
            ArchiveUsage(entries: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM archive") ?? 0,
                         bytes: try Int.fetchOne(db, sql: "SELECT bytes FROM archive_size") ?? 0)
        }
    }

    public func archiveBatch(since: Date, before: ArchivePosition, size: Int) async throws(StoreError) -> [(position: ArchivePosition, record: ArchiveRecord)] {
        try await read { db in
            // The row value keeps the walk on the index; the same test spelled with OR made SQLite
            // sort the whole archive in a temporary file for every batch.
            try Row.fetchAll(db, sql: """
                SELECT a.id, \(Self.archiveColumns) FROM archive a JOIN feed f ON f.id = a.feed_id
                WHERE a.seen >= ? AND (a.seen, a.id) < (?, ?)
                ORDER BY a.seen DESC, a.id DESC LIMIT ?
                """, arguments: [since.timeIntervalSince1970, before.seen, before.row, size])
                .map { row in (ArchivePosition(seen: row[1], row: row[0]), Self.archiveRecord(row, from: 1)) }
        }
    }

    /// The columns ``archiveRecord(_:from:)`` reads, in its order.
    static let archiveColumns = """
        a.seen, a.entry_key, a.entry_id, a.url, a.title, a.published, a.author, a.categories, a.source, a.source_error,
        a.text, a.rules, f.configured_url, f.title
        """

    /// The record in ``archiveColumns``, which begin at column `first` of `row`.
    static func archiveRecord(_ row: Row, from first: Int = 0) -> ArchiveRecord {
        ArchiveRecord(
            seen: row[first], key: row[first + 1], entryID: row[first + 2], url: row[first + 3], title: row[first + 4],
            published: row[first + 5], author: row[first + 6], categories: row[first + 7], source: row[first + 8],
            sourceError: row[first + 9], compressedText: row[first + 10], rules: row[first + 11], feedURL: row[first + 12],
            feedTitle: row[first + 13])
    }

    /// The ids of every alert the store has raised for `rules` (all rules: `nil`), by rule.
    public func raisedAlerts(rules: Set<String>?) async throws(StoreError) -> [String: Set<String>] {
        try await read { db in
            var raised: [String: Set<String>] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT id, rule FROM alert")
            while let row = try rows.next() {
                let rule: String = row[1]
                if rules?.contains(rule) ?? true { raised[rule, default: []].insert(row[0]) }
            }
            return raised
        }
    }
}


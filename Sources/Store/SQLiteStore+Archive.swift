// SPDX-License-Identifier: MIT
import CCompression
public import Foundation
import GRDB

/// How long and how much the archive keeps; `nil` where the archive is off.
public struct ArchivePolicy: Sendable, Equatable {
    public var keep: TimeInterval
    public var maximumBytes: Int

    public init(keep: TimeInterval, maximumBytes: Int) {
        self.keep = keep
        self.maximumBytes = maximumBytes
    }
}

/// A new entry as the rules saw it, for the archive.
public struct ArchivedEntry: Sendable, Equatable {
    /// The entry's identity (what alert ids are made from).
    public var key: String
    public var entryID: String?
    public var url: String?
    public var title: String?
    /// ISO 8601, as in the alert.
    public var published: String?
    public var author: String?
    public var categories: [String]
    /// `page` or `feed`, or ``firstFetch``.
    public var source: String
    /// Why the page was not used when the source is `feed` with `full_text` on (as in the alert).
    public var sourceError: String?
    /// The body the rules matched; for ``firstFetch``, the feed's own text as it came (HTML or not).
    public var text: String
    /// The rules that matched it.
    public var rules: [String]

    /// The source of an entry that was already in a feed at its first fetch: its feed text as it
    /// came, archived but never matched or alerted (and no page fetched for it).
    public static let firstFetch = "first-fetch"

    public init(
        key: String, entryID: String?, url: String?, title: String?, published: String?, author: String?,
        categories: [String], source: String, sourceError: String? = nil, text: String, rules: [String]
    ) {
        self.key = key
        self.entryID = entryID
        self.url = url
        self.title = title
        self.published = published
        self.author = author
        self.categories = categories
        self.source = source
        self.sourceError = sourceError
        self.text = text
        self.rules = rules
    }
}

/// An archived entry read back, with its feed and when it was seen.
public struct ArchiveRecord: Sendable {
    public var entry: ArchivedEntry
    public var feedURL: String
    public var feedTitle: String?
    public var seen: Date
}

/// The archive's size.
public struct ArchiveUsage: Sendable, Equatable {
    public var entries: Int
    /// Compressed text bytes.
    public var bytes: Int
}

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
            insert.bind(entry.categories.isEmpty ? nil : entry.categories.joined(separator: "\n"))
            insert.bind(entry.source)
            insert.bind(compressed)
            insert.bind(entry.rules.joined(separator: "\n"))
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

    /// The archive seen since `since`, newest first, `batchSize` records at a time handed to `body`
    /// (which returns false to stop): the whole archive is never in memory. The next batch is read
    /// and its text decompressed while `body` works on the current one.
    public func archive(since: Date, batchSize: Int = 2000, _ body: ([ArchiveRecord]) async throws -> Bool) async throws {
        let since = since.timeIntervalSince1970
        var next = Task { try await archiveBatch(since: since, before: (.greatestFiniteMagnitude, .max), size: batchSize) }
        while true {
            let batch = try await next.value
            guard let last = batch.last else { return }
            let more = batch.count == batchSize
            if more {
                next = Task { try await archiveBatch(since: since, before: (last.record.seen.timeIntervalSince1970, last.id), size: batchSize) }
            }
            guard try await body(batch.map(\.record)), more else {
                next.cancel()
                return
            }
        }
    }

    /// Up to `size` records seen since `since` and before the position `before` (seen, row id), newest first.
    private func archiveBatch(since: Double, before: (seen: Double, id: Int64), size: Int) async throws(StoreError) -> [(id: Int64, record: ArchiveRecord)] {
        try await read { db in
            // The row value keeps the walk on the index; the same test spelled with OR made SQLite
            // sort the whole archive in a temporary file for every batch.
            try Row.fetchAll(db, sql: """
                SELECT \(Self.archiveColumns) FROM archive a JOIN feed f ON f.id = a.feed_id
                WHERE a.seen >= ? AND (a.seen, a.id) < (?, ?)
                ORDER BY a.seen DESC, a.id DESC LIMIT ?
                """, arguments: [since, before.seen, before.id, size])
                .map { row in (row[0] as Int64, Self.archiveRecord(row)) }
        }
    }

    static let archiveColumns = """
        a.id, a.seen, a.entry_key, a.entry_id, a.url, a.title, a.published, a.author, a.categories, a.source, a.text,
        a.rules, f.configured_url, f.title, a.source_error
        """

    /// A row of ``archiveColumns``.
    static func archiveRecord(_ row: Row) -> ArchiveRecord {
        let entry = ArchivedEntry(
            key: row[2], entryID: row[3], url: row[4], title: row[5], published: row[6], author: row[7],
            categories: (row[8] as String?)?.split(separator: "\n").map(String.init) ?? [], source: row[9],
            sourceError: row[14], text: ArchiveText.decompress(row[10]) ?? "", rules: (row[11] as String).split(separator: "\n").map(String.init))
        return ArchiveRecord(entry: entry, feedURL: row[12], feedTitle: row[13], seen: Date(timeIntervalSince1970: row[1]))
    }

    /// The ids of every alert the store has raised for `rules` (all rules: `nil`), by rule.
    public func raisedAlerts(rules: Set<String>? = nil) async throws(StoreError) -> [String: Set<String>] {
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

/// The archive's text, zstd-compressed (level 3: a news article shrinks to about a third).
enum ArchiveText {
    /// The texts compressed through one zstd context: making a context costs more than compressing
    /// a feed item's text, and a feed's first fetch brings a hundred of them.
    static func compress(_ texts: [String]) -> [[UInt8]] {
        guard !texts.isEmpty, let context = ZSTD_createCCtx() else { return [] }
        defer { ZSTD_freeCCtx(context) }
        return texts.map { compress($0, context) }
    }

    private static func compress(_ text: String, _ context: OpaquePointer) -> [UInt8] {
        var text = text
        return text.withUTF8 { source in
            var output = [UInt8](repeating: 0, count: ZSTD_compressBound(source.count))
            let written = output.withUnsafeMutableBytes { ZSTD_compressCCtx(context, $0.baseAddress, $0.count, source.baseAddress, source.count, 3) }
            guard ZSTD_isError(written) == 0 else { return Array(source) }
            output.removeSubrange(written...)
            return output
        }
    }

    static func decompress(_ data: Data) -> String? {
        data.withUnsafeBytes { source -> String? in
            let size = ZSTD_getFrameContentSize(source.baseAddress, source.count)
            guard size != ZSTD_CONTENTSIZE_ERROR, size != ZSTD_CONTENTSIZE_UNKNOWN, size < 64 << 20 else { return nil }
            var output = [UInt8](repeating: 0, count: Int(size))
            let read = output.withUnsafeMutableBytes { ZSTD_decompress($0.baseAddress, $0.count, source.baseAddress, source.count) }
            guard ZSTD_isError(read) == 0 else { return nil }
            return String(decoding: output[..<read], as: UTF8.self)
        }
    }
}

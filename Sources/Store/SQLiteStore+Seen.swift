// SPDX-License-Identifier: MIT
import GRDB

/// What a feed has seen. A feed's first batch of seen entries (its first fetch: ten, fifty, a few
/// hundred at once) is kept as one row, its baseline (``SeenBaseline``); later batches (an entry or
/// two a poll) as a row per entry, found by key.
extension SQLiteStore {
    /// Which of `candidates` the feed has not seen before, under `mode`; a candidate repeated within the
    /// batch counts once.
    public func unseen(
        _ candidates: [EntryFingerprint], feedID: Int64, mode: EntryIdentity
    ) async throws(StoreError) -> [Int] {
        try await read { db in
            let baseline = try Self.baseline(feedID: feedID, db)
            return try EntryFingerprint.distinct(candidates, mode: mode) { candidate in
                let isCandidate = { (seen: EntryFingerprint) in seen.isSameEntry(as: candidate, under: mode) }
                return try baseline.contains(where: isCandidate)
                    || Self.seenEntries(sharing: candidate.lookupKey(under: mode), feedID: feedID, db).contains(where: isCandidate)
            }
        }
    }

    /// Remembers `seen` as the feed's entries seen at `now`: as its baseline when it has none yet (and
    /// they fit in one), else a row each.
    static func recordSeen(_ seen: [EntryFingerprint], feedID: Int64, at now: Double, _ db: Database) throws {
        guard !seen.isEmpty else { return }
        if seen.count <= SeenBaseline.maximumEntries {
            var insert = try RawStatement(db, sql: "INSERT INTO baseline (feed_id, fingerprints, seen_at) VALUES (?, ?, ?) ON CONFLICT(feed_id) DO NOTHING")
            insert.bind(feedID)
            insert.bind(SeenBaseline.encode(seen))
            insert.bind(now)
            try insert.execute()
            if db.changesCount > 0 { return }
        }
        try inChunks(seen) { chunk in
            var insert = try RawStatement(db, sql: insertSeenSQL[chunk.count])
            for entry in chunk {
                insert.bind(feedID)
                insert.bind(entry.guidHash ?? StoredHash.absent)
                insert.bind(entry.linkHash ?? StoredHash.absent)
                insert.bind(entry.titleHash)
                insert.bind(entry.contentHash)
                insert.bind(now)
            }
            try insert.execute()
        }
    }

    /// The INSERT of `n` seen entries at index `n`, written once. A row identical to one already kept
    /// is the same entry under every identity: it is skipped.
    private static let insertSeenSQL = (0...rowsPerStatement).map { count in
        "INSERT OR IGNORE INTO entry (feed_id, guid_hash, link_hash, title_hash, content_hash, seen_at) VALUES "
            + RawStatement.rows("(?,?,?,?,?,?)", count)
    }

    /// The feed's baseline, empty when it has none.
    private static func baseline(feedID: Int64, _ db: Database) throws -> [EntryFingerprint] {
        var select = try RawStatement(db, sql: "SELECT fingerprints FROM baseline WHERE feed_id = ?")
        defer { select.finish() }
        select.bind(feedID)
        guard try select.step() else { return [] }
        return try select.withBlob(0) { bytes throws(StoreError) in try SeenBaseline.decode(bytes, feedID: feedID) }
    }

    /// The feed's seen entries kept as rows that have `key`: found by the table's key (link), by its
    /// guid index, or, for a content key, among all of the feed's rows.
    private static func seenEntries(sharing key: EntryFingerprint.LookupKey, feedID: Int64, _ db: Database) throws -> [EntryFingerprint] {
        let (column, value) = switch key {
        case .link(let hash): ("link_hash", hash)
        case .guid(let hash): ("guid_hash", hash)
        case .content(let hash): ("content_hash", hash)
        }
        var select = try RawStatement(db, sql: "SELECT guid_hash, link_hash, title_hash, content_hash FROM entry WHERE feed_id = ? AND \(column) = ?")
        defer { select.finish() }
        select.bind(feedID)
        select.bind(value)
        var entries: [EntryFingerprint] = []
        while try select.step() {
            entries.append(EntryFingerprint(
                guidHash: StoredHash.hash(select.int64(0)), linkHash: StoredHash.hash(select.int64(1)),
                titleHash: select.optionalInt64(2), contentHash: select.int64(3)))
        }
        return entries
    }
}

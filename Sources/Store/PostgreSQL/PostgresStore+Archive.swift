// SPDX-License-Identifier: MIT
public import Foundation
import PostgresNIO

/// The cluster's archive: every instance writes the entries of its polls, and `rules test` and `trace`
/// on any machine read them all. Its size is the sum of one row per instance, each instance adding
/// what it wrote and subtracting what it pruned.
extension PostgresStore {
    /// Writes a poll's new entries to the archive and forgets what is past `policy`: rows older than
    /// `keep`, then the oldest while the archive is over its size (500 rows a poll at most each), in
    /// one statement a poll unless the archive is over its size. Rows another instance is pruning are
    /// skipped, so no byte is subtracted twice.
    static func archive(_ entries: [ArchivedEntry], texts: [[UInt8]], feedID: Int64, at now: Double, _ policy: ArchivePolicy,
                        instance: String, _ connection: PostgresConnection) async throws {
        // As one JSON array: absent values stay NULL (postgres-nio's arrays hold no NULLs).
        let rows = zip(entries, texts).map { entry, text in
            ArchiveRow(k: entry.key, i: entry.entryID, u: entry.url, t: entry.title, p: entry.published, a: entry.author,
                       c: entry.storedCategories, s: entry.source, e: entry.sourceError, x: Data(text).base64EncodedString(), r: entry.storedRules)
        }
        let json = String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)
        // The new rows in, those past `keep` out, this instance's share of the size moved by the
        // difference; the size after them returned (the statement's own reads see the table before it).
        var size = 0
        for try await bytes in try await connection.query("""
            WITH added AS (
                INSERT INTO archive (feed_id, seen, entry_key, entry_id, url, title, published, author, categories, source, source_error, text, rules)
                SELECT \(feedID), \(now), v->>'k', v->>'i', v->>'u', v->>'t', v->>'p', v->>'a', v->>'c', v->>'s', v->>'e',
                    decode(v->>'x', 'base64'), v->>'r'
                FROM jsonb_array_elements(\(json)::jsonb) WITH ORDINALITY AS e(v, n)
                ORDER BY n
                RETURNING octet_length(text) AS bytes
            ), pruned AS (
                DELETE FROM archive WHERE id IN (
                    SELECT id FROM archive WHERE seen < \(now - policy.keep) ORDER BY seen LIMIT 500 FOR UPDATE SKIP LOCKED
                ) RETURNING -octet_length(text) AS bytes
            ), change AS (
                SELECT COALESCE(SUM(bytes), 0) AS bytes FROM (SELECT bytes FROM added UNION ALL SELECT bytes FROM pruned) t
            ), moved AS (
                INSERT INTO archive_size (instance, bytes) SELECT \(instance), bytes FROM change WHERE bytes <> 0
                ON CONFLICT (instance) DO UPDATE SET bytes = archive_size.bytes + excluded.bytes
            )
            SELECT ((SELECT COALESCE(SUM(bytes), 0) FROM archive_size) + (SELECT bytes FROM change))::bigint
            """, logger: quiet).decode(Int.self) {
            size = bytes
        }
        let over = size - policy.maximumBytes
        guard over > 0 else { return }
        // The oldest rows whose sizes, added up, first reach what is over.
        try await connection.query("""
            WITH oldest AS (
                SELECT id, seen, octet_length(text) AS bytes FROM archive ORDER BY seen, id LIMIT 500 FOR UPDATE SKIP LOCKED
            ), running AS (
                SELECT id, SUM(bytes) OVER (ORDER BY seen, id) - bytes AS before FROM oldest
            ), gone AS (
                DELETE FROM archive WHERE id IN (SELECT id FROM running WHERE before < \(over)) RETURNING octet_length(text) AS bytes
            )
            INSERT INTO archive_size (instance, bytes) SELECT \(instance), -SUM(bytes) FROM gone HAVING COUNT(*) > 0
            ON CONFLICT (instance) DO UPDATE SET bytes = archive_size.bytes + excluded.bytes
            """, logger: quiet)
    }

    /// An archived entry as one element of the JSON array the insert reads.
    private struct ArchiveRow: Encodable {
        var k: String, i: String?, u: String?, t: String?, p: String?, a: String?, c: String?, s: String, e: String?, x: String, r: String
    }

    public func archiveUsage() async throws(StoreError) -> ArchiveUsage {
        try await run("reading the archive's size") { client in
            var usage = ArchiveUsage(entries: 0, bytes: 0)
            for try await (entries, bytes) in try await client.query("""
                SELECT (SELECT COUNT(*) FROM archive), (SELECT COALESCE(SUM(bytes), 0) FROM archive_size)::bigint
                """).decode((Int, Int).self) {
                usage = ArchiveUsage(entries: entries, bytes: bytes)
            }
            return usage
        }
    }

    public func archiveBatch(since: Date, before: ArchivePosition, size: Int) async throws(StoreError) -> [(position: ArchivePosition, record: ArchiveRecord)] {
        try await archiveRecords("reading the archive", """
            SELECT a.id, \(unescaped: Self.archiveColumns) FROM archive a JOIN feed f ON f.id = a.feed_id
            WHERE a.seen >= \(since.timeIntervalSince1970) AND (a.seen, a.id) < (\(before.seen), \(before.row))
            ORDER BY a.seen DESC, a.id DESC LIMIT \(size)
            """)
    }

    public func archived(matching reference: String) async throws(StoreError) -> [ArchiveRecord] {
        try await archiveRecords("reading the archive", """
            SELECT a.id, \(unescaped: Self.archiveColumns) FROM archive a JOIN feed f ON f.id = a.feed_id
            WHERE a.url = \(reference) OR a.entry_id = \(reference) ORDER BY a.seen, a.id
            """).map(\.record)
    }

    public func archivedLinks(startingWith prefix: String, limit: Int) async throws(StoreError) -> [String] {
        try await run("reading the archive's links") { client in
            var links: [String] = []
            for try await link in try await client.query("""
                SELECT url FROM archive WHERE starts_with(url, \(prefix)) GROUP BY url ORDER BY MAX(seen) DESC LIMIT \(limit)
                """).decode(String.self) {
                links.append(link)
            }
            return links
        }
    }

    /// The columns ``archiveRecords(_:_:)`` reads after the row id, as the SQLite store's.
    private static let archiveColumns = """
        a.seen, a.entry_key, a.entry_id, a.url, a.title, a.published, a.author, a.categories, a.source, a.source_error,
        a.text, a.rules, f.configured_url, f.title
        """

    /// The archive's rows `query` selects (the row id, then ``archiveColumns``), in its order.
    private func archiveRecords(_ what: String, _ query: PostgresQuery) async throws(StoreError) -> [(position: ArchivePosition, record: ArchiveRecord)] {
        try await run(what) { client in
            var records: [(position: ArchivePosition, record: ArchiveRecord)] = []
            for try await row in try await client.query(query) {
                let cells = row.makeRandomAccess()
                func text(_ column: Int) throws -> String? { try cells[column].decode(String?.self) }
                let seen = try cells[1].decode(Double.self)
                let record = ArchiveRecord(
                    seen: seen, key: try cells[2].decode(String.self), entryID: try text(3), url: try text(4), title: try text(5),
                    published: try text(6), author: try text(7), categories: try text(8), source: try cells[9].decode(String.self),
                    sourceError: try text(10), compressedText: try cells[11].decode(Data.self), rules: try cells[12].decode(String.self),
                    feedURL: try cells[13].decode(String.self), feedTitle: try text(14))
                records.append((ArchivePosition(seen: seen, row: try cells[0].decode(Int64.self)), record))
            }
            return records
        }
    }

    public func alertTraces(_ ids: [String]) async throws(StoreError) -> [String: AlertTrace] {
        try await run("reading the alerts") { client in
            var traces: [String: AlertTrace] = [:]
            for try await (id, created, story) in try await client.query("""
                SELECT id, created, story_key FROM alert WHERE id = ANY(\(ids))
                """).decode((String, Double, String?).self) {
                traces[id] = AlertTrace(id: id, created: Date(timeIntervalSince1970: created), story: story, owed: [])
            }
            for try await (id, sink, attempts, error, dead) in try await client.query("""
                SELECT alert_id, sink, attempts, last_error, dead FROM outbox WHERE alert_id = ANY(\(ids)) ORDER BY sink
                """).decode((String, String, Int, String?, Bool).self) {
                traces[id]?.owed.append(AlertTrace.Delivery(sink: sink, attempts: attempts, lastError: error, dead: dead))
            }
            return traces
        }
    }

    public func raisedAlerts(rules: Set<String>?) async throws(StoreError) -> [String: Set<String>] {
        let names = rules.map { Array($0) }
        return try await run("reading the alerts raised") { client in
            var raised: [String: Set<String>] = [:]
            let query: PostgresQuery = names.map { "SELECT id, rule FROM alert WHERE rule = ANY(\($0))" } ?? "SELECT id, rule FROM alert"
            for try await (id, rule) in try await client.query(query).decode((String, String).self) {
                raised[rule, default: []].insert(id)
            }
            return raised
        }
    }
}

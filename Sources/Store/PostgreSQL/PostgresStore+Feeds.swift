// SPDX-License-Identifier: MIT
import Foundation
import PostgresNIO

extension PostgresStore {
    public func register(_ urls: [String]) async throws(StoreError) -> [FeedRecord] {
        var listed = Set<String>()
        let unique = urls.filter { listed.insert($0).inserted }
        let hosts = unique.map(hostKey)
        let byURL = try await run("registering feeds") { client in
            // One statement for any number of feeds: new ones inserted (a known one's host key put right
            // where an earlier release keyed it otherwise), then every one read back.
            try await client.query("""
                INSERT INTO feed (configured_url, url, host) SELECT u, u, h FROM unnest(\(unique)::text[], \(hosts)::text[]) AS t(u, h)
                ON CONFLICT (configured_url) DO UPDATE SET host = excluded.host WHERE feed.host <> excluded.host
                """)
            var byURL: [String: FeedRecord] = [:]
            for try await row in try await client.query("SELECT \(unescaped: Self.feedColumns) FROM feed WHERE configured_url = ANY(\(unique))") {
                let record = try Self.feedRecord(row)
                byURL[record.configuredURL] = record
            }
            return byURL
        }
        return urls.compactMap { byURL[$0] }
    }

    public func feeds() async throws(StoreError) -> [FeedRecord] {
        try await run("reading the feeds") { client in
            var records: [FeedRecord] = []
            for try await row in try await client.query("SELECT \(unescaped: Self.feedColumns) FROM feed ORDER BY id") {
                records.append(try Self.feedRecord(row))
            }
            return records
        }
    }

    /// The records of the feeds on `hosts` (host keys, as leased).
    public func feeds(onHosts hosts: Set<String>) async throws(StoreError) -> [FeedRecord] {
        try await run("reading the leased hosts' feeds") { client in
            var records: [FeedRecord] = []
            for try await row in try await client.query("SELECT \(unescaped: Self.feedColumns) FROM feed WHERE host = ANY(\(Array(hosts)))") {
                records.append(try Self.feedRecord(row))
            }
            return records
        }
    }

    public func remove(configuredURL: String) async throws(StoreError) {
        _ = try await run("removing a feed") { client in
            try await client.query("DELETE FROM feed WHERE configured_url = \(configuredURL)")
        }
    }

    public func unseen(_ candidates: [EntryFingerprint], feedID: Int64, mode: EntryIdentity) async throws(StoreError) -> [Int] {
        var links: [Int64] = [], guids: [Int64] = [], contents: [Int64] = []
        for candidate in candidates {
            switch candidate.lookupKey(under: mode) {
            case .link(let hash): links.append(hash)
            case .guid(let hash): guids.append(hash)
            case .content(let hash): contents.append(hash)
            }
        }
        let known = try await run("reading the entries seen") { [links, guids, contents] client in
            try await Self.seen(feedID: feedID, links: links, guids: guids, contents: contents, client)
        }
        return EntryFingerprint.distinct(candidates, mode: mode) { candidate in
            known.contains { $0.isSameEntry(as: candidate, under: mode) }
        }
    }

    /// The feed's baseline, and its rows that share a key with a candidate (by link, guid or content:
    /// each candidate's ``EntryFingerprint/lookupKey(under:)``, which every match shares).
    private static func seen(feedID: Int64, links: [Int64], guids: [Int64], contents: [Int64], _ client: PostgresClient) async throws -> [EntryFingerprint] {
        var entries: [EntryFingerprint] = []
        // One round trip: the baseline's row (fingerprints), then the matching rows (hashes).
        let rows = try await client.query("""
            SELECT fingerprints, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint FROM baseline WHERE feed_id = \(feedID)
            UNION ALL
            SELECT NULL, guid_hash, link_hash, title_hash, content_hash FROM entry WHERE feed_id = \(feedID)
                AND (link_hash = ANY(\(links)::bigint[]) OR guid_hash = ANY(\(guids)::bigint[]) OR content_hash = ANY(\(contents)::bigint[]))
            """)
        for try await (fingerprints, guid, link, title, content) in rows.decode((Data?, Int64?, Int64?, Int64?, Int64?).self) {
            if let fingerprints {
                let bytes = [UInt8](fingerprints)
                entries += try SeenBaseline.decode(bytes.span.bytes, feedID: feedID)
            } else if let guid, let link, let content {
                entries.append(EntryFingerprint(guidHash: StoredHash.hash(guid), linkHash: StoredHash.hash(link), titleHash: title, contentHash: content))
            }
        }
        return entries
    }

    /// Records a poll in one transaction. Alert ids are the same whichever instance raises them, so a
    /// poll of a host whose lease moved mid-poll cannot alert twice: the second insert finds the id.
    /// Each new alert is announced on the `feedwatch_alerts` channel (its id) when the transaction commits.
    @discardableResult
    public func record(_ poll: PollResult) async throws(StoreError) -> RecordedPoll {
        let poll = poll.archiveCompressed()
        let instance = instance
        return try await transaction("recording a poll of \(poll.configuredURL)") { connection in
            try await Self.apply(poll, instance: instance, connection)
        }
    }

    private static func apply(_ poll: PollResult, instance: String, _ connection: PostgresConnection) async throws -> RecordedPoll {
        let now = poll.now.timeIntervalSince1970
        let feedID = poll.feedID
        let retiredAt: Double? = poll.retired ? now : nil
        if let error = poll.error {
            return RecordedPoll(record: try await updated(feedID, connection, """
                UPDATE feed SET url = \(poll.url), next_due = \(poll.nextDue.timeIntervalSince1970), failures = failures + 1,
                    last_error = \(error), last_error_at = \(now), retired_at = COALESCE(\(retiredAt), retired_at)
                WHERE id = \(feedID) RETURNING \(unescaped: feedColumns)
                """))
        }
        try await recordSeen(poll.seen, feedID: feedID, at: now, connection)
        var placed: [(row: Int64, join: StoryJoin)] = []
        if let policy = poll.storyPolicy {
            placed = try await placeStories(poll.stories, feedID: feedID, at: now, policy, connection)
        }
        if let policy = poll.archivePolicy {
            try await archive(poll.archive, texts: poll.archiveTexts, feedID: feedID, at: now, policy, instance: instance, connection)
        }
        let (alerts, repeats) = try await storyAlerts(poll.alerts, placed, connection)
        let inserted = try await recordAlerts(alerts, at: now, connection)
        let record = try await updated(feedID, connection, """
            UPDATE feed SET url = \(poll.url), title = COALESCE(\(poll.title), title), etag = \(poll.etag),
                last_modified = \(poll.lastModified), next_due = \(poll.nextDue.timeIntervalSince1970), failures = 0,
                last_success = \(now), initialized = TRUE, entry_count = entry_count + \(poll.seen.count),
                alert_count = alert_count + \(inserted)
            WHERE id = \(feedID) RETURNING \(unescaped: feedColumns)
            """)
        return RecordedPoll(record: record, stories: placed.map(\.join), repeats: repeats)
    }

    /// Inserts the alerts new to the store, an outbox row per sink for each, and announces each on
    /// `feedwatch_alerts`: one statement however many. Returns how many were new.
    private static func recordAlerts(_ raised: [(alert: PendingAlert, story: StoryJoin?)], at now: Double, _ connection: PostgresConnection) async throws -> Int {
        guard !raised.isEmpty else { return 0 }
        let alerts = raised.map(\.alert)
        let deliveries = alerts.flatMap { alert in alert.sinks.map { (alert.id, $0) } }
        // No story: an empty key and 0 copies, NULL in the table (postgres-nio's arrays hold no NULLs).
        let rows = try await connection.query("""
            WITH new AS (
                INSERT INTO alert (id, rule, created, json, story_key, story_copies)
                SELECT i, r, \(now), j, NULLIF(k, ''), NULLIF(c, 0)
                FROM unnest(\(alerts.map(\.id))::text[], \(alerts.map(\.rule))::text[], \(alerts.map(\.json))::text[],
                            \(raised.map { $0.story?.key ?? "" })::text[], \(raised.map { $0.story?.copies ?? 0 })::int[]) AS t(i, r, j, k, c)
                ON CONFLICT (id) DO NOTHING RETURNING id
            ), owed AS (
                INSERT INTO outbox (alert_id, sink, created)
                SELECT a, s, \(now) FROM unnest(\(deliveries.map(\.0))::text[], \(deliveries.map(\.1))::text[]) AS d(a, s)
                WHERE a IN (SELECT id FROM new)
            )
            SELECT pg_notify('feedwatch_alerts', id) FROM new
            """, logger: quiet).collect()
        return rows.count
    }

    /// Remembers `seen` as the baseline when the feed has none yet (and they fit in one), else a row each.
    private static func recordSeen(_ seen: [EntryFingerprint], feedID: Int64, at now: Double, _ connection: PostgresConnection) async throws {
        guard !seen.isEmpty else { return }
        if seen.count <= SeenBaseline.maximumEntries {
            let stored = try await connection.query("""
                INSERT INTO baseline (feed_id, fingerprints, seen_at) VALUES (\(feedID), \(Data(SeenBaseline.encode(seen))), \(now))
                ON CONFLICT (feed_id) DO NOTHING RETURNING feed_id
                """, logger: quiet).collect()
            if !stored.isEmpty { return }
        }
        // Absent title hashes travel as the stored placeholder and become NULL again in the INSERT.
        try await connection.query("""
            INSERT INTO entry (feed_id, guid_hash, link_hash, title_hash, content_hash, seen_at)
            SELECT \(feedID), g, l, NULLIF(t, \(StoredHash.absent)), c, \(now)
            FROM unnest(\(seen.map { $0.guidHash ?? StoredHash.absent })::bigint[], \(seen.map { $0.linkHash ?? StoredHash.absent })::bigint[],
                        \(seen.map { $0.titleHash ?? StoredHash.absent })::bigint[], \(seen.map(\.contentHash))::bigint[]) AS t(g, l, t, c)
            ON CONFLICT DO NOTHING
            """, logger: quiet)
    }

    private static func updated(_ id: Int64, _ connection: PostgresConnection, _ update: PostgresQuery) async throws -> FeedRecord {
        for try await row in try await connection.query(update, logger: quiet) { return try feedRecord(row) }
        throw StoreError("feed \(id) vanished from the database")
    }

    static let feedColumns = """
        id, configured_url, url, title, etag, last_modified, next_due, failures, last_error, last_error_at,
        last_success, retired_at, initialized, entry_count, alert_count
        """

    static func feedRecord(_ row: PostgresRow) throws -> FeedRecord {
        let cells = row.makeRandomAccess()
        func date(_ column: Int) throws -> Date? { try cells[column].decode(Double?.self).map(Date.init(timeIntervalSince1970:)) }
        return FeedRecord(
            id: try cells[0].decode(Int64.self), configuredURL: try cells[1].decode(String.self), url: try cells[2].decode(String.self),
            title: try cells[3].decode(String?.self), etag: try cells[4].decode(String?.self), lastModified: try cells[5].decode(String?.self),
            nextDue: try date(6) ?? .distantPast, consecutiveFailures: try cells[7].decode(Int.self),
            lastError: try cells[8].decode(String?.self), lastErrorAt: try date(9), lastSuccess: try date(10), retiredAt: try date(11),
            initialized: try cells[12].decode(Bool.self), entryCount: try cells[13].decode(Int.self), alertCount: try cells[14].decode(Int.self))
    }
}

// SPDX-License-Identifier: MIT
public import Foundation
import PostgresNIO

/// Stories shared by the cluster. The index is a table (`story_band`: a story's 16 band keys), and a
/// poll places its copies holding transaction-scoped advisory locks on their band keys: two instances
/// recording copies of one story at once share a band key (how the index finds a near-duplicate at all),
/// so one waits for the other's commit and joins the story it began, as the SQLite store's one writer
/// decides. Polls of unrelated stories never wait for each other.
extension PostgresStore {
    /// Places each of `copies` in the story it is a near-duplicate of (the most similar one last seen
    /// within the window, sharing a band key with it), or begins a story with it; forgets up to 64
    /// stories past the window. Returns each copy's story row and what it joined, in order.
    static func placeStories(_ copies: [StoryCopy], feedID: Int64, at now: Double, _ policy: StoryPolicy,
                             _ connection: PostgresConnection) async throws -> [(row: Int64, join: StoryJoin)] {
        guard !copies.isEmpty else { return [] }
        let cutoff = now - policy.window
        let keys = Array(Set(copies.flatMap(\.sketch.bandKeys)))
        // In ascending order, so that two polls locking overlapping keys cannot wait for each other.
        // The stories are read by the next statement: one whose snapshot is taken once the locks are held.
        let locks = Set(keys.map { Int32(truncatingIfNeeded: $0 ^ ($0 >> 32)) }).sorted()
        try await connection.query("""
            WITH expired AS (
                DELETE FROM story WHERE id IN (
                    SELECT id FROM story WHERE last_seen < \(cutoff) ORDER BY last_seen LIMIT 64 FOR UPDATE SKIP LOCKED)
                RETURNING id, bands
            ), unfiled AS (
                DELETE FROM story_band b USING expired e WHERE b.band_key = ANY(e.bands) AND b.story = e.id
            )
            SELECT pg_advisory_xact_lock(\(storyLock), k) FROM unnest(\(locks)::int[]) AS t(k)
            """, logger: quiet).collect()
        var stories: [(row: Int64, key: String, sketch: StorySketch, copies: Int)] = []
        for try await (row, key, bytes, count) in try await connection.query("""
            SELECT id, key, sketch, copies FROM story WHERE last_seen >= \(cutoff)
                AND id IN (SELECT story FROM story_band WHERE band_key = ANY(\(keys)::bigint[]))
            ORDER BY id
            """, logger: quiet).decode((Int64, String, Data, Int).self) {
            if let sketch = StorySketch(bytes: bytes) { stories.append((row, key, sketch, count)) }
        }
        var placed: [(row: Int64, join: StoryJoin)] = []
        for copy in copies {
            let bands = Set(copy.sketch.bandKeys)
            var best: (index: Int, similarity: Double)?
            for (index, story) in stories.enumerated() where !bands.isDisjoint(with: story.sketch.bandKeys) {
                let similarity = copy.sketch.similarity(to: story.sketch)
                if similarity >= policy.similarity && similarity > (best?.similarity ?? -1) { best = (index, similarity) }
            }
            // A story another instance's pruning removed since it was read is begun again.
            if let best, let count = try await joined(stories[best.index].row, feedID: feedID, at: now, connection) {
                stories[best.index].copies = count
                let story = stories[best.index]
                placed.append((story.row, StoryJoin(key: story.key, copies: count, similarity: best.similarity)))
            } else {
                let row = try await begin(copy, feedID: feedID, at: now, connection)
                stories.append((row, copy.key, copy.sketch, 1))
                placed.append((row, StoryJoin(key: copy.key, copies: 1, similarity: nil)))
            }
        }
        return placed
    }

    /// Counts one more copy of the story in `row`, seen in the feed `feedID`; its copies now, or nil
    /// where it is gone.
    private static func joined(_ row: Int64, feedID: Int64, at now: Double, _ connection: PostgresConnection) async throws -> Int? {
        for try await copies in try await connection.query("""
            WITH joined AS (
                UPDATE story SET copies = copies + 1, last_seen = \(now) WHERE id = \(row) RETURNING id, copies
            ), feed AS (
                INSERT INTO story_feed (story, feed_id) SELECT id, \(feedID) FROM joined ON CONFLICT DO NOTHING
            )
            SELECT copies FROM joined
            """, logger: quiet).decode(Int.self) {
            return copies
        }
        return nil
    }

    /// Begins a story with `copy`, seen in the feed `feedID`, and files it under its band keys; its row.
    private static func begin(_ copy: StoryCopy, feedID: Int64, at now: Double, _ connection: PostgresConnection) async throws -> Int64 {
        var row: Int64?
        for try await id in try await connection.query("""
            WITH new AS (
                INSERT INTO story (key, sketch, bands, first_seen, last_seen, copies)
                VALUES (\(copy.key), \(Data(copy.sketch.bytes)), \(copy.sketch.bandKeys), \(now), \(now), 1)
                RETURNING id
            ), bands AS (
                INSERT INTO story_band (band_key, story) SELECT DISTINCT b, new.id FROM new, unnest(\(copy.sketch.bandKeys)::bigint[]) AS t(b)
            ), feed AS (
                INSERT INTO story_feed (story, feed_id) SELECT id, \(feedID) FROM new
            )
            SELECT id FROM new
            """, logger: quiet).decode(Int64.self) {
            row = id
        }
        guard let row else { throw StoreError("a story was not stored") }
        return row
    }

    /// The alerts a poll may raise, each with its story: an alert of a story (not `everyCopy`) only when
    /// no alert of its rule was raised for that story before, anywhere in the cluster. Also how many
    /// were held back as repeats.
    static func storyAlerts(_ alerts: [PendingAlert], _ placed: [(row: Int64, join: StoryJoin)],
                            _ connection: PostgresConnection) async throws -> (alerts: [(alert: PendingAlert, story: StoryJoin?)], repeats: Int) {
        var wanted: [(story: Int64, rule: String)] = []
        var asked = Set<String>()
        for alert in alerts {
            guard let index = alert.story, index < placed.count, !alert.everyCopy else { continue }
            if asked.insert("\(placed[index].row)\n\(alert.rule)").inserted { wanted.append((placed[index].row, alert.rule)) }
        }
        var claimed = Set<String>()
        if !wanted.isEmpty {
            for try await (story, rule) in try await connection.query("""
                INSERT INTO story_rule (story, rule) SELECT * FROM unnest(\(wanted.map(\.story))::bigint[], \(wanted.map(\.rule))::text[])
                ON CONFLICT DO NOTHING RETURNING story, rule
                """, logger: quiet).decode((Int64, String).self) {
                claimed.insert("\(story)\n\(rule)")
            }
        }
        var raised: [(alert: PendingAlert, story: StoryJoin?)] = []
        var repeats = 0
        for alert in alerts {
            guard let index = alert.story, index < placed.count else {
                raised.append((alert, nil))
                continue
            }
            // The first alert of a claimed (story, rule) takes the claim; any other is a repeat.
            if !alert.everyCopy && claimed.remove("\(placed[index].row)\n\(alert.rule)") == nil {
                repeats += 1
                continue
            }
            raised.append((alert, placed[index].join))
        }
        return (raised, repeats)
    }

    public func stories(_ keys: [String]) async throws(StoreError) -> [String: StoryStanding] {
        guard !keys.isEmpty else { return [:] }
        return try await run("reading stories") { client in
            var standing: [String: StoryStanding] = [:]
            for try await (key, copies, feeds) in try await client.query("""
                SELECT s.key, s.copies, (SELECT COUNT(*) FROM story_feed f WHERE f.story = s.id) FROM story s WHERE s.key = ANY(\(keys))
                """).decode((String, Int, Int).self) where copies > standing[key]?.copies ?? 0 {
                standing[key] = StoryStanding(copies: copies, feeds: feeds)
            }
            return standing
        }
    }

    public func storyCounts() async throws(StoreError) -> (stories: Int, merged: Int) {
        try await run("counting stories") { client in
            var counts = (stories: 0, merged: 0)
            for try await (stories, merged) in try await client.query("""
                SELECT COUNT(*), COALESCE(SUM(copies - 1), 0)::bigint FROM story
                """).decode((Int, Int).self) {
                counts = (stories, merged)
            }
            return counts
        }
    }

    /// The class of the advisory locks on band keys (the second key is the band key folded to 32 bits;
    /// two keys folding alike only make two polls wait for each other).
    static let storyLock: Int32 = 0x7374_6f72
}

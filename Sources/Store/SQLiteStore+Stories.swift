// SPDX-License-Identifier: MIT
public import Foundation
import GRDB

extension SQLiteStore {
    /// The story `sketch` is a near-duplicate of: of those sharing a band key with it (the index) and
    /// last seen within the window, the most similar at or above the policy's similarity.
    static func nearest(_ sketch: StorySketch, keys: [Int64], at now: Double, _ policy: StoryPolicy, _ index: StoryIndex, _ db: Database) throws
        -> (row: Int64, key: String, copies: Int, similarity: Double)?
    {
        try index.load(db)
        var best: (row: Int64, key: String, copies: Int, similarity: Double)?
        for row in index.candidates(keys) {
            var select = try RawStatement(db, sql: "SELECT key, sketch, copies FROM story WHERE id = ? AND last_seen >= ?")
            defer { select.finish() }
            select.bind(row)
            select.bind(now - policy.window)
            guard try select.step(), let candidate = select.withBlob(1, { span in span.withUnsafeBytes { StorySketch(bytes: $0) } })
            else { continue }
            let similarity = sketch.similarity(to: candidate)
            if similarity >= policy.similarity && similarity > (best?.similarity ?? -1) {
                best = (row, select.string(0) ?? "", select.int(2), similarity)
            }
        }
        return best
    }

    /// The story each text with one of `sketches` would join at `now`, read in one transaction without
    /// changing anything (what a poll would decide): its id, copies so far and the similarity; `nil`
    /// where the text would begin a story. On the writer's connection, which the index follows.
    public func stories(similarTo sketches: [StorySketch], at now: Date, _ policy: StoryPolicy) async throws(StoreError) -> [StoryJoin?] {
        let index = storyIndex
        return try await read(onWriter: true) { db in
            try sketches.map { sketch in
                try Self.nearest(sketch, keys: sketch.bandKeys, at: now.timeIntervalSince1970, policy, index, db)
                    .map { StoryJoin(key: $0.key, copies: $0.copies, similarity: $0.similarity) }
            }
        }
    }

    /// Puts `copy` in the story it is a near-duplicate of (the most similar one last seen within the
    /// window), or begins a story with it. Runs inside the poll's transaction: the store's one writer
    /// decides, so two copies recorded at once cannot both begin the story.
    static func place(_ copy: StoryCopy, feedID: Int64, at now: Double, _ policy: StoryPolicy, _ index: StoryIndex, _ db: Database) throws -> (row: Int64, join: StoryJoin) {
        let keys = copy.sketch.bandKeys
        if let best = try nearest(copy.sketch, keys: keys, at: now, policy, index, db) {
            var update = try RawStatement(db, sql: "UPDATE story SET copies = copies + 1, last_seen = ? WHERE id = ?")
            update.bind(now)
            update.bind(best.row)
            try update.execute()
            try addFeed(feedID, to: best.row, db)
            return (best.row, StoryJoin(key: best.key, copies: best.copies + 1, similarity: best.similarity))
        }
        var insert = try RawStatement(db, sql: "INSERT INTO story (key, sketch, first_seen, last_seen, copies) VALUES (?, ?, ?, ?, 1)")
        insert.bind(copy.key)
        insert.bind(copy.sketch.bytes)
        insert.bind(now)
        insert.bind(now)
        try insert.execute()
        let row = db.lastInsertedRowID
        try index.add(row, keys: keys, db)
        try addFeed(feedID, to: row, db)
        return (row, StoryJoin(key: copy.key, copies: 1, similarity: nil))
    }

    private static func addFeed(_ feedID: Int64, to story: Int64, _ db: Database) throws {
        var insert = try RawStatement(db, sql: "INSERT INTO story_feed (story, feed_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
        insert.bind(story)
        insert.bind(feedID)
        try insert.execute()
    }

    /// Whether `rule` may alert for the story in `row`: true the first time it asks, false after.
    static func claim(_ rule: String, story row: Int64, _ db: Database) throws -> Bool {
        var insert = try RawStatement(db, sql: "INSERT INTO story_rule (story, rule) VALUES (?, ?) ON CONFLICT DO NOTHING")
        insert.bind(row)
        insert.bind(rule)
        try insert.execute()
        return db.changesCount > 0
    }

    /// Forgets up to `limit` stories last seen before the window: a few per transaction, so the story
    /// tables stay the window's size without a long delete.
    static func pruneStories(before cutoff: Double, limit: Int = 64, _ index: StoryIndex, _ db: Database) throws {
        var select = try RawStatement(db, sql: "SELECT id, sketch FROM story WHERE last_seen < ? ORDER BY last_seen LIMIT ?")
        select.bind(cutoff)
        select.bind(limit)
        var expired: [(row: Int64, keys: [Int64])] = []
        while try select.step() {
            let keys = select.withBlob(1) { span in span.withUnsafeBytes { StorySketch(bytes: $0)?.bandKeys ?? [] } }
            expired.append((select.int64(0), keys))
        }
        select.finish()
        for story in expired {
            index.remove(story.row, keys: story.keys)
            for table in ["story_feed", "story_rule"] {
                try db.run("DELETE FROM \(table) WHERE story = ?", arguments: [story.row])
            }
            try db.run("DELETE FROM story WHERE id = ?", arguments: [story.row])
        }
    }

    /// The stories whose ids are `keys`, as they stand now (copies and feeds so far); unknown ids are absent.
    public func stories(_ keys: [String]) async throws(StoreError) -> [String: StoryStanding] {
        guard !keys.isEmpty else { return [:] }
        return try await read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT s.key, s.copies, (SELECT COUNT(*) FROM story_feed f WHERE f.story = s.id) FROM story s
                WHERE s.key IN (\(keys.map { _ in "?" }.joined(separator: ",")))
                """, arguments: StatementArguments(keys))
            var standing: [String: StoryStanding] = [:]
            for row in rows {
                let key: String = row[0]
                let story = StoryStanding(copies: row[1], feeds: row[2])
                if story.copies > standing[key]?.copies ?? 0 { standing[key] = story }
            }
            return standing
        }
    }

    /// Stories in the window and the copies merged into them (entries that joined a story instead of
    /// beginning one).
    public func storyCounts() async throws(StoreError) -> (stories: Int, merged: Int) {
        try await read { db in
            let row = try Row.fetchOne(db, sql: "SELECT COUNT(*), IFNULL(SUM(copies - 1), 0) FROM story")
            return (row?[0] ?? 0, row?[1] ?? 0)
        }
    }
}

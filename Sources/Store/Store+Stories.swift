// SPDX-License-Identifier: MIT
public import Foundation
import GRDB

/// How entries are grouped into stories; `nil` where stories are off.
public struct StoryPolicy: Sendable, Equatable {
    /// How long a story stays joinable after its last copy.
    public var window: TimeInterval
    /// The estimated shingle overlap (Jaccard) at or above which a new entry is a copy.
    public var similarity: Double

    public init(window: TimeInterval, similarity: Double) {
        self.window = window
        self.similarity = similarity
    }
}

/// A new entry's text, placed in a story when its poll is recorded.
public struct StoryCopy: Sendable {
    /// The id the story takes if this entry begins it: 16 hex digits.
    public var key: String
    public var sketch: StorySketch

    public init(key: String, sketch: StorySketch) {
        self.key = key
        self.sketch = sketch
    }
}

/// The story a copy joined or began.
public struct StoryJoin: Sendable, Equatable {
    public var key: String
    /// Copies seen so far, this one included.
    public var copies: Int
    /// The similarity to the story it joined; `nil` when it began one.
    public var similarity: Double?
}

/// What a story looks like now.
public struct StoryStanding: Sendable, Equatable {
    public var copies: Int
    public var feeds: Int
}

extension Store {
    /// Puts `copy` in the story it is a near-duplicate of (the most similar one last seen within the
    /// window), or begins a story with it. Runs inside the poll's transaction: the store's one writer
    /// decides, so two copies recorded at once cannot both begin the story.
    static func place(_ copy: StoryCopy, feedID: Int64, at now: Double, _ policy: StoryPolicy, _ db: Database) throws -> (row: Int64, join: StoryJoin) {
        let keys = copy.sketch.bandKeys
        let candidates = try Row.fetchAll(db, sql: """
            SELECT s.id, s.key, s.sketch, s.copies FROM story s
            WHERE s.id IN (SELECT story FROM story_band WHERE band_key IN (\(keys.map { _ in "?" }.joined(separator: ","))))
              AND s.last_seen >= ?
            """, arguments: StatementArguments(keys) + [now - policy.window])
        var best: (row: Int64, key: String, copies: Int, similarity: Double)?
        for candidate in candidates {
            guard let sketch = StorySketch(bytes: candidate[2]) else { continue }
            let similarity = copy.sketch.similarity(to: sketch)
            if similarity >= policy.similarity && similarity > (best?.similarity ?? -1) {
                best = (candidate[0], candidate[1], candidate[3], similarity)
            }
        }
        if let best {
            try db.execute(sql: "UPDATE story SET copies = copies + 1, last_seen = ? WHERE id = ?", arguments: [now, best.row])
            try db.execute(sql: "INSERT INTO story_feed (story, feed_id) VALUES (?, ?) ON CONFLICT DO NOTHING", arguments: [best.row, feedID])
            return (best.row, StoryJoin(key: best.key, copies: best.copies + 1, similarity: best.similarity))
        }
        try db.execute(sql: "INSERT INTO story (key, sketch, first_seen, last_seen, copies) VALUES (?, ?, ?, ?, 1)",
                       arguments: [copy.key, copy.sketch.bytes, now, now])
        let row = db.lastInsertedRowID
        for key in keys {
            try db.execute(sql: "INSERT INTO story_band (band_key, story) VALUES (?, ?) ON CONFLICT DO NOTHING", arguments: [key, row])
        }
        try db.execute(sql: "INSERT INTO story_feed (story, feed_id) VALUES (?, ?)", arguments: [row, feedID])
        return (row, StoryJoin(key: copy.key, copies: 1, similarity: nil))
    }

    /// Whether `rule` may alert for the story in `row`: true the first time it asks, false after.
    static func claim(_ rule: String, story row: Int64, _ db: Database) throws -> Bool {
        try db.execute(sql: "INSERT INTO story_rule (story, rule) VALUES (?, ?) ON CONFLICT DO NOTHING", arguments: [row, rule])
        return db.changesCount > 0
    }

    /// Forgets up to `limit` stories last seen before the window: a few per transaction, so the story
    /// tables stay the window's size without a long delete.
    static func pruneStories(before cutoff: Double, limit: Int = 64, _ db: Database) throws {
        let expired = try Row.fetchAll(db, sql: "SELECT id, sketch FROM story WHERE last_seen < ? ORDER BY last_seen LIMIT ?",
                                       arguments: [cutoff, limit])
        for story in expired {
            let row: Int64 = story[0]
            for key in StorySketch(bytes: story[1])?.bandKeys ?? [] {
                try db.execute(sql: "DELETE FROM story_band WHERE band_key = ? AND story = ?", arguments: [key, row])
            }
            try db.execute(sql: "DELETE FROM story_feed WHERE story = ?", arguments: [row])
            try db.execute(sql: "DELETE FROM story_rule WHERE story = ?", arguments: [row])
            try db.execute(sql: "DELETE FROM story WHERE id = ?", arguments: [row])
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

// SPDX-License-Identifier: MIT
public import Foundation
import GRDB

extension SQLiteStore {
    /// Alerts `sink` still owes, oldest first, that are due for an attempt at `now`. Read on the writer's
    /// connection: the dispatcher asks right after polls wrote, and `once` would otherwise open a reader
    /// connection for this one query (~2 ms at the end of its cycle).
    public func outbox(sink: String, limit: Int, now: Date) async throws(StoreError) -> [OutboxItem] {
        try await read(onWriter: true) { db in
            try Row.fetchAll(db, sql: """
                SELECT o.alert_id, a.json, o.attempts, a.story_key, a.story_copies FROM outbox o JOIN alert a ON a.id = o.alert_id
                WHERE o.sink = ? AND o.dead = 0 AND o.next_attempt <= ? ORDER BY a.created, a.rowid LIMIT ?
                """, arguments: [sink, now.timeIntervalSince1970, limit]
            ).map { row in
                let story = (row[3] as String?).map { StoryJoin(key: $0, copies: row[4] ?? 1) }
                return OutboxItem(alertID: row[0], json: row[1], attempts: row[2], story: story)
            }
        }
    }

    /// When `sink`'s earliest alert not yet delivered is due for an attempt (nil: it owes none).
    public func nextAttempt(sink: String) async throws(StoreError) -> Date? {
        try await read(onWriter: true) { db in
            try Double.fetchOne(db, sql: "SELECT MIN(next_attempt) FROM outbox WHERE sink = ? AND dead = 0", arguments: [sink])
                .map(Date.init(timeIntervalSince1970:))
        }
    }

    /// `sink` delivered these alerts.
    public func delivered(_ alertIDs: [String], sink: String) async throws(StoreError) {
        guard !alertIDs.isEmpty else { return }
        try await write { db in
            for id in alertIDs {
                try db.execute(sql: "DELETE FROM outbox WHERE alert_id = ? AND sink = ?", arguments: [id, sink])
            }
        }
    }

    /// `sink` failed to deliver an alert: try again at `retryAt`, or give up (`retryAt == nil`: a dead letter).
    public func failed(_ alertID: String, sink: String, error: String, retryAt: Date?) async throws(StoreError) {
        try await write { db in
            try db.execute(sql: """
                UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt = ?, dead = ?
                WHERE alert_id = ? AND sink = ?
                """, arguments: [error, retryAt?.timeIntervalSince1970 ?? 0, retryAt == nil, alertID, sink])
        }
    }

    /// Offers the dead letters of `sinks` to their sink again, as if new: attempts counted afresh, due
    /// at once. Returns how many each sink got back. Touches ``outboxSignalPath``, so that a daemon
    /// running on this store delivers them at once.
    public func requeueDeadLetters(sinks: [String]) async throws(StoreError) -> [String: Int] {
        defer { _ = FileManager.default.createFile(atPath: signalPath, contents: nil) }
        return try await write { db in
            var requeued: [String: Int] = [:]
            for sink in sinks {
                try db.execute(sql: """
                    UPDATE outbox SET dead = 0, attempts = 0, next_attempt = 0 WHERE dead = 1 AND sink = ?
                    """, arguments: [sink])
                if db.changesCount > 0 { requeued[sink] = db.changesCount }
            }
            return requeued
        }
    }

    /// Alerts waiting per sink, and dead letters per sink.
    public func outboxDepth() async throws(StoreError) -> (pending: [String: Int], dead: [String: Int]) {
        try await read { db in
            var pending: [String: Int] = [:]
            var dead: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT sink, dead, COUNT(*) FROM outbox GROUP BY sink, dead") {
                if (row[1] as Bool) { dead[row[0]] = row[2] } else { pending[row[0]] = row[2] }
            }
            return (pending, dead)
        }
    }

    /// The newest dead letter's error per sink, to say in `status` why a sink gave up.
    public func deadLetterErrors() async throws(StoreError) -> [String: String] {
        try await read { db in
            var errors: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT o.sink, o.last_error FROM outbox o JOIN alert a ON a.id = o.alert_id
                WHERE o.dead = 1 ORDER BY a.created
                """) {
                errors[row[0]] = row[1]
            }
            return errors
        }
    }
}

extension SQLiteStore {
    /// Alerts ever raised, per rule.
    public func alertCounts() async throws(StoreError) -> [String: Int] {
        try await read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT rule, COUNT(*) FROM alert GROUP BY rule") { counts[row[0]] = row[1] }
            return counts
        }
    }
}

// SPDX-License-Identifier: MIT
public import Foundation
import PostgresNIO

/// The cluster's outbox. A row is handed out to one instance at a time: ``outbox(sink:limit:now:)``
/// claims what it returns (`FOR UPDATE SKIP LOCKED`: instances asking together never wait for or get
/// each other's rows) for the claim lease, renewed whenever the instance asks again. A
/// killed instance that restarts within the lease finds its own claims and finishes them (its file
/// sink's id check keeps a line written just before the kill from being written twice); once the
/// lease has run out another instance may take them, and for those few alerts at-least-once is the
/// promise.
extension PostgresStore {
    public func outbox(sink: String, limit: Int, now: Date) async throws(StoreError) -> [OutboxItem] {
        let instance = instance
        let claimLease = claimLease
        let items = try await run("claiming alerts for \(sink)") { client in
            let rows = try await client.query("""
                WITH due AS (
                    SELECT alert_id FROM outbox
                    WHERE sink = \(sink) AND NOT dead AND next_attempt <= \(now.timeIntervalSince1970)
                        AND (claimed_by IS NULL OR claimed_by = \(instance) OR claimed_until < \(unescaped: Self.databaseNow))
                    ORDER BY created, alert_id LIMIT \(limit) FOR UPDATE SKIP LOCKED
                )
                UPDATE outbox o SET claimed_by = \(instance), claimed_until = \(unescaped: Self.databaseNow) + \(claimLease)
                FROM due, alert a WHERE o.sink = \(sink) AND o.alert_id = due.alert_id AND a.id = o.alert_id
                RETURNING o.alert_id, a.json, o.attempts, a.story_key, a.story_copies, o.created
                """)
            var items: [(created: Double, item: OutboxItem)] = []
            for try await (id, json, attempts, storyKey, storyCopies, created) in rows.decode((String, String, Int, String?, Int?, Double).self) {
                items.append((created, OutboxItem(alertID: id, json: json, attempts: attempts, story: Self.story(key: storyKey, copies: storyCopies))))
            }
            return items
        }
        // RETURNING keeps no order: oldest first again.
        return items.sorted { ($0.created, $0.item.alertID) < ($1.created, $1.item.alertID) }.map(\.item)
    }

    /// The database's clock in seconds since 1970: one clock for every instance's leases and claims.
    static let databaseNow = "extract(epoch from clock_timestamp())"

    /// When `sink`'s earliest alert not claimed by another instance is due. Claims of other instances
    /// come due when their lease runs out; the daemon also looks again every few seconds for them.
    public func nextAttempt(sink: String) async throws(StoreError) -> Date? {
        let instance = instance
        return try await run("reading the outbox") { client in
            var next: Double?
            for try await value in try await client.query("""
                SELECT MIN(next_attempt) FROM outbox WHERE sink = \(sink) AND NOT dead
                    AND (claimed_by IS NULL OR claimed_by = \(instance) OR claimed_until < \(unescaped: Self.databaseNow))
                """).decode(Double?.self) {
                next = value
            }
            return next.map(Date.init(timeIntervalSince1970:))
        }
    }

    public func delivered(_ alertIDs: [String], sink: String) async throws(StoreError) {
        guard !alertIDs.isEmpty else { return }
        _ = try await run("marking alerts delivered") { client in
            try await client.query("DELETE FROM outbox WHERE sink = \(sink) AND alert_id = ANY(\(alertIDs)::text[])")
        }
    }

    /// A failed attempt gives the claim up: whichever instance is free tries it when it is due again.
    public func failed(_ alertID: String, sink: String, error: String, retryAt: Date?) async throws(StoreError) {
        _ = try await run("recording a failed delivery") { client in
            try await client.query("""
                UPDATE outbox SET attempts = attempts + 1, last_error = \(error), next_attempt = \(retryAt?.timeIntervalSince1970 ?? 0),
                    dead = \(retryAt == nil), claimed_by = NULL, claimed_until = NULL
                WHERE alert_id = \(alertID) AND sink = \(sink)
                """)
        }
    }

    public func requeueDeadLetters(sinks: [String]) async throws(StoreError) -> [String: Int] {
        try await run("putting dead letters back") { client in
            var requeued: [String: Int] = [:]
            let rows = try await client.query("""
                UPDATE outbox SET dead = FALSE, attempts = 0, next_attempt = 0, claimed_by = NULL, claimed_until = NULL
                WHERE dead AND sink = ANY(\(sinks)::text[]) RETURNING sink
                """)
            for try await sink in rows.decode(String.self) { requeued[sink, default: 0] += 1 }
            return requeued
        }
    }

    public func outboxDepth() async throws(StoreError) -> (pending: [String: Int], dead: [String: Int]) {
        try await run("reading the outbox") { client in
            var pending: [String: Int] = [:]
            var dead: [String: Int] = [:]
            for try await (sink, isDead, count) in try await client.query("SELECT sink, dead, COUNT(*) FROM outbox GROUP BY sink, dead")
                .decode((String, Bool, Int).self) {
                if isDead { dead[sink] = count } else { pending[sink] = count }
            }
            return (pending, dead)
        }
    }

    public func deadLetterErrors() async throws(StoreError) -> [String: String] {
        try await run("reading the dead letters") { client in
            var errors: [String: String] = [:]
            for try await (sink, error) in try await client.query("""
                SELECT sink, last_error FROM outbox WHERE dead ORDER BY created
                """).decode((String, String?).self) {
                errors[sink] = error
            }
            return errors
        }
    }

    public func alertCounts() async throws(StoreError) -> [String: Int] {
        try await run("counting alerts") { client in
            var counts: [String: Int] = [:]
            for try await (rule, count) in try await client.query("SELECT rule, COUNT(*) FROM alert GROUP BY rule").decode((String, Int).self) {
                counts[rule] = count
            }
            return counts
        }
    }
}

// SPDX-License-Identifier: MIT
public import Foundation
import GRDB

extension SQLiteStore {
    /// Archived entries whose link or id is `reference`, oldest first.
    public func archived(matching reference: String) async throws(StoreError) -> [ArchiveRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.archiveColumns) FROM archive a JOIN feed f ON f.id = a.feed_id
                WHERE a.url = ? OR a.entry_id = ? ORDER BY a.seen, a.id
                """, arguments: [reference, reference]).map { Self.archiveRecord($0) }
        }
    }

    /// Links in the archive that start with `prefix` (a site's address), newest first.
    public func archivedLinks(startingWith prefix: String, limit: Int) async throws(StoreError) -> [String] {
        try await read { db in
            try String.fetchAll(db, sql: """
                SELECT DISTINCT url FROM archive WHERE substr(url, 1, ?) = ? ORDER BY seen DESC LIMIT ?
                """, arguments: [prefix.count, prefix, limit])
        }
    }

    /// The alerts among `ids` the store has raised, and who still owes them.
    public func alertTraces(_ ids: [String]) async throws(StoreError) -> [String: AlertTrace] {
        try await read { db in
            var traces: [String: AlertTrace] = [:]
            for id in ids {
                guard let row = try Row.fetchOne(db, sql: "SELECT created, story_key FROM alert WHERE id = ?", arguments: [id]) else { continue }
                let owed = try Row.fetchAll(db, sql: "SELECT sink, attempts, last_error, dead FROM outbox WHERE alert_id = ? ORDER BY sink",
                                            arguments: [id]).map { AlertTrace.Delivery(sink: $0[0], attempts: $0[1], lastError: $0[2], dead: $0[3]) }
                traces[id] = AlertTrace(id: id, created: Date(timeIntervalSince1970: row[0]), story: row[1], owed: owed)
            }
            return traces
        }
    }
}

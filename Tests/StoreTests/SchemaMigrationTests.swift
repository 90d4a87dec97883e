// SPDX-License-Identifier: MIT
import Foundation
import GRDB
@testable import Store
import Testing

/// A state database written by an older Feedwatch opens under the current schema with nothing lost.
@Suite struct SchemaMigrationTests {
    let directory = NSTemporaryDirectory() + "feedwatch-migration-\(UUID().uuidString)"

    /// Entries seen under schema v1 (guid and link kept as text) are still seen after the move to hashed keys.
    @Test func entriesSeenUnderV1AreStillSeen() async throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let old = [
            EntryFingerprint(guid: "urn:story:1", link: "https://example.org/1", title: "One", content: "Body one"),
            EntryFingerprint(guid: nil, link: "https://example.org/2", title: "Two", content: "Body two"),
            EntryFingerprint(guid: nil, link: nil, title: "Three", content: "Body three"),
        ]
        let v1 = try DatabaseQueue(path: (directory as NSString).appendingPathComponent(SQLiteStore.fileName))
        try SQLiteStore.migrator.migrate(v1, upTo: "v1")
        try await v1.write { db in
            try db.execute(sql: "INSERT INTO feed (id, configured_url, url, initialized) VALUES (7, 'https://example.org/feed', 'https://example.org/feed', 1)")
            for entry in old {
                try db.execute(
                    sql: "INSERT INTO entry (feed_id, guid, link, title_hash, content_hash, seen_at) VALUES (7, ?, ?, ?, ?, 0)",
                    arguments: [entry.guid, entry.link, entry.titleHash, entry.contentHash])
            }
        }
        try v1.close()

        let store = try SQLiteStore(directory: directory)
        let fresh = EntryFingerprint(guid: "urn:story:4", link: "https://example.org/4", title: "Four", content: "Body four")
        let reusedGuid = EntryFingerprint(guid: "urn:story:1", link: "https://example.org/5", title: "Five", content: "Body five")
        for mode in EntryIdentity.allCases {
            #expect(try await store.unseen(old + [fresh], feedID: 7, mode: mode) == [3], "under \(mode)")
        }
        #expect(try await store.unseen([reusedGuid], feedID: 7, mode: .auto) == [0], "a reused guid with another link is still a new story")
        let migrated = try await store.pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM entry") ?? 0,
             try db.columns(in: "entry").map(\.name))
        }
        #expect(migrated.0 == 3)
        #expect(migrated.1 == ["feed_id", "guid_hash", "link_hash", "title_hash", "content_hash", "seen_at"])
    }

    /// Entries seen under schema v2 (hashes, absent ones NULL, one row per entry with three indexes) are
    /// still seen in the v3 table kept in feed and link order; rows that the move makes identical
    /// become one.
    @Test func entriesSeenUnderV2AreStillSeen() async throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let old = [
            EntryFingerprint(guid: "urn:story:1", link: "https://example.org/1", title: "One", content: "Body one"),
            EntryFingerprint(guid: nil, link: "https://example.org/2", title: "Two", content: "Body two"),
            EntryFingerprint(guid: "urn:story:3", link: nil, title: nil, content: "Body three"),
            EntryFingerprint(guid: nil, link: nil, title: "Four", content: "Body four"),
        ]
        let v2 = try DatabaseQueue(path: (directory as NSString).appendingPathComponent(SQLiteStore.fileName))
        try SQLiteStore.migrator.migrate(v2, upTo: "v2-hashed-entry-keys")
        try await v2.write { db in
            try db.execute(sql: "INSERT INTO feed (id, configured_url, url, initialized) VALUES (7, 'https://example.org/feed', 'https://example.org/feed', 1)")
            for (index, entry) in (old + [old[3]]).enumerated() {
                try db.execute(
                    sql: "INSERT INTO entry (feed_id, guid_hash, link_hash, title_hash, content_hash, seen_at) VALUES (7, ?, ?, ?, ?, ?)",
                    arguments: [entry.guidHash, entry.linkHash, entry.titleHash, entry.contentHash, index])
            }
        }
        try v2.close()

        let store = try SQLiteStore(directory: directory)
        let fresh = EntryFingerprint(guid: "urn:story:5", link: "https://example.org/5", title: "Five", content: "Body five")
        for mode in EntryIdentity.allCases {
            #expect(try await store.unseen(old + [fresh], feedID: 7, mode: mode) == [4], "under \(mode)")
        }
        let migrated = try await store.pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM entry") ?? 0,
             try Double.fetchAll(db, sql: "SELECT seen_at FROM entry ORDER BY seen_at"),
             try db.columns(in: "entry").map(\.name),
             try db.primaryKey("entry").columns,
             try db.indexes(on: "entry").map(\.name).filter { !$0.hasPrefix("sqlite_autoindex") },
             try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'entry'") ?? "")
        }
        #expect(migrated.0 == 4)
        #expect(migrated.1 == [0, 1, 2, 3], "the first sighting of the repeated row is kept")
        #expect(migrated.2 == ["feed_id", "guid_hash", "link_hash", "title_hash", "content_hash", "seen_at"])
        #expect(migrated.3 == ["feed_id", "link_hash", "guid_hash", "content_hash"])
        #expect(migrated.4 == ["entry_guid"])
        #expect(migrated.5.hasSuffix("WITHOUT ROWID"))
    }
}

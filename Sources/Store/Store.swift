// SPDX-License-Identifier: MIT
import Foundation
import GRDB

/// Feedwatch's state in one SQLite database (WAL mode): feeds and their schedule and health, the
/// entries seen per feed, and the outbox of alerts not yet delivered. GRDB's pool serialises writes,
/// so the store is a plain value shared by every task.
public struct Store: Sendable {
    /// The database file inside the state directory.
    public static let fileName = "feedwatch.sqlite"

    let pool: DatabasePool
    let commits = GroupCommit()

    /// Opens (creating where needed) the store in `directory`, migrating it to the current schema.
    public init(directory: String) throws(StoreError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError("cannot create the state directory \(directory): \((error as NSError).localizedDescription)")
        }
        let path = (directory as NSString).appendingPathComponent(Self.fileName)
        var configuration = GRDB.Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw StoreError("cannot open the state database \(path): \(error)")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE feed (
                    id INTEGER PRIMARY KEY,
                    configured_url TEXT NOT NULL UNIQUE,
                    url TEXT NOT NULL,
                    title TEXT,
                    etag TEXT,
                    last_modified TEXT,
                    next_due REAL NOT NULL DEFAULT 0,
                    failures INTEGER NOT NULL DEFAULT 0,
                    last_error TEXT,
                    last_error_at REAL,
                    last_success REAL,
                    retired_at REAL,
                    initialized INTEGER NOT NULL DEFAULT 0,
                    entry_count INTEGER NOT NULL DEFAULT 0,
                    alert_count INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE entry (
                    feed_id INTEGER NOT NULL REFERENCES feed(id) ON DELETE CASCADE,
                    guid TEXT,
                    link TEXT,
                    title_hash INTEGER,
                    content_hash INTEGER NOT NULL,
                    seen_at REAL NOT NULL
                );
                CREATE INDEX entry_guid ON entry(feed_id, guid);
                CREATE INDEX entry_link ON entry(feed_id, link);
                CREATE INDEX entry_content ON entry(feed_id, content_hash);
                CREATE TABLE alert (
                    id TEXT PRIMARY KEY,
                    rule TEXT NOT NULL,
                    created REAL NOT NULL,
                    json TEXT NOT NULL
                );
                CREATE TABLE outbox (
                    alert_id TEXT NOT NULL REFERENCES alert(id) ON DELETE CASCADE,
                    sink TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt REAL NOT NULL DEFAULT 0,
                    last_error TEXT,
                    dead INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (alert_id, sink)
                );
                """)
        }
        return migrator
    }

    func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do { return try await pool.read(body) } catch { throw StoreError("reading the state database failed: \(error)") }
    }

    func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do { return try await pool.write(body) } catch { throw StoreError("writing the state database failed: \(error)") }
    }
}

/// A failure of the state database, in words.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

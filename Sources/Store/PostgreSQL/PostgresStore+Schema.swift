// SPDX-License-Identifier: MIT
import Foundation
import PostgresNIO

extension PostgresStore {
    /// The schema's versions, applied in order; a released one never changes. Times are seconds since
    /// 1970 (as in the SQLite store); leases and heartbeats use the database's clock, one for the whole
    /// cluster.
    static let migrations: [String] = [
        """
        CREATE TABLE feed (
            id BIGSERIAL PRIMARY KEY,
            configured_url TEXT NOT NULL UNIQUE,
            host TEXT NOT NULL,
            url TEXT NOT NULL,
            title TEXT,
            etag TEXT,
            last_modified TEXT,
            next_due DOUBLE PRECISION NOT NULL DEFAULT 0,
            failures INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            last_error_at DOUBLE PRECISION,
            last_success DOUBLE PRECISION,
            retired_at DOUBLE PRECISION,
            initialized BOOLEAN NOT NULL DEFAULT FALSE,
            entry_count BIGINT NOT NULL DEFAULT 0,
            alert_count BIGINT NOT NULL DEFAULT 0
        );
        CREATE TABLE entry (
            feed_id BIGINT NOT NULL REFERENCES feed(id) ON DELETE CASCADE,
            guid_hash BIGINT NOT NULL,
            link_hash BIGINT NOT NULL,
            title_hash BIGINT,
            content_hash BIGINT NOT NULL,
            seen_at DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (feed_id, link_hash, guid_hash, content_hash)
        );
        CREATE INDEX entry_guid ON entry(feed_id, guid_hash);
        CREATE TABLE baseline (
            feed_id BIGINT PRIMARY KEY REFERENCES feed(id) ON DELETE CASCADE,
            fingerprints BYTEA NOT NULL,
            seen_at DOUBLE PRECISION NOT NULL
        );
        CREATE TABLE alert (
            id TEXT PRIMARY KEY,
            rule TEXT NOT NULL,
            created DOUBLE PRECISION NOT NULL,
            json TEXT NOT NULL,
            story_key TEXT,
            story_copies INTEGER
        );
        CREATE TABLE outbox (
            alert_id TEXT NOT NULL REFERENCES alert(id) ON DELETE CASCADE,
            sink TEXT NOT NULL,
            created DOUBLE PRECISION NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt DOUBLE PRECISION NOT NULL DEFAULT 0,
            last_error TEXT,
            dead BOOLEAN NOT NULL DEFAULT FALSE,
            claimed_by TEXT,
            claimed_until DOUBLE PRECISION,
            PRIMARY KEY (alert_id, sink)
        );
        CREATE INDEX outbox_due ON outbox(sink, dead, next_attempt);
        CREATE TABLE instance (
            id TEXT PRIMARY KEY,
            hostname TEXT NOT NULL,
            pid INTEGER NOT NULL,
            started DOUBLE PRECISION NOT NULL,
            heartbeat DOUBLE PRECISION NOT NULL,
            rules_hash TEXT NOT NULL,
            stopped BOOLEAN NOT NULL DEFAULT FALSE
        );
        CREATE TABLE host_lease (
            host TEXT PRIMARY KEY,
            instance TEXT NOT NULL,
            expires DOUBLE PRECISION NOT NULL
        );
        """,
        // The feeds of a host, read when its lease moves. Stories, shared by every instance: each story's band keys are rows of `story_band`, the index
        // that finds a new entry's near-duplicates (and kept in the story's row, to find its index rows
        // by their key when it is forgotten: no second index on `story_band` to write 16 times a story). The archive as in the SQLite store; its size is kept
        // per instance (each adds to its own row: no row every poll of the cluster waits for).
        """
        CREATE INDEX feed_host ON feed(host);
        CREATE TABLE story (
            id BIGSERIAL PRIMARY KEY,
            key TEXT NOT NULL,
            sketch BYTEA NOT NULL,
            bands BIGINT[] NOT NULL,
            first_seen DOUBLE PRECISION NOT NULL,
            last_seen DOUBLE PRECISION NOT NULL,
            copies INTEGER NOT NULL
        );
        CREATE INDEX story_last_seen ON story(last_seen);
        CREATE INDEX story_key ON story(key);
        CREATE TABLE story_band (
            band_key BIGINT NOT NULL,
            story BIGINT NOT NULL,
            PRIMARY KEY (band_key, story)
        );
        CREATE TABLE story_feed (
            story BIGINT NOT NULL REFERENCES story(id) ON DELETE CASCADE,
            feed_id BIGINT NOT NULL,
            PRIMARY KEY (story, feed_id)
        );
        CREATE TABLE story_rule (
            story BIGINT NOT NULL REFERENCES story(id) ON DELETE CASCADE,
            rule TEXT NOT NULL,
            PRIMARY KEY (story, rule)
        );
        CREATE TABLE archive (
            id BIGSERIAL PRIMARY KEY,
            feed_id BIGINT NOT NULL,
            seen DOUBLE PRECISION NOT NULL,
            entry_key TEXT NOT NULL,
            entry_id TEXT,
            url TEXT,
            title TEXT,
            published TEXT,
            author TEXT,
            categories TEXT,
            source TEXT NOT NULL,
            source_error TEXT,
            text BYTEA NOT NULL,
            rules TEXT NOT NULL
        );
        CREATE INDEX archive_seen ON archive(seen, id);
        CREATE INDEX archive_url ON archive(url);
        CREATE INDEX archive_entry_id ON archive(entry_id);
        CREATE TABLE archive_size (
            instance TEXT PRIMARY KEY,
            bytes BIGINT NOT NULL
        );
        """,
    ]

    /// The schema version this build writes.
    public static var schemaVersion: Int { migrations.count }

    /// Brings the schema to ``schemaVersion`` in one transaction under a transaction-scoped advisory
    /// lock: of instances starting together one migrates, the others wait and find it done.
    func migrate() async throws(StoreError) {
        let location = location
        let found = try await transaction("preparing the schema") { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: Self.quiet)
            try await connection.query("CREATE TABLE IF NOT EXISTS feedwatch_schema (version INTEGER NOT NULL)", logger: Self.quiet)
            var version = 0
            for try await (value) in try await connection.query("SELECT version FROM feedwatch_schema", logger: Self.quiet).decode(Int.self) {
                version = value
            }
            guard version <= Self.schemaVersion else { return version }
            // One statement a query: the extended protocol takes no more.
            for migration in Self.migrations.dropFirst(version) {
                for statement in migration.components(separatedBy: ";\n") {
                    let sql = statement.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: ";")))
                    if !sql.isEmpty { try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Self.quiet) }
                }
            }
            try await connection.query("DELETE FROM feedwatch_schema", logger: Self.quiet)
            try await connection.query("INSERT INTO feedwatch_schema (version) VALUES (\(Self.schemaVersion))", logger: Self.quiet)
            return version
        }
        guard found <= Self.schemaVersion else {
            throw StoreError("""
                the database \(location) has schema version \(found), newer than this feedwatch knows \
                (\(Self.schemaVersion)): another instance runs a newer release; upgrade this one to it
                """, cannotOpen: true)
        }
    }

    /// The advisory lock key migrations take ("feedwatch" in ASCII, as a number).
    static let migrationLock: Int64 = 0x6665_6564_7761_7463
}

// SPDX-License-Identifier: MIT
import GRDB

extension Store {
    /// The schema's versions, applied in order to any database older than the code. A migration, once
    /// released, never changes: a new version is a new migration.
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
        // Seen entries keep the stable hashes of guid and link instead of their text: an index entry of
        // two integers instead of an integer and a URL makes the table a third of its size, and
        // recording a feed's first entries cheaper. Rows already seen are converted, so nothing seen
        // before alerts again.
        migrator.registerMigration("v2-hashed-entry-keys") { db in
            let hash = DatabaseFunction("feedwatch_stable_hash", argumentCount: 1, pure: true) { arguments in
                String.fromDatabaseValue(arguments[0]).map(StableHash.int64)
            }
            db.add(function: hash)
            defer { db.remove(function: hash) }
            try db.execute(sql: """
                CREATE TABLE entry_v2 (
                    feed_id INTEGER NOT NULL REFERENCES feed(id) ON DELETE CASCADE,
                    guid_hash INTEGER,
                    link_hash INTEGER,
                    title_hash INTEGER,
                    content_hash INTEGER NOT NULL,
                    seen_at REAL NOT NULL
                );
                INSERT INTO entry_v2 (feed_id, guid_hash, link_hash, title_hash, content_hash, seen_at)
                    SELECT feed_id, feedwatch_stable_hash(guid), feedwatch_stable_hash(link), title_hash, content_hash, seen_at
                    FROM entry ORDER BY rowid;
                DROP TABLE entry;
                ALTER TABLE entry_v2 RENAME TO entry;
                CREATE INDEX entry_guid ON entry(feed_id, guid_hash);
                CREATE INDEX entry_link ON entry(feed_id, link_hash);
                CREATE INDEX entry_content ON entry(feed_id, content_hash);
                """)
        }
        return migrator
    }
}

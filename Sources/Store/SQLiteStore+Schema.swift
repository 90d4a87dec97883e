// SPDX-License-Identifier: MIT
import GRDB

extension SQLiteStore {
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
        // Seen entries are kept in feed and link order (a table without rowid, whose key is the link
        // index) with one more index, on guid: two B-trees to update per entry instead of four. A poll
        // looks each candidate up by the one key every match shares with it
        // (`EntryFingerprint.lookupKey`), so a content index is not needed; content keys (`identity:
        // content`, entries with neither guid nor link) read the feed's rows. Fewer B-trees per entry
        // mean less work per poll and a smaller file.
        // Absent guid and link hashes are kept as 0 (key columns cannot be NULL); rows that become
        // identical are one entry under every identity.
        migrator.registerMigration("v3-entries-by-feed-and-link") { db in
            try db.execute(sql: """
                CREATE TABLE entry_v3 (
                    feed_id INTEGER NOT NULL REFERENCES feed(id) ON DELETE CASCADE,
                    guid_hash INTEGER NOT NULL,
                    link_hash INTEGER NOT NULL,
                    title_hash INTEGER,
                    content_hash INTEGER NOT NULL,
                    seen_at REAL NOT NULL,
                    PRIMARY KEY (feed_id, link_hash, guid_hash, content_hash)
                ) WITHOUT ROWID;
                INSERT OR IGNORE INTO entry_v3 (feed_id, guid_hash, link_hash, title_hash, content_hash, seen_at)
                    SELECT feed_id, IFNULL(guid_hash, \(StoredHash.absent)), IFNULL(link_hash, \(StoredHash.absent)), title_hash, content_hash, seen_at
                    FROM entry ORDER BY rowid;
                DROP TABLE entry;
                ALTER TABLE entry_v3 RENAME TO entry;
                CREATE INDEX entry_guid ON entry(feed_id, guid_hash);
                """)
        }
        // A feed's first batch of seen entries is kept as one row (`SeenBaseline`): a feed's first
        // poll writes one row instead of one entry per item in two B-trees, and most items of a feed
        // are never looked up again. Entries already seen stay where they are.
        migrator.registerMigration("v4-seen-baselines") { db in
            try db.execute(sql: """
                CREATE TABLE baseline (
                    feed_id INTEGER PRIMARY KEY REFERENCES feed(id) ON DELETE CASCADE,
                    fingerprints BLOB NOT NULL,
                    seen_at REAL NOT NULL
                );
                """)
        }
        // Stories (near-duplicate entries across feeds) over a sliding window: each story's sketch (its
        // band keys, which find it, are kept in memory: StoryIndex), the feeds it appeared in and the
        // rules that alerted for it. The
        // alert keeps the story it belongs to and how many copies were known when it was raised.
        migrator.registerMigration("v5-stories") { db in
            try db.execute(sql: """
                CREATE TABLE story (
                    id INTEGER PRIMARY KEY,
                    key TEXT NOT NULL,
                    sketch BLOB NOT NULL,
                    first_seen REAL NOT NULL,
                    last_seen REAL NOT NULL,
                    copies INTEGER NOT NULL
                );
                CREATE INDEX story_last_seen ON story(last_seen);
                CREATE INDEX story_key ON story(key);
                CREATE TABLE story_feed (
                    story INTEGER NOT NULL,
                    feed_id INTEGER NOT NULL,
                    PRIMARY KEY (story, feed_id)
                ) WITHOUT ROWID;
                CREATE TABLE story_rule (
                    story INTEGER NOT NULL,
                    rule TEXT NOT NULL,
                    PRIMARY KEY (story, rule)
                ) WITHOUT ROWID;
                ALTER TABLE alert ADD COLUMN story_key TEXT;
                ALTER TABLE alert ADD COLUMN story_copies INTEGER;
                """)
        }
        // The archive: every new entry's text as the rules saw it (zstd), with what the rules made of
        // it, for `feedwatch rules test`; its size kept in a row of its own, so that pruning by size
        // needs no scan.
        migrator.registerMigration("v6-archive") { db in
            try db.execute(sql: """
                CREATE TABLE archive (
                    id INTEGER PRIMARY KEY,
                    feed_id INTEGER NOT NULL,
                    seen REAL NOT NULL,
                    entry_key TEXT NOT NULL,
                    entry_id TEXT,
                    url TEXT,
                    title TEXT,
                    published TEXT,
                    author TEXT,
                    categories TEXT,
                    source TEXT NOT NULL,
                    text BLOB NOT NULL,
                    rules TEXT NOT NULL
                );
                CREATE INDEX archive_seen ON archive(seen);
                CREATE TABLE archive_size (bytes INTEGER NOT NULL);
                INSERT INTO archive_size (bytes) VALUES (0);
                """)
        }
        // Why an archived entry was matched on its feed text: the page fetch or extraction failure.
        migrator.registerMigration("v7-archive-source-error") { db in
            try db.execute(sql: "ALTER TABLE archive ADD COLUMN source_error TEXT")
        }
        return migrator
    }
}

// SPDX-License-Identifier: MIT
import GRDB
import Synchronization

/// The stories of the window by their band keys, in memory: each of a story's 16 band keys points at
/// it from one open-addressing table, so finding a new entry's near-duplicates costs 16 probes of RAM
/// instead of 16 B-tree descents through SQLite's pages. The stories themselves (sketch, copies, when
/// last seen) stay in the state database, which is the truth: the index is built from it when first
/// needed and follows every write transaction, undone with it when it rolls back.
///
/// An entry is 4 bytes: 8 bits of the band key (so that a probe rarely hits another key's entry) and the
/// story's 24-bit place in `rows`. Rebuilt at a load of 0.7 when it reaches 0.85: at 500,000 stories,
/// 16 × 500,000 / 0.7 × 4 bytes = 46 MB at most, plus 8 bytes per story for its row id.
final class StoryIndex: Sendable {
    /// Stories the index holds at most (24 bits of place): 16.7 million, some 7 years of 10,000 feeds.
    static let capacity = (1 << 24) - 2

    private struct Table {
        var loaded = false
        /// 0 empty, `tombstone` deleted, else tag << 24 | (place + 1).
        var entries: [UInt32] = []
        /// Place → story row id (0: free).
        var rows: [Int64] = []
        var free: [UInt32] = []
        var used = 0
        var tombstones = 0
        /// What the transaction under way changed, to undo when it rolls back.
        var added: [(row: Int64, keys: [Int64])] = []
        var removed: [(row: Int64, keys: [Int64])] = []
        /// The table was built during the transaction under way, from what it had written: a rollback
        /// drops it, to be built again from the database.
        var builtInTransaction = false
    }

    private static let tombstone = UInt32.max
    private let table = Mutex(Table())

    /// Stories in the index (0 until it is built).
    var count: Int { table.withLock { $0.used } }

    /// Builds the index from the stories in `db`, the first time only.
    func load(_ db: Database) throws {
        guard !table.withLock({ $0.loaded }) else { return }
        try rebuild(db)
    }

    /// Every story in `db` (the transaction under way included), in a table sized for them at a load
    /// of 0.7: at first use, and when stories or deleted entries have filled it to 0.85.
    private func rebuild(_ db: Database) throws {
        let stories = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM story") ?? 0
        table.withLock { table in
            table = Table()
            table.loaded = true
            table.builtInTransaction = true
            table.entries = [UInt32](repeating: 0, count: max(4096, stories * StorySketch.bands * 10 / 7))
            table.rows.reserveCapacity(stories)
        }
        // Row by row, so that building never holds every story's keys at once.
        var select = try RawStatement(db, sql: "SELECT id, sketch FROM story")
        defer { select.finish() }
        while try select.step() {
            guard let keys = select.withBlob(1, { span in span.withUnsafeBytes { StorySketch(bytes: $0)?.bandKeys } }) else { continue }
            let row = select.int64(0)
            table.withLock { Self.insert(row, keys, into: &$0) }
        }
    }

    /// Row ids of the stories sharing a band key with `keys` (each once; now and then one that only
    /// shares the key's 8-bit tag, which the caller's similarity check turns away).
    func candidates(_ keys: [Int64]) -> [Int64] {
        table.withLock { table in
            guard !table.entries.isEmpty else { return [] }
            var found: [Int64] = []
            for key in keys {
                let tag = Self.tag(key)
                var index = Self.home(key, table.entries.count)
                while true {
                    let entry = table.entries[index]
                    if entry == 0 { break }
                    if entry != Self.tombstone && entry >> 24 == tag {
                        let row = table.rows[Int(entry & 0xFF_FFFF) - 1]
                        if !found.contains(row) { found.append(row) }
                    }
                    index = index + 1 == table.entries.count ? 0 : index + 1
                }
            }
            return found
        }
    }

    /// A story begun in the transaction under way, its row already written to `db`.
    func add(_ row: Int64, keys: [Int64], _ db: Database) throws {
        let full = table.withLock { table in
            (table.used + 1) * StorySketch.bands + table.tombstones > table.entries.count * 17 / 20
        }
        if full {
            try rebuild(db)  // the new story among the rest
        }
        try table.withLock { table in
            guard table.used < Self.capacity else {
                throw StoreError("the story index is full (\(Self.capacity) stories in the window): shorten stories.window")
            }
            if !full { Self.insert(row, keys, into: &table) }
            table.added.append((row, keys))
        }
    }

    /// A story forgotten in the transaction under way.
    func remove(_ row: Int64, keys: [Int64]) {
        table.withLock { table in
            guard table.loaded else { return }  // built later from the database, without it
            Self.delete(row, keys, from: &table)
            table.removed.append((row, keys))
        }
    }

    /// The transaction under way committed: its changes stay.
    func commit() {
        table.withLock { table in
            table.added.removeAll()
            table.removed.removeAll()
            table.builtInTransaction = false
        }
    }

    /// The transaction under way rolled back: its changes are undone.
    func rollback() {
        table.withLock { table in
            if table.builtInTransaction {
                table = Table()
                return
            }
            for story in table.added.reversed() { Self.delete(story.row, story.keys, from: &table) }
            for story in table.removed { Self.insert(story.row, story.keys, into: &table) }
            table.added.removeAll()
            table.removed.removeAll()
        }
    }

    // MARK: The table

    private static func tag(_ key: Int64) -> UInt32 { UInt32(truncatingIfNeeded: UInt64(bitPattern: key) >> 56) }

    /// The key's first slot: its low 32 bits scaled to the table (multiply-shift, no power of two needed).
    private static func home(_ key: Int64, _ count: Int) -> Int {
        Int((UInt64(UInt32(truncatingIfNeeded: key)) &* UInt64(count)) >> 32)
    }

    private static func insert(_ row: Int64, _ keys: [Int64], into table: inout Table) {
        let place: Int
        if let reused = table.free.popLast() {
            place = Int(reused)
            table.rows[place] = row
        } else {
            place = table.rows.count
            table.rows.append(row)
        }
        table.used += 1
        for key in keys {
            var index = home(key, table.entries.count)
            while table.entries[index] != 0 && table.entries[index] != tombstone {
                index = index + 1 == table.entries.count ? 0 : index + 1
            }
            if table.entries[index] == tombstone { table.tombstones -= 1 }
            table.entries[index] = tag(key) << 24 | UInt32(place + 1)
        }
    }

    private static func delete(_ row: Int64, _ keys: [Int64], from table: inout Table) {
        guard !table.entries.isEmpty else { return }
        var place: Int?
        for key in keys {
            let tag = tag(key)
            var index = home(key, table.entries.count)
            while table.entries[index] != 0 {
                let entry = table.entries[index]
                if entry != tombstone && entry >> 24 == tag && table.rows[Int(entry & 0xFF_FFFF) - 1] == row {
                    place = Int(entry & 0xFF_FFFF) - 1
                    table.entries[index] = tombstone
                    table.tombstones += 1
                    break
                }
                index = index + 1 == table.entries.count ? 0 : index + 1
            }
        }
        if let place {
            table.rows[place] = 0
            table.free.append(UInt32(place))
            table.used -= 1
        }
    }
}

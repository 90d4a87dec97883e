// SPDX-License-Identifier: MIT
import Foundation
import Glibc
import GRDB
import Synchronization

/// Feedwatch's state in one SQLite database (WAL mode): feeds and their schedule and health, the
/// entries seen per feed, and the outbox of alerts not yet delivered. GRDB's pool serialises writes,
/// so the store is a plain value shared by every task.
public struct SQLiteStore: Store {
    /// The database file inside the state directory.
    public static let fileName = "feedwatch.sqlite"

    /// Where the database of the state directory `directory` is.
    public static func databasePath(in directory: String) -> String {
        (directory as NSString).appendingPathComponent(fileName)
    }
    /// Pages of write-ahead log after which a commit checkpoints it into the database.
    static let checkpointPages = 4000

    let pool: DatabasePool
    let commits: GroupCommit
    /// The window's stories by band key, in memory (built from the database when first needed).
    let storyIndex: StoryIndex
    /// A file rewritten whenever another process puts alerts back in the outbox (`feedwatch retry`):
    /// a daemon watches it instead of asking the database over and over.
    let signalPath: String
    public var outboxSignalPath: String? { signalPath }

    /// Opens the store in `directory`, creating it where new and migrating it to the current schema.
    public init(directory: String) throws(StoreError) {
        if let problem = WritableDirectory.problem(directory, forDatabase: true) {
            throw StoreError("the state directory cannot hold the state database: \(problem)", cannotOpen: true)
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError("cannot create the state directory \(directory): \((error as NSError).localizedDescription)")
        }
        pool = try Self.openPool(Self.databasePath(in: directory))
        storyIndex = StoryIndex()
        commits = GroupCommit(storyIndex: storyIndex)
        signalPath = (directory as NSString).appendingPathComponent("outbox-requeued")
    }

    private static func openPool(_ path: String) throws(StoreError) -> DatabasePool {
        var configuration = GRDB.Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // A checkpoint copies the log into the database with two fsyncs (~30 ms here), commits
            // waiting meanwhile; a 1,000-feed first cycle writes ~900 pages of log, and at SQLite's
            // default of 1,000 pages a checkpoint fell inside it now and then. 4,000 pages: 16 MB.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(SQLiteStore.checkpointPages)")
        }
        // Opening and migrating hold an exclusive lock on the state directory: processes starting
        // together on a new one would otherwise race in the switch to the write-ahead log (SQLITE_BUSY)
        // and in the migrations (both see none applied; the second fails on what the first did).
        let directory = (path as NSString).deletingLastPathComponent
        let lock = Glibc.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard lock >= 0 else {
            throw StoreError("cannot open the state directory \(directory): \(String(cString: strerror(errno)))", cannotOpen: true)
        }
        defer { Glibc.close(lock) }  // releases the lock
        while flock(lock, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw StoreError("cannot lock the state directory \(directory): \(String(cString: strerror(errno)))", cannotOpen: true)
            }
        }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            try migrator.migrate(pool)
            return pool
        } catch let error as DatabaseError where [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode) {
            throw damaged(path, because: error.message ?? "\(error)")
        } catch {
            throw StoreError("cannot open the state database \(path): \(error)", cannotOpen: true)
        }
    }

    /// Copies the write-ahead log into the database file and empties it, so that the file alone holds
    /// the state once the process has stopped (a copy of it is whole). Closing the pool would not: it
    /// closes the writer before the read-only readers, and SQLite checkpoints only on the last close.
    public func close() async throws(StoreError) {
        do {
            _ = try await pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        } catch {
            throw StoreError("checkpointing the state database failed: \(error)")
        }
    }

    public func ping() async throws(StoreError) {
        _ = try await read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    /// Reads through one of the pool's reader connections, or through the writer's with `onWriter`
    /// (for a query that follows writes and need not open a reader of its own).
    func read<T: Sendable>(onWriter: Bool = false, _ body: @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await onWriter ? pool.write(body) : pool.read(body)
        } catch {
            throw StoreError("reading the state database failed: \(error)")
        }
    }

    func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do { return try await pool.write(body) } catch { throw StoreError("writing the state database failed: \(error)") }
    }
}

// SPDX-License-Identifier: MIT
import Foundation
import Glibc
import GRDB
import Synchronization

/// Feedwatch's state in one SQLite database (WAL mode): feeds and their schedule and health, the
/// entries seen per feed, and the outbox of alerts not yet delivered. GRDB's pool serialises writes,
/// so the store is a plain value shared by every task.
public struct Store: Sendable {
    /// The database file inside the state directory.
    public static let fileName = "feedwatch.sqlite"
    /// Pages of write-ahead log after which a commit checkpoints it into the database.
    static let checkpointPages = 4000

    private let database: Opening
    let commits = GroupCommit()
    let registered = RegisteredFeeds()
    /// Whether the database did not exist when the store was opened: it holds nothing yet.
    public let isNew: Bool

    private enum Opening: Sendable {
        case open(DatabasePool)
        case creating(Task<Result<DatabasePool, StoreError>, Never>)
    }

    /// Opens the store in `directory`, migrating it to the current schema. An existing database is open
    /// when this returns, and a failure to open it is thrown here. A new one is created in the
    /// background (its write-ahead-log switch and migrations take a first start's ~10 ms, which its
    /// first fetches need not wait for): every use waits for it, and ``opened()`` reports a failure.
    public init(directory: String) throws(StoreError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError("cannot create the state directory \(directory): \((error as NSError).localizedDescription)")
        }
        let path = (directory as NSString).appendingPathComponent(Self.fileName)
        isNew = !FileManager.default.fileExists(atPath: path)
        if isNew {
            database = .creating(Task {
                await withCheckedContinuation { continuation in
                    // Opening blocks on file I/O: a dispatch thread, not one of the task pool's.
                    DispatchQueue.global().async { continuation.resume(returning: Result { () throws(StoreError) in try Self.openPool(path) }) }
                }
            })
        } else {
            database = .open(try Self.openPool(path))
        }
    }

    private static func openPool(_ path: String) throws(StoreError) -> DatabasePool {
        var configuration = GRDB.Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // A checkpoint copies the log into the database with two fsyncs (~30 ms here), commits
            // waiting meanwhile; a 1,000-feed first cycle writes ~900 pages of log, and at SQLite's
            // default of 1,000 pages a checkpoint fell inside it now and then. 4,000 pages: 16 MB.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Store.checkpointPages)")
        }
        // Opening and migrating hold an exclusive lock on the state directory: processes starting
        // together on a new one would otherwise race in the switch to the write-ahead log (SQLITE_BUSY)
        // and in the migrations (both see none applied; the second fails on what the first did).
        let directory = (path as NSString).deletingLastPathComponent
        let lock = Glibc.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard lock >= 0 else {
            throw StoreError("cannot open the state directory \(directory): \(String(cString: strerror(errno)))", cannotOpen: true)
        }
        defer { close(lock) }  // releases the lock
        while flock(lock, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw StoreError("cannot lock the state directory \(directory): \(String(cString: strerror(errno)))", cannotOpen: true)
            }
        }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            try migrator.migrate(pool)
            return pool
        } catch {
            throw StoreError("cannot open the state database \(path): \(error)", cannotOpen: true)
        }
    }

    /// Returns once the database is open; throws what kept a new one from being created.
    public func opened() async throws(StoreError) {
        _ = try await pool()
    }

    func pool() async throws(StoreError) -> DatabasePool {
        switch database {
        case .open(let pool):
            return pool
        case .creating(let creation):
            return try await creation.value.get()
        }
    }

    /// Reads through one of the pool's reader connections, or through the writer's with `onWriter`
    /// (for a query that follows writes and need not open a reader of its own).
    func read<T: Sendable>(onWriter: Bool = false, _ body: @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        let pool = try await pool()
        do {
            return try await onWriter ? pool.write(body) : pool.read(body)
        } catch {
            throw StoreError("reading the state database failed: \(error)")
        }
    }

    func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        let pool = try await pool()
        do { return try await pool.write(body) } catch { throw StoreError("writing the state database failed: \(error)") }
    }
}

/// A failure of the state database, in words.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public let description: String
    /// The database could not be opened or created: every use fails alike, so it is reported once,
    /// not once per feed.
    public let cannotOpen: Bool

    init(_ description: String, cannotOpen: Bool = false) {
        self.description = description
        self.cannotOpen = cannotOpen
    }
}

/// Row ids of the feeds registered through a store, by configured URL: a poll from the record of a
/// feed that was new when polling began finds its row without a query.
final class RegisteredFeeds: Sendable {
    private let ids = Mutex<[String: Int64]>([:])

    func remember(_ records: [FeedRecord]) {
        ids.withLock { ids in
            for record in records { ids[record.configuredURL] = record.id }
        }
    }

    func id(of configuredURL: String) -> Int64? { ids.withLock { $0[configuredURL] } }
}

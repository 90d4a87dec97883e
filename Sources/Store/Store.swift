// SPDX-License-Identifier: MIT
import Foundation
import GRDB
import Synchronization

/// Feedwatch's state in one SQLite database (WAL mode): feeds and their schedule and health, the
/// entries seen per feed, and the outbox of alerts not yet delivered. GRDB's pool serialises writes,
/// so the store is a plain value shared by every task.
public struct Store: Sendable {
    /// The database file inside the state directory.
    public static let fileName = "feedwatch.sqlite"

    let pool: DatabasePool
    let commits = GroupCommit()
    let registered = RegisteredFeeds()

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

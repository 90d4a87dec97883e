// SPDX-License-Identifier: MIT
import Foundation
import GRDB

extension SQLiteStore {
    /// SQLite's quick check of this store's database: every page is read and the b-trees' structure
    /// checked. Throws a ``StoreError`` that names the file, the first problems found and how to
    /// recover; a database that is not damaged passes silently.
    public func verify() async throws(StoreError) {
        let result: Result<[String], any Error>
        do {
            result = .success(try await pool.read { db in try Self.problems(db, thorough: false) })
        } catch {
            result = .failure(error)
        }
        try Self.judge(pool.path, result)
    }

    /// The same check of the database file at `path`, through a read-only connection of its own that
    /// changes nothing (for `check` and `state check`, which may run beside the daemon); `thorough`
    /// adds every index's agreement with its table (`integrity_check`, a few times the cost).
    public static func verify(_ path: String, thorough: Bool) throws(StoreError) {
        try judge(path, Result { try readOnly(path).read { db in try problems(db, thorough: thorough) } })
    }

    /// A connection of its own to the database at `path` that can only read.
    static func readOnly(_ path: String) throws -> DatabaseQueue {
        var configuration = GRDB.Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    private static func problems(_ db: Database, thorough: Bool) throws -> [String] {
        try String.fetchAll(db, sql: thorough ? "PRAGMA integrity_check(20)" : "PRAGMA quick_check(5)")
    }

    private static func judge(_ path: String, _ result: Result<[String], any Error>) throws(StoreError) {
        switch result {
        case .success(let problems) where problems == ["ok"]:
            return
        case .success(let problems):
            throw damaged(path, because: problems.joined(separator: "; "))
        case .failure(let error):
            throw damaged(path, because: "\(error)")
        }
    }

    /// The one line that refuses a damaged database: the file, what is wrong, and the way out.
    static func damaged(_ path: String, because problem: String) -> StoreError {
        let directory = (path as NSString).deletingLastPathComponent
        return StoreError("""
            the state database \(path) is damaged (\(problem)); Feedwatch will not use it. Stop feedwatch, move it \
            aside and recover what can be read: `sqlite3 \(path) .recover | sqlite3 \(directory)/recovered.sqlite && \
            mv \(path) \(path).corrupt && mv \(directory)/recovered.sqlite \(path)` (Debian: apt install sqlite3), or move \
            it aside alone to start afresh (each feed's first poll then records its items as seen, without alerts)
            """, cannotOpen: true)
    }
}

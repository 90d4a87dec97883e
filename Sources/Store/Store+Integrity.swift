// SPDX-License-Identifier: MIT
import Foundation
import GRDB

extension Store {
    /// The database file's path.
    public var path: String { pool.path }

    /// `PRAGMA quick_check` on the state database: SQLite reads every page and checks the b-trees'
    /// structure (not the indexes' agreement with their tables, which `integrity_check` adds at several
    /// times the cost). Throws a ``StoreError`` that names the file, the first problems found and how to
    /// recover; a database that is not damaged passes silently.
    public func checkIntegrity() async throws(StoreError) {
        let problems: [String]
        do {
            problems = try await pool.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check(5)") }
        } catch {
            throw Self.damaged(path, because: "\(error)")
        }
        guard problems != ["ok"] else { return }
        throw Self.damaged(path, because: problems.joined(separator: "; "))
    }

    /// The one line that refuses a damaged database: the file, what is wrong, and the way out.
    static func damaged(_ path: String, because problem: String) -> StoreError {
        StoreError(damagedMessage(path, problem), cannotOpen: true)
    }

    public static func damagedMessage(_ path: String, _ problem: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        return """
            the state database \(path) is damaged (\(problem)); Feedwatch will not use it. Stop feedwatch, move it \
            aside and recover what can be read: `sqlite3 \(path) .recover | sqlite3 \(directory)/recovered.sqlite && \
            mv \(path) \(path).corrupt && mv \(directory)/recovered.sqlite \(path)` (Debian: apt install sqlite3), or move \
            it aside alone to start afresh (each feed's first poll then records its items as seen, without alerts)
            """
    }
}

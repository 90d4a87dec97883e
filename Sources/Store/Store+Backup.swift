// SPDX-License-Identifier: MIT
import Foundation
import GRDB

extension Store {
    /// Writes a consistent copy of the state database to `destination` while the daemon may be running:
    /// `VACUUM INTO` on a read-only connection of its own, which sees one snapshot of the write-ahead log
    /// and never holds up the daemon's writes. The copy is written beside `destination` and renamed over
    /// it, so the file at `destination` is always a whole database.
    public static func backup(_ source: String, to destination: String) throws(StoreError) {
        let partial = destination + ".partial-\(getpid())"
        do {
            var configuration = GRDB.Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(10)
            let queue = try DatabaseQueue(path: source, configuration: configuration)
            try? FileManager.default.removeItem(atPath: partial)
            try queue.inDatabase { db in try db.execute(sql: "VACUUM INTO ?", arguments: [partial]) }
            try queue.close()
            guard rename(partial, destination) == 0 else {
                throw StoreError("cannot move the backup into place at \(destination): \(String(cString: strerror(errno)))")
            }
        } catch let error as StoreError {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw StoreError("backing up the state database \(source) to \(destination) failed: \(error)")
        }
    }

    /// `PRAGMA integrity_check` on the database at `path` (every page, and every index against its table),
    /// read-only: the problems found, or an empty list.
    public static func fullCheck(_ path: String) throws(StoreError) -> [String] {
        do {
            var configuration = GRDB.Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(10)
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            let problems = try queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check(20)") }
            return problems == ["ok"] ? [] : problems
        } catch {
            throw damaged(path, because: "\(error)")
        }
    }
}

// SPDX-License-Identifier: MIT
import Foundation
import GRDB

extension SQLiteStore {
    /// Writes a consistent copy of the state database to `destination` while the daemon may be running:
    /// `VACUUM INTO` on a read-only connection of its own, which sees one snapshot of the write-ahead log
    /// and never holds up the daemon's writes. The copy is written beside `destination` and renamed over
    /// it, so the file at `destination` is always a whole database.
    public static func backup(_ source: String, to destination: String) throws(StoreError) {
        let partial = destination + ".partial-\(getpid())"
        do {
            let queue = try readOnly(source)
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
}

// SPDX-License-Identifier: MIT
import GRDB
import GRDBSQLite

/// One of GRDB's cached statements driven straight through SQLite's C API, for the store's hot paths
/// (a poll's writes, feed registration, reading feed records): GRDB's generic argument and row handling
/// cost more than SQLite's own work there. Arguments are bound in order; the statement is reset when
/// made and by ``finish()``, so the cache hands it on clean.
struct RawStatement {
    private let handle: OpaquePointer
    private let connection: OpaquePointer?
    private let sql: String
    private var index: Int32 = 1

    init(_ db: Database, sql: String) throws {
        handle = try db.cachedStatement(sql: sql).sqliteStatement
        connection = db.sqliteConnection
        self.sql = sql
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    mutating func bind(_ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
        index += 1
    }

    mutating func bind(_ value: Int) { bind(Int64(value)) }

    mutating func bind(_ value: Bool) { bind(value ? 1 : 0) }

    mutating func bind(_ value: Double?) {
        if let value { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
        index += 1
    }

    mutating func bind(_ value: String?) {
        if let value { sqlite3_bind_text(handle, index, value, -1, transientText) } else { sqlite3_bind_null(handle, index) }
        index += 1
    }

    /// Binds a non-empty blob.
    mutating func bind(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), transientText) }
        index += 1
    }

    /// `row, row, …` `count` times: the VALUES of a multi-row INSERT.
    static func rows(_ row: String, _ count: Int) -> String {
        String(repeating: row + ", ", count: max(count, 1) - 1) + row
    }

    /// Steps once: true when a row is ready to read, false when the statement is done.
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code:
            let message = connection.map { String(cString: sqlite3_errmsg($0)) }
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
        }
    }

    /// Runs a statement that returns no rows, then resets it.
    mutating func execute() throws {
        defer { finish() }
        while try step() {}
    }

    /// Resets the statement and clears its arguments, for the next user of the cache.
    mutating func finish() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        index = 1
    }

    // MARK: Reading the current row (columns from 0)

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

    func optionalInt64(_ column: Int32) -> Int64? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column)
    }

    func double(_ column: Int32) -> Double? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_double(handle, column)
    }

    /// The blob in `column`, valid during `body`.
    /// The blob in `column`, valid only during `body` (SQLite owns the memory until the next step).
    func withBlob<T, E: Error>(_ column: Int32, _ body: (RawSpan) throws(E) -> T) throws(E) -> T {
        let start = sqlite3_column_blob(handle, column)
        let bytes = UnsafeRawBufferPointer(start: start, count: start == nil ? 0 : Int(sqlite3_column_bytes(handle, column)))
        return try body(RawSpan(_unsafeBytes: bytes))
    }

    func string(_ column: Int32) -> String? {
        guard let text = sqlite3_column_text(handle, column) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
    }
}

/// SQLite copies a text bound with this destructor (`SQLITE_TRANSIENT`, a macro Swift cannot import).
private let transientText = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

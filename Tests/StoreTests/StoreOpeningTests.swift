// SPDX-License-Identifier: MIT
import Foundation
import GRDB
@testable import Store
import Testing

/// Opening the store: a new database is created, an existing one opened, a failure reported at once.
@Suite struct StoreOpeningTests {
    let directory = NSTemporaryDirectory() + "feedwatch-opening-\(UUID().uuidString)"

    @Test func aNewStoreIsCreatedAndKnownAfterwards() async throws {
        let store = try SQLiteStore(directory: directory)
        #expect(FileManager.default.fileExists(atPath: directory + "/" + SQLiteStore.fileName))
        let registered = try await store.register(["https://example.org/a", "https://example.org/b"])
        try await store.record(PollResult(of: registered[0], url: registered[0].url, nextDue: Date(), now: Date(),
                                          seen: [EntryFingerprint(guid: "g", link: nil, title: "t", content: "c")]))

        let reopened = try SQLiteStore(directory: directory)
        let records = try await reopened.feeds()
        #expect(records.map(\.configuredURL) == ["https://example.org/a", "https://example.org/b"])
        #expect(records[0].initialized && records[0].entryCount == 1)
    }

    /// Every connection checkpoints its log at 4,000 pages, new store or existing, writer or reader.
    @Test func theLogIsCheckpointedAtFourThousandPages() async throws {
        for _ in 0..<2 {  // created, then opened
            let store = try SQLiteStore(directory: directory)
            let pool = store.pool
            #expect(try await pool.read { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") } == 4000)
            #expect(try await pool.write { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") } == 4000)
        }
    }

    /// Stores opened at once on a new directory, as processes starting together would: the schema is
    /// migrated once (twice, a migration fails on what the other one did) and every store works.
    @Test(arguments: 0..<8)
    func storesOpenedAtOnceOnANewDirectoryAllWork(round: Int) async throws {
        let stores = try await withThrowingTaskGroup(of: SQLiteStore.self) { group in
            for _ in 0..<4 { group.addTask { try SQLiteStore(directory: directory + "-\(round)") } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        _ = try await stores[0].register(["https://example.org/a"])
        for store in stores { #expect(try await store.feeds().map(\.configuredURL) == ["https://example.org/a"]) }
    }

    /// A database that cannot be created (here its path is a dangling symbolic link, which SQLite will
    /// not follow) fails when the store is made, marked as a failure to open.
    @Test func aNewDatabaseThatCannotBeCreatedFailsAtOnce() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: directory + "/" + SQLiteStore.fileName, withDestinationPath: directory + "/missing/db")
        let opening = #expect(throws: StoreError.self) { try SQLiteStore(directory: directory) }
        #expect(opening?.cannotOpen == true)
        #expect(opening?.description.contains("cannot open the state database \(directory)/\(SQLiteStore.fileName)") == true)
    }

    /// An existing database that cannot be opened fails at once, when the store is made.
    @Test func anExistingDatabaseThatCannotBeOpenedFailsAtOnce() throws {
        try FileManager.default.createDirectory(atPath: directory + "/" + SQLiteStore.fileName, withIntermediateDirectories: true)
        let error = #expect(throws: StoreError.self) { try SQLiteStore(directory: directory) }
        #expect(error?.cannotOpen == true)
        #expect(error?.description.contains("cannot open the state database") == true)
    }
}

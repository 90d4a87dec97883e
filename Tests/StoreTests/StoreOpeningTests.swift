// SPDX-License-Identifier: MIT
import Foundation
import GRDB
@testable import Store
import Testing

/// Opening the store: an existing database at once, a new one in the background.
@Suite struct StoreOpeningTests {
    let directory = NSTemporaryDirectory() + "feedwatch-opening-\(UUID().uuidString)"

    @Test func aNewStoreIsUsableWhileItIsCreatedAndKnownAfterwards() async throws {
        let store = try Store(directory: directory)
        #expect(store.isNew)
        // Used at once: the calls wait for the creation.
        let registered = try await store.register(["https://example.org/a", "https://example.org/b"])
        try await store.record(PollResult(of: registered[0], url: registered[0].url, nextDue: Date(), now: Date(),
                                          seen: [EntryFingerprint(guid: "g", link: nil, title: "t", content: "c")]))
        try await store.opened()
        #expect(FileManager.default.fileExists(atPath: directory + "/" + Store.fileName))

        let reopened = try Store(directory: directory)
        #expect(!reopened.isNew)
        let records = try await reopened.feeds()
        #expect(records.map(\.configuredURL) == ["https://example.org/a", "https://example.org/b"])
        #expect(records[0].initialized && records[0].entryCount == 1)
    }

    /// Every connection checkpoints its log at 4,000 pages, new store or existing, writer or reader.
    @Test func theLogIsCheckpointedAtFourThousandPages() async throws {
        for _ in 0..<2 {  // created, then opened
            let store = try Store(directory: directory)
            try await store.opened()
            let pool = try await store.pool()
            #expect(try await pool.read { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") } == 4000)
            #expect(try await pool.write { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") } == 4000)
        }
    }

    /// Stores opened at once on a new directory, as processes starting together would: the schema is
    /// migrated once (twice, a migration fails on what the other one did) and every store works.
    @Test(arguments: 0..<8)
    func storesOpenedAtOnceOnANewDirectoryAllWork(round: Int) async throws {
        let stores = try (0..<4).map { _ in try Store(directory: directory + "-\(round)") }
        for store in stores { try await store.opened() }
        _ = try await stores[0].register(["https://example.org/a"])
        for store in stores { #expect(try await store.feeds().map(\.configuredURL) == ["https://example.org/a"]) }
    }

    /// A database that cannot be created (here its path is a dangling symbolic link, which SQLite will
    /// not follow) fails every use with the same error, marked as a failure to open.
    @Test func aNewStoreThatCannotBeCreatedFailsEveryUseAlike() async throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: directory + "/" + Store.fileName, withDestinationPath: directory + "/missing/db")
        let store = try Store(directory: directory)
        #expect(store.isNew)
        let opening = await #expect(throws: StoreError.self) { try await store.opened() }
        #expect(opening?.cannotOpen == true)
        #expect(opening?.description.contains("cannot open the state database \(directory)/\(Store.fileName)") == true)
        let reading = await #expect(throws: StoreError.self) { try await store.feeds() }
        #expect(reading?.description == opening?.description)
        let recording = await #expect(throws: StoreError.self) {
            try await store.record(PollResult(of: .unregistered("https://example.org/a"), url: "https://example.org/a", nextDue: Date(), now: Date()))
        }
        #expect(recording?.cannotOpen == true)
    }

    /// An existing database that cannot be opened fails at once, when the store is made.
    @Test func anExistingDatabaseThatCannotBeOpenedFailsAtOnce() throws {
        try FileManager.default.createDirectory(atPath: directory + "/" + Store.fileName, withIntermediateDirectories: true)
        let error = #expect(throws: StoreError.self) { try Store(directory: directory) }
        #expect(error?.cannotOpen == true)
        #expect(error?.description.contains("cannot open the state database") == true)
    }
}

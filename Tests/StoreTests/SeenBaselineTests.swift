// SPDX-License-Identifier: MIT
import Foundation
import GRDB
@testable import Store
import Testing

/// A feed's first batch of seen entries is one row; later batches are rows per entry.
@Suite struct SeenBaselineTests {
    let store: SQLiteStore
    let feed: FeedRecord

    init() async throws {
        store = try SQLiteStore(directory: NSTemporaryDirectory() + "feedwatch-baseline-\(UUID().uuidString)")
        feed = try await store.register(["https://example.org/feed"])[0]
    }

    private func entries(_ range: Range<Int>) -> [EntryFingerprint] {
        range.map { i in
            EntryFingerprint(guid: i % 3 == 0 ? nil : "g\(i)", link: i % 4 == 0 ? nil : "https://example.org/\(i)",
                             title: i % 5 == 0 ? nil : "T\(i)", content: "B\(i)")
        }
    }

    private func remember(_ seen: [EntryFingerprint]) async throws {
        try await store.record(PollResult(of: feed, url: feed.url, nextDue: Date(), now: Date(), seen: seen))
    }

    /// (baseline rows, its entries, entry rows)
    private func kept() async throws -> (Int, Int, Int) {
        try await store.pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM baseline") ?? -1,
             try Int.fetchOne(db, sql: "SELECT IFNULL(sum(length(fingerprints)), 0) / 32 FROM baseline") ?? -1,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM entry") ?? -1)
        }
    }

    @Test func encodingKeepsEveryHashAndAbsence() throws {
        let original = entries(0..<60)
        let encoded = SeenBaseline.encode(original)
        let decoded = try SeenBaseline.decode(encoded.span.bytes, feedID: 1)
        #expect(decoded == original.map {
            EntryFingerprint(guidHash: $0.guidHash, linkHash: $0.linkHash, titleHash: $0.titleHash, contentHash: $0.contentHash)
        })
    }

    @Test func theFirstBatchIsOneRowAndLaterOnesAreRows() async throws {
        try await remember(entries(0..<10))
        #expect(try await kept() == (1, 10, 0))
        try await remember(entries(10..<12))
        #expect(try await kept() == (1, 10, 2))
        let id = feed.id
        #expect(try await store.unseen(entries(0..<13), feedID: id, mode: .auto) == [12])
        #expect(try await store.feeds()[0].entryCount == 12)
    }

    @Test func aFirstBatchOverTheLimitIsKeptAsRows() async throws {
        let many = entries(0..<(SeenBaseline.maximumEntries + 1))
        try await remember(many)
        #expect(try await kept() == (0, 0, many.count))
        #expect(try await store.unseen(many, feedID: feed.id, mode: .auto).isEmpty)
    }

    @Test func removingTheFeedRemovesItsBaseline() async throws {
        try await remember(entries(0..<10))
        try await store.remove(configuredURL: feed.configuredURL)
        #expect(try await kept() == (0, 0, 0))
    }

    @Test func aDamagedBaselineIsReportedNotIgnored() async throws {
        try await remember(entries(0..<2))
        try await store.pool.write { db in try db.execute(sql: "UPDATE baseline SET fingerprints = zeroblob(31)") }
        let error = await #expect(throws: StoreError.self) {
            try await store.unseen(entries(0..<1), feedID: feed.id, mode: .auto)
        }
        #expect(error?.description.contains("damaged") == true, "\(String(describing: error))")
    }
}

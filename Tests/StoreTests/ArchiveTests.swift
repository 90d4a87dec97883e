// SPDX-License-Identifier: MIT
import Foundation
@testable import Store
import Testing

/// The archive keeps each new entry's text compressed, reads back newest first in batches, and
/// forgets what is older than `keep` or beyond `max_size`, a few hundred rows a poll.
@Suite struct ArchiveTests {
    private func entry(_ n: Int, words: Int = 200) -> ArchivedEntry {
        ArchivedEntry(key: "key-\(n)", entryID: "id-\(n)", url: "https://news.example/\(n)", title: "Story \(n)",
                      published: "2026-03-01T10:00:00Z", author: "Ana", categories: ["world", "rates"], source: n % 3 == 0 ? "feed" : "page",
                      sourceError: n % 3 == 0 ? "https://news.example/\(n): HTTP 403" : nil,
                      text: (0..<words).map { "word\($0 % 37) story\(n)" }.joined(separator: " "), rules: n % 2 == 0 ? ["even"] : [])
    }

    private func record(_ entries: [ArchivedEntry], _ store: any Store, _ feed: FeedRecord, at now: Date, _ policy: ArchivePolicy) async throws {
        var poll = PollResult(of: feed, url: feed.url, nextDue: now, now: now)
        poll.archive = entries
        poll.archivePolicy = policy
        try await store.record(poll)
    }

    @Test(arguments: StoreKind.allCases)
    func entriesComeBackWholeNewestFirst(kind: StoreKind) async throws {
        let store = try await kind.make()
        let feed = try await store.register(["https://news.example/rss"])[0]
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let policy = ArchivePolicy(keep: 7 * 86_400, maximumBytes: 1 << 30)
        for n in 0..<25 { try await record([entry(n)], store, feed, at: start + Double(n), policy) }
        var read: [ArchiveRecord] = []
        try await store.archive(since: start + 5, batchSize: 7) { batch in
            read += batch
            return true
        }
        #expect(read.map(\.entry) == (5..<25).reversed().map { entry($0) })
        #expect(read.allSatisfy { $0.feedURL == "https://news.example/rss" })
        let usage = try await store.archiveUsage()
        #expect(usage.entries == 25)
        #expect(usage.bytes > 0 && usage.bytes < 25 * entry(0).text.utf8.count / 4, "zstd: \(usage.bytes) bytes")
    }

    @Test(arguments: StoreKind.allCases)
    func entriesOfOnePollSpanningBatchesComeBackOnceEachAndStoppingStops(kind: StoreKind) async throws {
        let store = try await kind.make()
        let feed = try await store.register(["https://news.example/rss"])[0]
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let policy = ArchivePolicy(keep: 7 * 86_400, maximumBytes: 1 << 30)
        // Six entries a poll share their time: batches of four cut through them.
        for poll in 0..<5 { try await record((0..<6).map { entry(poll * 6 + $0) }, store, feed, at: start + Double(poll), policy) }
        var read: [String] = []
        try await store.archive(since: .distantPast, batchSize: 4) { batch in
            read += batch.map(\.entry.key)
            return true
        }
        #expect(read.count == 30 && Set(read).count == 30)
        #expect(read.prefix(6).allSatisfy { Int($0.dropFirst(4))! >= 24 }, "newest poll first: \(read)")
        var batches = 0
        try await store.archive(since: .distantPast, batchSize: 4) { _ in
            batches += 1
            return false
        }
        #expect(batches == 1)
    }

    @Test(arguments: StoreKind.allCases)
    func olderThanKeepOrBeyondTheSizeIsForgotten(kind: StoreKind) async throws {
        let store = try await kind.make()
        let feed = try await store.register(["https://news.example/rss"])[0]
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let keepAll = ArchivePolicy(keep: 7 * 86_400, maximumBytes: 1 << 30)
        for n in 0..<40 { try await record([entry(n)], store, feed, at: start + Double(n), keepAll) }
        // A day later with `keep: 1h`: the next poll forgets the old ones.
        try await record([entry(100)], store, feed, at: start + 86_400, ArchivePolicy(keep: 3600, maximumBytes: 1 << 30))
        #expect(try await store.archiveUsage().entries == 1)

        // Over the size: the oldest go, a few per poll, until it fits.
        let perEntry = try await store.archiveUsage().bytes
        let small = ArchivePolicy(keep: 7 * 86_400, maximumBytes: perEntry * 10)
        for n in 200..<260 { try await record([entry(n)], store, feed, at: start + 86_400 + Double(n), small) }
        let usage = try await store.archiveUsage()
        #expect(usage.bytes <= perEntry * 10 + perEntry * 2, "\(usage)")
        #expect(usage.entries >= 8)
        var newest: [String] = []
        try await store.archive(since: .distantPast) { batch in
            newest += batch.map(\.entry.key)
            return false
        }
        #expect(newest.first == "key-259")
    }
}

// SPDX-License-Identifier: MIT
import Foundation
import Store
import Testing

/// Feed registration and the records read back from the store, field by field.
@Suite struct FeedRecordTests {
    @Test(arguments: StoreKind.allCases) func registeringKeepsKnownFeedsAndAddsNewOnesInTheGivenOrder(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let first = try await store.register(["https://a.example/feed", "https://b.example/feed"])
        #expect(first.map(\.configuredURL) == ["https://a.example/feed", "https://b.example/feed"])
        #expect(first.allSatisfy { !$0.initialized && $0.nextDue == Date(timeIntervalSince1970: 0) && $0.url == $0.configuredURL })
        let polled = try await store.record(PollResult(
            of: first[1], url: first[1].url, title: "B", nextDue: Date(timeIntervalSince1970: 5_000), now: Date(),
            seen: [EntryFingerprint(guid: "g", link: nil, title: "t", content: "c")])).record

        let again = try await store.register(["https://c.example/feed", "https://b.example/feed", "https://c.example/feed"])
        #expect(again.map(\.configuredURL) == ["https://c.example/feed", "https://b.example/feed", "https://c.example/feed"])
        #expect(again[1] == polled, "a known feed keeps its record")
        #expect(again[0].id == again[2].id && !again[0].initialized, "a URL given twice is one new feed")
        #expect(Set(try await store.feeds().map(\.id)).count == 3)
    }

    /// New feeds are written a hundred to an INSERT: lists longer than that, with repeats and known feeds
    /// among them, come back whole and in order.
    @Test(arguments: StoreKind.allCases) func registeringManyFeedsSpansStatements(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let known = try await store.register(["https://example.org/feed/7"])[0]
        let urls = (0..<250).map { "https://example.org/feed/\($0)" } + ["https://example.org/feed/3", "https://example.org/feed/249"]
        let records = try await store.register(urls)
        #expect(records.map(\.configuredURL) == urls)
        #expect(records[7] == known)
        #expect(records[250].id == records[3].id && records[251].id == records[249].id)
        #expect(Set(records.map(\.id)).count == 250)
        #expect(try await store.feeds().count == 250)
    }

    /// A poll of a feed the store no longer has (removed meanwhile) fails alone, and names the feed.
    @Test(arguments: StoreKind.allCases) func aPollOfAFeedThatVanishedFails(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let kept = try await store.register(["https://example.org/kept"])[0]
        let gone = kept.id + 1
        var vanished = kept
        vanished.id = gone
        let error = await #expect(throws: StoreError.self) {
            try await store.record(PollResult(of: vanished, url: "https://example.org/gone", nextDue: Date(), now: Date()))
        }
        #expect(error?.description.contains("feed \(gone) vanished") == true)
        let failed = try await store.record(PollResult(of: kept, url: kept.url, nextDue: Date(), error: "HTTP 500", now: Date())).record
        #expect(failed.consecutiveFailures == 1 && failed.lastError == "HTTP 500")
    }

    @Test(arguments: StoreKind.allCases) func everyFieldComesBackAsWritten(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let feed = try await store.register(["https://example.org/feed"])[0]
        let success = Date(timeIntervalSince1970: 1_700_000_000.25)
        var record = try await store.record(PollResult(
            of: feed, url: "https://example.org/moved", title: "Ünïcode “title”", etag: "W/\"e1\"",
            lastModified: "Sat, 01 Mar 2025 12:00:00 GMT", nextDue: success.addingTimeInterval(900), now: success,
            seen: [EntryFingerprint(guid: "g1", link: "https://example.org/1", title: "t", content: "c"),
                   EntryFingerprint(guid: nil, link: nil, title: "t2", content: "c2")])).record
        #expect(record.id == feed.id && record.configuredURL == "https://example.org/feed" && record.url == "https://example.org/moved")
        #expect(record.title == "Ünïcode “title”" && record.etag == "W/\"e1\"" && record.lastModified == "Sat, 01 Mar 2025 12:00:00 GMT")
        #expect(record.nextDue == success.addingTimeInterval(900) && record.lastSuccess == success)
        #expect(record.consecutiveFailures == 0 && record.lastError == nil && record.lastErrorAt == nil && record.retiredAt == nil)
        #expect(record.initialized && record.entryCount == 2 && record.alertCount == 0)

        let failure = success.addingTimeInterval(60)
        record = try await store.record(PollResult(
            of: feed, url: record.url, nextDue: failure.addingTimeInterval(120), error: "HTTP 410 Gone", retired: true, now: failure)).record
        #expect(record.lastError == "HTTP 410 Gone" && record.lastErrorAt == failure && record.retiredAt == failure)
        #expect(record.consecutiveFailures == 1 && record.title == "Ünïcode “title”" && record.lastSuccess == success)
        #expect(try await store.feeds() == [record])
    }
}

// SPDX-License-Identifier: MIT
import Foundation
import Store
import Testing

@Suite struct OutboxTests {
    private func alert(_ id: String, sinks: [String] = ["file", "stdout"]) -> PendingAlert {
        PendingAlert(id: id, rule: "r", json: "{\"id\":\"\(id)\"}", sinks: sinks)
    }

    @Test(arguments: StoreKind.allCases) func aPollRecordsEntriesAlertsAndOutboxTogether(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let feed = try await store.register(["https://example.org/feed"])[0]
        #expect(!feed.initialized)
        let now = Date()
        let record = try await store.record(PollResult(
            of: feed, url: feed.url, title: "Example", etag: "\"v1\"", nextDue: now.addingTimeInterval(60), now: now,
            seen: [EntryFingerprint(guid: "g", link: nil, title: "t", content: "c")], alerts: [alert("a1"), alert("a2")])).record
        #expect(record.initialized && record.entryCount == 1 && record.alertCount == 2 && record.etag == "\"v1\"" && record.title == "Example")
        #expect(try await store.outbox(sink: "file").map(\.alertID) == ["a1", "a2"])
        #expect(try await store.outbox(sink: "stdout").count == 2)

        try await store.delivered(["a1"], sink: "file")
        #expect(try await store.outbox(sink: "file").map(\.alertID) == ["a2"])
        #expect(try await store.outbox(sink: "stdout").count == 2)
    }

    @Test(arguments: StoreKind.allCases) func theSameAlertIdIsRecordedOnce(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let feed = try await store.register(["https://example.org/feed"])[0]
        for _ in 0..<2 {
            try await store.record(PollResult(of: feed, url: feed.url, nextDue: Date(), now: Date(), alerts: [alert("same")]))
        }
        #expect(try await store.outbox(sink: "file").count == 1)
        #expect(try await store.feeds()[0].alertCount == 1)
    }

    @Test(arguments: StoreKind.allCases) func failedDeliveriesWaitThenDieAsDeadLetters(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let feed = try await store.register(["https://example.org/feed"])[0]
        try await store.record(PollResult(of: feed, url: feed.url, nextDue: Date(), now: Date(), alerts: [alert("a", sinks: ["hook"])]))
        try await store.failed("a", sink: "hook", error: "HTTP 500", retryAt: Date().addingTimeInterval(3600))
        #expect(try await store.outbox(sink: "hook").isEmpty)
        #expect(try await store.outbox(sink: "hook", now: Date().addingTimeInterval(7200)).first?.attempts == 1)
        try await store.failed("a", sink: "hook", error: "HTTP 500", retryAt: nil)
        let depth = try await store.outboxDepth()
        #expect(depth.dead == ["hook": 1] && depth.pending.isEmpty)
    }

    @Test(arguments: StoreKind.allCases) func failuresUpdateHealthAndRetireOn410(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let feed = try await store.register(["https://example.org/feed"])[0]
        var record = try await store.record(PollResult(of: feed, url: feed.url, nextDue: Date(), error: "refused", now: Date())).record
        record = try await store.record(PollResult(of: feed, url: feed.url, nextDue: Date(), error: "refused", now: Date())).record
        #expect(record.consecutiveFailures == 2 && record.lastError == "refused" && record.retiredAt == nil)
        record = try await store.record(PollResult(of: feed, url: feed.url, nextDue: Date(), error: "gone", retired: true, now: Date())).record
        #expect(record.retiredAt != nil)
        record = try await store.record(PollResult(of: feed, url: "https://example.org/moved", nextDue: Date(), now: Date())).record
        #expect(record.consecutiveFailures == 0 && record.url == "https://example.org/moved" && record.configuredURL == feed.configuredURL)
    }

    @Test(arguments: StoreKind.allCases) func stateSurvivesReopening(_ kind: StoreKind) async throws {
        let place = try kind.place()
        do {
            let store = try await place.open()
            let feed = try await store.register(["https://example.org/feed"])[0]
            try await store.record(PollResult(of: feed, url: feed.url, nextDue: Date(), now: Date(), alerts: [alert("kept")]))
        }
        let reopened = try await place.open()
        #expect(try await reopened.outbox(sink: "file").map(\.alertID) == ["kept"])
        #expect(try await reopened.register(["https://example.org/feed"])[0].initialized)
    }
}

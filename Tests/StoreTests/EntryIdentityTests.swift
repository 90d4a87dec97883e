// SPDX-License-Identifier: MIT
import Foundation
import Store
import Testing

/// The identity semantics of seen entries, against both stores.
@Suite struct EntryIdentityTests {
    /// A store of one kind with one feed.
    struct Fixture {
        let store: any Store
        let feed: FeedRecord
        var feedID: Int64 { feed.id }

        init(_ kind: StoreKind) async throws {
            store = try await kind.make()
            feed = try await store.register(["https://example.org/feed"])[0]
        }

        func remember(_ entries: [EntryFingerprint]) async throws {
            try await store.record(PollResult(of: feed, url: feed.url, nextDue: Date(), now: Date(), seen: entries))
        }
    }

    private func entry(guid: String?, link: String?, title: String? = "Title", content: String = "Body") -> EntryFingerprint {
        EntryFingerprint(guid: guid, link: link, title: title, content: content)
    }

    @Test(arguments: StoreKind.allCases) func autoSeesTheSameGuidAndLinkAsSeen(_ kind: StoreKind) async throws {
        let fixture = try await Fixture(kind)
        let store = fixture.store
        let feedID = fixture.feedID
        try await fixture.remember([entry(guid: "g1", link: "https://example.org/a")])
        let fresh = try await store.unseen([entry(guid: "g1", link: "https://example.org/a", content: "edited")], feedID: feedID, mode: .auto)
        #expect(fresh.isEmpty)
    }

    @Test(arguments: StoreKind.allCases) func autoTreatsAReusedGuidWithAnotherLinkAsANewStory(_ kind: StoreKind) async throws {
        let fixture = try await Fixture(kind)
        let store = fixture.store
        let feedID = fixture.feedID
        try await fixture.remember([entry(guid: "g1", link: "https://example.org/a")])
        let fresh = try await store.unseen([entry(guid: "g1", link: "https://example.org/b", title: "Other")], feedID: feedID, mode: .auto)
        #expect(fresh == [0])
    }

    @Test(arguments: StoreKind.allCases) func autoDoesNotReAlertWhenOnlyTheGuidChanged(_ kind: StoreKind) async throws {
        let fixture = try await Fixture(kind)
        let store = fixture.store
        let feedID = fixture.feedID
        try await fixture.remember([entry(guid: "g1", link: "https://example.org/a")])
        let fresh = try await store.unseen([entry(guid: "g2", link: "https://example.org/a")], feedID: feedID, mode: .auto)
        #expect(fresh.isEmpty)
    }

    @Test(arguments: StoreKind.allCases) func autoKeepsDistinctStoriesThatShareOneLink(_ kind: StoreKind) async throws {
        let fixture = try await Fixture(kind)
        let store = fixture.store
        let feedID = fixture.feedID
        // Some feeds point every item at their home page; guid and title tell the stories apart.
        try await fixture.remember([entry(guid: "g1", link: "https://example.org/", title: "Monday")])
        let fresh = try await store.unseen([entry(guid: "g2", link: "https://example.org/", title: "Tuesday")], feedID: feedID, mode: .auto)
        #expect(fresh == [0])
    }

    @Test(arguments: StoreKind.allCases) func withoutGuidTheLinkIdentifies(_ kind: StoreKind) async throws {
        let fixture = try await Fixture(kind)
        let store = fixture.store
        let feedID = fixture.feedID
        try await fixture.remember([entry(guid: nil, link: "https://example.org/a")])
        #expect(try await store.unseen([entry(guid: nil, link: "https://example.org/a", title: "New title")], feedID: feedID, mode: .auto).isEmpty)
        #expect(try await store.unseen([entry(guid: nil, link: "https://example.org/b")], feedID: feedID, mode: .auto) == [0])
    }

    @Test(arguments: StoreKind.allCases) func withNeitherTitleAndContentIdentify(_ kind: StoreKind) async throws {
        let fixture = try await Fixture(kind)
        let store = fixture.store
        let feedID = fixture.feedID
        try await fixture.remember([entry(guid: nil, link: nil, title: "T", content: "C")])
        #expect(try await store.unseen([entry(guid: nil, link: nil, title: "T", content: "C")], feedID: feedID, mode: .auto).isEmpty)
        #expect(try await store.unseen([entry(guid: nil, link: nil, title: "T", content: "C2")], feedID: feedID, mode: .auto) == [0])
    }

    @Test(arguments: StoreKind.allCases) func explicitModesUseTheirKeyAlone(_ kind: StoreKind) async throws {
        let fixture = try await Fixture(kind)
        let store = fixture.store
        let feedID = fixture.feedID
        try await fixture.remember([entry(guid: "g1", link: "https://example.org/a", title: "T", content: "C")])
        #expect(try await store.unseen([entry(guid: "g1", link: "https://example.org/z")], feedID: feedID, mode: .guid).isEmpty)
        #expect(try await store.unseen([entry(guid: "g9", link: "https://example.org/a", title: "X")], feedID: feedID, mode: .link).isEmpty)
        #expect(try await store.unseen([entry(guid: "g1", link: "https://example.org/a", title: "T", content: "C2")], feedID: feedID, mode: .content) == [0])
    }

    /// The store finds a seen entry in the feed's first batch (its baseline) or by one key among later
    /// ones; whatever the identity, it must find exactly the entries that are the same story: every
    /// pair of stored and candidate entry over guid, link, title and content present, absent or
    /// different, under every identity, with the stored entry in either place.
    @Test(arguments: StoreKind.allCases) func theStoreAgreesWithTheIdentityRulesOnEveryPair(_ kind: StoreKind) async throws {
        let fixture = try await Fixture(kind)
        let store = fixture.store
        let variants = [nil, "g1", "g2"].flatMap { guid in
            [nil, "https://example.org/1", "https://example.org/2"].flatMap { link in
                [nil, "T1", "T2"].flatMap { title in
                    ["C1", "C2"].map { content in entry(guid: guid, link: link, title: title, content: content) }
                }
            }
        }
        // Matches none of the variants under any identity: a first batch that puts the stored entry in a row.
        let unrelated = entry(guid: "g-other", link: "https://example.org/other", title: "Other", content: "Other")
        let feeds = try await store.register(variants.indices.flatMap { ["https://example.org/first/\($0)", "https://example.org/later/\($0)"] })
        var disagreements: [String] = []
        // PostgreSQL answers over a socket: every third stored variant (each against every candidate)
        // keeps its run to a few seconds.
        for (index, stored) in variants.enumerated() where kind == .sqlite || index % 3 == 0 {
            let (first, later) = (feeds[2 * index], feeds[2 * index + 1])
            try await store.record(PollResult(of: first, url: first.url, nextDue: Date(), now: Date(), seen: [stored]))
            try await store.record(PollResult(of: later, url: later.url, nextDue: Date(), now: Date(), seen: [unrelated]))
            try await store.record(PollResult(of: later, url: later.url, nextDue: Date(), now: Date(), seen: [stored]))
            for feed in [first, later] {
                for mode in EntryIdentity.allCases {
                    for candidate in variants {
                        let unseen = try await store.unseen([candidate], feedID: feed.id, mode: mode).isEmpty == false
                        if unseen == stored.isSameEntry(as: candidate, under: mode) {
                            disagreements.append("\(feed.url), \(mode): stored \(stored), candidate \(candidate)")
                        }
                    }
                }
            }
        }
        let count = disagreements.count
        #expect(count == 0, "first: \(disagreements.first ?? "")")
    }

    @Test(arguments: StoreKind.allCases) func aBatchCountsARepeatedEntryOnce(_ kind: StoreKind) async throws {
        let fixture = try await Fixture(kind)
        let store = fixture.store
        let feedID = fixture.feedID
        let twice = [entry(guid: "g1", link: "https://example.org/a"), entry(guid: "g1", link: "https://example.org/a")]
        #expect(try await store.unseen(twice, feedID: feedID, mode: .auto) == [0])
    }

    @Test(arguments: StoreKind.allCases) func seenEntriesAreKeptPerFeed(_ kind: StoreKind) async throws {
        let fixture = try await Fixture(kind)
        let store = fixture.store
        try await fixture.remember([entry(guid: "g1", link: "https://example.org/a")])
        let other = try await store.register(["https://example.org/other"])[0].id
        #expect(try await store.unseen([entry(guid: "g1", link: "https://example.org/a")], feedID: other, mode: .auto) == [0])
    }

    @Test(arguments: StoreKind.allCases) func aBigFeedIsRememberedWhole(_ kind: StoreKind) async throws {
        let fixture = try await Fixture(kind)
        let store = fixture.store
        let feedID = fixture.feedID
        // More entries than one INSERT statement carries, with and without guids and titles.
        let entries = (0..<250).map { i in
            entry(guid: i % 3 == 0 ? nil : "g\(i)", link: "https://example.org/\(i)", title: i % 5 == 0 ? nil : "T\(i)", content: "B\(i)")
        }
        try await fixture.remember(entries)
        #expect(try await store.unseen(entries, feedID: feedID, mode: .auto).isEmpty)
        #expect(try await store.feeds()[0].entryCount == 250)
        let new = entry(guid: "g-new", link: "https://example.org/new")
        #expect(try await store.unseen(entries + [new], feedID: feedID, mode: .auto) == [250])
    }

    @Test(arguments: StoreKind.allCases) func aPollThatCannotBeWrittenLeavesNothingAndFailsOnlyItself(_ kind: StoreKind) async throws {
        let fixture = try await Fixture(kind)
        let store = fixture.store
        let feed = fixture.feed
        let feedID = fixture.feedID
        // An unknown feed id breaks the entries' foreign key: that poll fails whole, and a poll written
        // beside it (perhaps in the same group commit) is kept.
        var poll = PollResult(of: feed, url: "https://example.org/x", nextDue: Date(), now: Date(),
                              seen: [entry(guid: "lost", link: "https://example.org/lost")])
        poll.feedID = feedID + 1000
        let broken = Task { [poll] in try await store.record(poll) }
        try await fixture.remember([entry(guid: "kept", link: "https://example.org/kept")])
        await #expect(throws: StoreError.self) { try await broken.value }
        #expect(try await store.unseen([entry(guid: "kept", link: "https://example.org/kept")], feedID: feedID, mode: .auto).isEmpty)
        #expect(try await store.feeds().map(\.entryCount) == [1])
    }

    @Test func identityTextTellsReusedGuidsApart() {
        let a = entry(guid: "g1", link: "https://example.org/a").identity(.auto)
        let b = entry(guid: "g1", link: "https://example.org/b").identity(.auto)
        #expect(a != b)
        #expect(StableHash.hex("rule\nfeed\n" + a).count == 16)
        #expect(StableHash.hex("abc") == StableHash.hex("abc"))
        #expect(StableHash.uint64("") == 0xcbf2_9ce4_8422_2325)
    }

    /// The hashes are stored (seen entries) and shown (alert ids): they must never change. FNV-1a 64's
    /// published test vectors, and the content hash as the hash of title, U+001F and content.
    @Test func stableHashesKeepTheirValues() {
        #expect(StableHash.uint64("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(StableHash.uint64("foobar") == 0x8594_4171_f739_67e8)
        #expect(StableHash.uint64("bar", continuing: StableHash.uint64("foo")) == StableHash.uint64("foobar"))
        #expect(StableHash.hex("a") == "af63dc4c8601ec8c")
        let fingerprint = EntryFingerprint(guid: nil, link: nil, title: "Tïtle", content: "<p>Body</p>")
        #expect(fingerprint.contentHash == StableHash.int64("Tïtle\u{1F}<p>Body</p>"))
        #expect(fingerprint.titleHash == StableHash.int64("Tïtle"))
        #expect(EntryFingerprint(guid: nil, link: nil, title: nil, content: "x").contentHash == StableHash.int64("\u{1F}x"))
    }
}

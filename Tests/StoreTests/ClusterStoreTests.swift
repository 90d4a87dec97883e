// SPDX-License-Identifier: MIT
import Fetching
import Foundation
import Logging
@testable import Store
import TestSupport
import Testing

/// What only the shared store does: outbox claims per instance, host leases, the schema guard.
@Suite struct ClusterStoreTests {
    let place: StorePlace

    init() throws { place = try StoreKind.postgresql.place() }

    private func open(_ instance: String, claimLease: TimeInterval = 60) async throws -> PostgresStore {
        try #require(try await place.open(instance: instance, claimLease: claimLease) as? PostgresStore)
    }

    private func raise(_ ids: [String], in store: PostgresStore) async throws {
        let feed = try await store.register(["https://example.org/feed"])[0]
        try await store.record(PollResult(of: feed, url: feed.url, nextDue: Date(), now: Date(),
                                          alerts: ids.map { PendingAlert(id: $0, rule: "r", json: "{}", sinks: ["file"]) }))
    }

    @Test func anAlertIsHandedToOneInstanceWhichKeepsItAcrossARestart() async throws {
        let a = try await open("a")
        let b = try await open("b")
        try await raise(["x", "y"], in: a)
        #expect(try await a.outbox(sink: "file").map(\.alertID) == ["x", "y"])
        #expect(try await b.outbox(sink: "file").isEmpty, "claimed by a")
        // a is killed and restarts with its identity: its claims are its own still.
        let restarted = try await open("a")
        #expect(try await restarted.outbox(sink: "file").map(\.alertID) == ["x", "y"])
        try await restarted.delivered(["x"], sink: "file")
        try await restarted.failed("y", sink: "file", error: "disk full", retryAt: Date())
        // A failed attempt gives the claim up; a delivered alert is gone for everyone.
        #expect(try await b.outbox(sink: "file").map(\.alertID) == ["y"])
        #expect(try await restarted.outbox(sink: "file").isEmpty)
    }

    @Test func claimsOfAnInstanceGoneLongerThanTheLeaseMoveOn() async throws {
        let a = try await open("a", claimLease: 1)
        let b = try await open("b", claimLease: 1)
        try await raise(["x"], in: a)
        #expect(try await a.outbox(sink: "file").map(\.alertID) == ["x"])
        #expect(try await b.outbox(sink: "file").isEmpty)
        #expect(try await b.nextAttempt(sink: "file") == nil, "another's claim is not due for b")
        try await Task.sleep(for: .milliseconds(1500))
        #expect(try await b.outbox(sink: "file").map(\.alertID) == ["x"])
        #expect(try await a.outbox(sink: "file").isEmpty, "b has it now")
    }

    @Test func instancesAskingTogetherGetDisjointAlerts() async throws {
        let stores = try await [open("a"), open("b"), open("c")]
        try await raise((0..<300).map { "alert-\($0)" }, in: stores[0])
        let handed = try await withThrowingTaskGroup(of: [String].self) { group in
            for store in stores {
                group.addTask {
                    var mine: [String] = []
                    while true {
                        let batch = try await store.outbox(sink: "file", limit: 7, now: Date()).map(\.alertID)
                        if batch.isEmpty { return mine }
                        mine += batch
                        try await store.delivered(batch, sink: "file")
                    }
                }
            }
            return try await group.reduce(into: [[String]]()) { $0.append($1) }
        }
        #expect(handed.joined().count == 300 && Set(handed.joined()).count == 300, "each alert handed out once")
    }

    /// 8 hosts (3 feeds each, one host with 6) over 3 instances: every host held by exactly one, the
    /// same number of feeds each; hosts let go are handed over a heartbeat later; an instance that
    /// stops hands its hosts over at once; one that dies loses them when the lease runs out.
    @Test func hostLeasesSplitTheHostsAndMoveWhenAnInstanceLeaves() async throws {
        let stores = try await [open("a"), open("b"), open("c")]
        let urls = (0..<8).flatMap { host in (0..<(host == 0 ? 6 : 3)).map { "http://10.0.0.\(host):8080/feed/\($0).xml" } }
        _ = try await stores[0].register(urls)
        // A lease of 3 s: long enough for the heartbeats of a test, short enough to wait out. Hosts let
        // go are handed over at the next heartbeat (no polls run here).
        var releasing: [Set<String>] = [[], [], []]
        func beat(_ indices: [Int]) async throws -> [Set<String>] {
            var held: [Set<String>] = []
            for index in indices {
                let grant = try await stores[index].heartbeat(
                    rulesHash: "h", hostname: "test", pid: 1, started: Date(), leaseTime: 3, handOver: releasing[index])
                releasing[index] = grant.releasing
                held.append(grant.held)
            }
            return held
        }
        var held = try await beat([0, 1, 2])
        #expect(held[0].count == 8, "the first takes every host")
        held = try await beat([0, 1, 2])
        #expect(held[1].isEmpty && releasing[0].count == 6, "hosts let go are not taken before they are handed over")
        held = try await beat([0, 1, 2])
        let all = Set(urls.map(HostKey.of))
        #expect(held.reduce(Set<String>()) { $0.union($1) } == all && held.map(\.count).reduce(0, +) == 8, "\(held)")
        let feeds = held.map { hosts in urls.filter { hosts.contains(HostKey.of($0)) }.count }
        #expect(feeds == [9, 9, 9], "feeds per instance: \(feeds)")

        try await stores[2].close()
        held = try await beat([0, 1])
        #expect(held[0].union(held[1]) == all && held[0].isDisjoint(with: held[1]), "\(held)")

        // b stops renewing (killed): a takes its hosts at its first heartbeat after b's lease ran out.
        try await Task.sleep(for: .milliseconds(3200))
        held = try await beat([0])
        #expect(held[0] == all)
        let instances = try await stores[0].instances(leaseTime: 3)
        #expect(instances.first?.id == "a" && instances.first?.alive == true && instances.first?.hosts == 8)
        #expect(Set(instances.map(\.id)) == ["a", "b", "c"] && instances.filter(\.alive).count == 1)
    }

    /// Two instances record the copies of 60 stories at the same moments, each from a feed of its own,
    /// with an alert of one rule for each copy: each story is begun once and joined once, and the rule
    /// alerts once per story across both (the band-key locks make one wait for the other's commit).
    @Test func copiesRecordedTogetherOnTwoInstancesMakeOneStoryAndOneAlertEach() async throws {
        let stores = try await [open("a"), open("b")]
        let feeds = try await stores[0].register(["https://one.example/feed", "https://two.example/feed"])
        let texts = StoryLabelledSetTests.labelledSet(seed: 7).originals.prefix(60)
        let policy = StoryPolicy(window: 3600, similarity: 0.5)
        let start = Date()
        let placed = try await withThrowingTaskGroup(of: (Int, [RecordedPoll]).self) { group in
            for side in 0..<2 {
                group.addTask {
                    var recorded: [RecordedPoll] = []
                    for (index, text) in texts.enumerated() {
                        let now = start + Double(index)
                        let alert = PendingAlert(id: PendingAlert.id(rule: "r", feedURL: feeds[side].url, entry: "\(index)"),
                                                 rule: "r", json: "{}", sinks: ["file"], story: 0)
                        var poll = PollResult(of: feeds[side], url: feeds[side].url, nextDue: now, now: now, alerts: [alert])
                        poll.stories = [StoryCopy(key: "\(side)-\(index)", sketch: try #require(StorySketch(text: text)))]
                        poll.storyPolicy = policy
                        recorded.append(try await stores[side].record(poll))
                    }
                    return (side, recorded)
                }
            }
            return try await group.reduce(into: [Int: [RecordedPoll]]()) { $0[$1.0] = $1.1 }
        }
        let (one, two) = (try #require(placed[0]), try #require(placed[1]))
        for index in texts.indices {
            #expect(one[index].stories[0].key == two[index].stories[0].key, "story \(index): one story for both copies")
            #expect(Set([one[index].stories[0].copies, two[index].stories[0].copies]) == [1, 2])
            #expect(one[index].repeats + two[index].repeats == 1, "story \(index): the rule alerts for one copy")
        }
        #expect(try await stores[1].alertCounts()["r"] == 60)
        let counts = try await stores[0].storyCounts()
        #expect(counts.stories == 60 && counts.merged == 60, "\(counts)")
        let standing = try await stores[1].stories([one[0].stories[0].key])
        #expect(standing.values.first == StoryStanding(copies: 2, feeds: 2))
    }

    /// Stories last seen before the window are forgotten (64 a poll) with their index rows; a copy of
    /// one forgotten begins a story again, a copy of one in the window joins it.
    @Test func storiesPastTheWindowAreForgottenWithTheirIndexRows() async throws {
        let store = try await open("a")
        let feed = try await store.register(["https://one.example/feed"])[0]
        let texts = Array(StoryLabelledSetTests.labelledSet(seed: 11).originals.prefix(70))
        let policy = StoryPolicy(window: 3600, similarity: 0.5)
        let start = Date()
        func placed(_ text: String, key: String, at now: Date) async throws -> StoryJoin {
            var poll = PollResult(of: feed, url: feed.url, nextDue: now, now: now)
            poll.stories = [StoryCopy(key: key, sketch: try #require(StorySketch(text: text)))]
            poll.storyPolicy = policy
            return try await store.record(poll).stories[0]
        }
        for (index, text) in texts.enumerated() { _ = try await placed(text, key: "s\(index)", at: start + Double(index)) }
        #expect(try await store.storyCounts().stories == 70)
        let later = start + 3600 + 65
        #expect(try await placed(texts[69], key: "again-69", at: later).key == "s69", "in the window: joined")
        #expect(try await store.storyCounts().stories == 6, "the 64 oldest forgotten")
        #expect(try await placed(texts[0], key: "again-0", at: later).key == "again-0", "forgotten: begun again")
        // Every index row belongs to a story, and every story has its bands filed.
        try PostgresServer.shared().execute("""
            DO $$ BEGIN
                IF (SELECT COUNT(*) FROM story_band) <> (SELECT SUM(cardinality(ARRAY(SELECT DISTINCT unnest(bands)))) FROM story)
                    OR EXISTS (SELECT 1 FROM story_band b WHERE NOT EXISTS (SELECT 1 FROM story s WHERE s.id = b.story))
                THEN RAISE EXCEPTION 'index rows do not match the stories'; END IF;
            END $$
            """, in: try #require(place.database))
    }

    /// A lease change reads the leased hosts' feeds alone; a feed keyed otherwise by an earlier release
    /// is keyed again when an instance registers it.
    @Test func theFeedsOfLeasedHostsAreReadByTheirKey() async throws {
        let store = try await open("a")
        let urls = ["http://one.example/a.xml", "http://one.example/b.xml", "https://two.example:8443/c.xml"]
        _ = try await store.register(urls)
        #expect(Set(try await store.feeds(onHosts: ["http://one.example"]).map(\.configuredURL)) == Set(urls.prefix(2)))
        try PostgresServer.shared().execute("UPDATE feed SET host = 'two.example:8443'", in: try #require(place.database))
        #expect(try await store.feeds(onHosts: ["https://two.example:8443"]).isEmpty)
        _ = try await store.register(urls)
        #expect(try await store.feeds(onHosts: ["https://two.example:8443"]).map(\.configuredURL) == [urls[2]])
    }

    @Test func aDatabaseWithANewerSchemaIsRefused() async throws {
        _ = try await open("a")
        try PostgresServer.shared().execute("UPDATE feedwatch_schema SET version = 99", in: try #require(place.database))
        let error = await #expect(throws: StoreError.self) { try await open("b") }
        #expect(error?.description.contains("schema version 99, newer than this feedwatch knows") == true, "\(String(describing: error))")
    }

    @Test func urlsAreReadAsLibpqReadsThem() throws {
        let location = try PostgresLocation("postgresql://alert@db.example:6543/news?sslmode=require&password_file=/etc/fw/pw")
        #expect(location.user == "alert" && location.host == "db.example" && location.port == 6543 && location.database == "news")
        #expect(location.tls == .require && location.passwordFile == "/etc/fw/pw" && location.description == "postgresql://alert@db.example:6543/news")
        #expect(try PostgresLocation("postgres://u@h/d").port == 5432)
        for bad in ["mysql://u@h/d", "postgresql://u:secret@h/d", "postgresql://u@h/", "postgresql://u@h/d?sslmode=maybe", "postgresql://u@h/d?x=1"] {
            #expect(throws: StoreError.self, "\(bad)") { try PostgresLocation(bad) }
        }
    }
}

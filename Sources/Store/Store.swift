// SPDX-License-Identifier: MIT
public import Foundation

/// Where Feedwatch keeps its state: feeds' schedule and health, the entries seen per feed, the alerts
/// raised and the outbox of deliveries still owed. Two implementations keep one behaviour (one test
/// suite runs against both): ``SQLiteStore``, embedded in the state directory (the default, for one
/// machine), and ``PostgresStore``, one database shared by several instances.
public protocol Store: Sendable {
    /// The records of these configured URLs, created where new (due at once). Order follows `urls`.
    func register(_ urls: [String]) async throws(StoreError) -> [FeedRecord]
    /// Every feed the store knows, configured now or not.
    func feeds() async throws(StoreError) -> [FeedRecord]
    /// Forgets a feed and everything seen in it.
    func remove(configuredURL: String) async throws(StoreError)

    /// Which of `candidates` the feed has not seen before, under `mode`; a candidate repeated within the
    /// batch counts once.
    func unseen(_ candidates: [EntryFingerprint], feedID: Int64, mode: EntryIdentity) async throws(StoreError) -> [Int]
    /// Records a poll all or nothing: the feed's new state, its newly seen entries, and their alerts
    /// with one outbox row per sink. Returns the feed's record as it now stands.
    @discardableResult
    func record(_ poll: PollResult) async throws(StoreError) -> RecordedPoll

    /// Alerts `sink` still owes, oldest first, due for an attempt at `now`: claimed for this process
    /// (no other instance hands them out) until delivered, failed or the claim lease runs out.
    func outbox(sink: String, limit: Int, now: Date) async throws(StoreError) -> [OutboxItem]
    /// When `sink`'s earliest alert not yet delivered is due for an attempt (nil: it owes none).
    func nextAttempt(sink: String) async throws(StoreError) -> Date?
    /// `sink` delivered these alerts.
    func delivered(_ alertIDs: [String], sink: String) async throws(StoreError)
    /// `sink` failed to deliver an alert: try again at `retryAt`, or give up (`retryAt == nil`: a dead letter).
    func failed(_ alertID: String, sink: String, error: String, retryAt: Date?) async throws(StoreError)
    /// Offers the dead letters of `sinks` to their sink again, as if new. Returns how many each sink got back.
    func requeueDeadLetters(sinks: [String]) async throws(StoreError) -> [String: Int]
    /// A file touched when another process puts alerts back in the outbox, for a daemon to watch
    /// (nil: the store tells its instances itself).
    var outboxSignalPath: String? { get }

    /// Alerts waiting per sink, and dead letters per sink.
    func outboxDepth() async throws(StoreError) -> (pending: [String: Int], dead: [String: Int])
    /// The newest dead letter's error per sink, to say in `status` why a sink gave up.
    func deadLetterErrors() async throws(StoreError) -> [String: String]
    /// Alerts ever raised, per rule.
    func alertCounts() async throws(StoreError) -> [String: Int]
    /// Stories within the window, and the copies merged into them.
    func storyCounts() async throws(StoreError) -> (stories: Int, merged: Int)
    /// How many entries the archive holds and their compressed size.
    func archiveUsage() async throws(StoreError) -> ArchiveUsage
    /// The stories whose ids are `keys`, as they stand now (copies and feeds so far); unknown ids are absent.
    func stories(_ keys: [String]) async throws(StoreError) -> [String: StoryStanding]

    // The rule lab's reads (`rules test`, `trace`).

    /// Up to `size` archived records seen since `since` and before `before`, newest first, with their
    /// positions (``archive(since:batchSize:_:)`` walks the archive with it).
    func archiveBatch(since: Date, before: ArchivePosition, size: Int) async throws(StoreError) -> [(position: ArchivePosition, record: ArchiveRecord)]
    /// Archived entries whose link or id is `reference`, oldest first.
    func archived(matching reference: String) async throws(StoreError) -> [ArchiveRecord]
    /// Up to `limit` links in the archive that start with `prefix` (a site's address), newest first.
    func archivedLinks(startingWith prefix: String, limit: Int) async throws(StoreError) -> [String]
    /// The alerts among `ids` the store has raised, and who still owes them.
    func alertTraces(_ ids: [String]) async throws(StoreError) -> [String: AlertTrace]
    /// The ids of every alert the store has raised for `rules` (all rules: `nil`), by rule.
    func raisedAlerts(rules: Set<String>?) async throws(StoreError) -> [String: Set<String>]

    /// Checks the store can be trusted (a damaged database is refused, never used).
    func verify() async throws(StoreError)
    /// Asks the store the simplest question: whether it answers at all.
    func ping() async throws(StoreError)
    /// Ends this process's use of the store, leaving it whole: the SQLite file holds everything on its
    /// own; a PostgreSQL instance hands its host leases back at once.
    func close() async throws(StoreError)
}

extension Store {
    /// Up to 2,000 links in the archive that start with `prefix`, newest first.
    public func archivedLinks(startingWith prefix: String) async throws(StoreError) -> [String] {
        try await archivedLinks(startingWith: prefix, limit: 2000)
    }

    /// Up to 500 alerts `sink` owes, due at `now`.
    public func outbox(sink: String, now: Date = Date()) async throws(StoreError) -> [OutboxItem] {
        try await outbox(sink: sink, limit: 500, now: now)
    }
}

/// A failure of the state database, in words.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public let description: String
    /// The database could not be opened or created.
    public let cannotOpen: Bool

    public init(_ description: String, cannotOpen: Bool = false) {
        self.description = description
        self.cannotOpen = cannotOpen
    }
}

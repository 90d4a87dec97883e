// SPDX-License-Identifier: MIT
import Alerts
import Foundation
public import Fetching
public import Logging
public import Store
import Synchronization

/// The running parts of Feedwatch wired together: configuration and rules as last (re)loaded, the
/// store, the HTTP client, the poller, the alert dispatcher, and the feeds' schedule. `run` drives it
/// through its services (``services(notifier:)``); `once` polls each feed a single time.
public final class FeedwatchEngine: Sendable {
    public let store: any Store
    let poller: FeedPoller
    let dispatcher: AlertDispatcher
    let logger: Logger
    let metrics = Metrics()
    let http: HTTPClient
    let clock: any WallClock
    /// Signalled when a poll ends or the feeds are reloaded: the scheduler looks again at what is due.
    let feedsChanged = Wakeup()
    /// Signalled when a poll ends or the configuration is reloaded: the status line may have changed.
    let statusChanged = Wakeup()
    private let live: Mutex<Live>
    let book = Mutex(FeedBook(feeds: [], records: [:]))
    private let alertsRaised = Atomic(0)
    /// Polls the store could not keep, while it cannot.
    let outage: StoreOutage
    /// The hosts this instance may poll, in a cluster.
    let leases = Mutex(HostLeases())
    /// When this engine started (an instance's start, as the cluster lists it).
    let started: Date

    /// What the user configured, as last (re)loaded.
    private struct Live {
        var configuration: Configuration
        var rules: RuleSet
    }

    /// Loads the rules, opens (or creates) the store and registers the configured feeds new to it.
    /// The configuration is loaded by the caller.
    public init(configuration: Configuration, logger: Logger, clock: any WallClock = SystemClock()) async throws(EngineError) {
        let rules: RuleSet
        do { rules = try RuleSet.load(path: configuration.rulesFile) } catch { throw .rules(error) }
        do {
            store = try await configuration.openStore(logger: logger)
            // A damaged database is refused, never used: what it would answer about seen entries is unknown.
            try await store.verify()
        } catch {
            throw .store(error)
        }
        var client = HTTPClient.Configuration()
        client.maximumConcurrentTransfers = configuration.limits.maximumFetches
        client.maximumTransfersPerHost = configuration.limits.perHost
        client.hostSpacing = configuration.limits.hostSpacing
        client.clock = clock
        let http = HTTPClient(configuration: client)
        self.http = http
        poller = FeedPoller(client: http, store: store, logger: logger, metrics: metrics, clock: clock)
        dispatcher = AlertDispatcher(store: store, sinks: configuration.sinks.map { $0.sink(client: http) }, logger: logger, metrics: metrics, clock: clock)
        self.clock = clock
        self.logger = logger
        // A database server that comes back is tried again within seconds; a local disk, less often.
        outage = StoreOutage(logger: logger, longestDelay: store is PostgresStore ? 4 : 60)
        started = clock.now
        live = Mutex(Live(configuration: configuration, rules: rules))
        try await loadRecords()
    }

    /// At most this many polls run at once (their fetches share the HTTP client's transfer cap).
    static let maximumConcurrentPolls = 256

    public var configuration: Configuration { live.withLock { $0.configuration } }
    public var rules: RuleSet { live.withLock { $0.rules } }

    /// Reads the records of the configured feeds, creating those new to the store (due at once).
    private func loadRecords() async throws(EngineError) {
        let feeds = configuration.feeds
        let records: [FeedRecord]
        do { records = try await store.register(feeds.map(\.url)) } catch { throw .store(error) }
        let byURL = Dictionary(records.map { ($0.configuredURL, $0) }, uniquingKeysWith: { $1 })
        let own = ownFeeds(feeds)
        book.withLock { $0.reload(feeds: own, records: byURL) }
        feedsChanged.signal()
    }

    /// Takes the first `limit` feeds due at `now` (every configured feed with `all`), not retired and
    /// not being polled, with hosts taking turns (``HostPoliteness/order(_:url:limit:)``); each is
    /// being polled until ``poll(_:_:)`` ends.
    func takeDueFeeds(at now: Date, all: Bool = false, limit: Int = .max) -> [(FeedConfiguration, FeedRecord)] {
        book.withLock { book in
            all ? book.takeAll() : book.takeDue(at: now, limit: limit) { http.politeness.order($0, host: \.host).map(\.feed) }
        }
    }

    /// When the next feed not being polled is due.
    var nextDue: Date? { book.withLock { $0.nextDue } }

    var inFlightCount: Int { book.withLock { $0.inFlight.count } }

    /// Polls one feed that ``takeDueFeeds(at:all:limit:)`` handed out, keeping its record current.
    func poll(_ feed: FeedConfiguration, _ record: FeedRecord) async -> FeedPoller.Outcome {
        let (rules, configuration) = live.withLock { ($0.rules, $0.configuration) }
        let outcome = await poller.poll(
            feed, record, rules: rules, routing: configuration.routing, stories: configuration.stories, archive: configuration.archive)
        if case .store(let error) = outcome.failure {
            if let unsaved = outcome.unsaved { outage.keep(unsaved, error: error, now: clock.now) } else { outage.stall(error: error, now: clock.now) }
        }
        book.withLock { $0.finished(feed.url, record: outcome.record) }
        if outcome.alerts > 0 {
            alertsRaised.add(outcome.alerts, ordering: .relaxed)
            dispatcher.alertsQueued()
        }
        feedsChanged.signal()
        statusChanged.signal()
        return outcome
    }

    /// Tries to store the polls the store could not keep; the feeds stored are scheduled from what
    /// their polls said.
    func retryUnsaved() async {
        let stored = await outage.retry(store, now: clock.now)
        book.withLock { book in
            for record in stored { book.finished(record.configuredURL, record: record) }
        }
        if !stored.isEmpty || !outage.isActive {
            feedsChanged.signal()
            statusChanged.signal()
        }
    }

    /// Leaves the store whole on disk for the stop: its database file alone then holds the state.
    /// A failure is logged; the state is still safe in the write-ahead log beside it.
    public func stop() async {
        do { try await store.close() } catch { logger.warning("\(error)") }
    }

    /// `12 feeds, 1 failing, 0 retired; 3 alerts since start`, and the store's outage while one lasts.
    public var statusLine: String {
        let records = book.withLock { book in book.feeds.compactMap { book.records[$0.url] } }
        let health = FeedHealth(records)
        let line = "\(records.count) feeds, \(health.failing) failing, \(health.retired) retired; \(alertsRaised.load(ordering: .relaxed)) alerts since start"
        guard let since = outage.since else { return line }
        return line + "; the state database cannot be written since \(Alert.timestamp(since)): polling paused"
    }

    /// Writes the metrics file, when one is configured (atomically: a reader never sees half of it).
    func writeMetrics() async {
        let configuration = configuration
        guard let path = configuration.metricsFile else { return }
        do {
            let snapshot = try await StoreSnapshot.read(store, configuration)
            let unwritable = outage.since.map { clock.now.timeIntervalSince($0) } ?? 0
            try Metrics.write(metrics.render(snapshot, unwritable: unwritable), to: path)
        } catch {
            logger.warning("cannot write the metrics file", metadata: ["metrics.file": "\(path)", "error": "\(error)"])
        }
    }

    // MARK: Reload

    /// Re-reads the rules file; a file with any error is rejected whole and the rules in force stay.
    @discardableResult
    public func reloadRules() -> Bool {
        let path = configuration.rulesFile
        do {
            let rules = try RuleSet.load(path: path)
            rules.prepare()  // reloads happen in the daemon, which matches at once
            live.withLock { $0.rules = rules }
            logger.notice("rules reloaded: \(rules.rules.count) rules in force", metadata: ["rules.file": "\(path)"])
            return true
        } catch {
            for message in error.messages { logger.error("\(message)") }
            logger.error("the rules file has errors and was not loaded; the previous \(rules.rules.count) rules stay in force",
                         metadata: ["rules.file": "\(path)"])
            return false
        }
    }

    /// Re-reads the configuration (feeds, sinks, rules path) and the rules, and builds the sinks afresh. A
    /// configuration with any error is rejected whole.
    public func reload() async {
        let path = configuration.file
        do {
            let fresh = try Configuration.load(path: path)
            live.withLock { $0.configuration = fresh }
            try await loadRecords()
            dispatcher.replaceSinks(fresh.sinks.map { $0.sink(client: http) })
            logger.notice("configuration reloaded: \(fresh.feeds.count) feeds, \(fresh.sinks.count) sinks", metadata: ["config.file": "\(path)"])
        } catch let error as ConfigurationErrors {
            for problem in error.errors { logger.error("\(problem)") }
            logger.error("the configuration has errors and was not reloaded; the previous one stays in force")
            dispatcher.replaceSinks(configuration.sinks.map { $0.sink(client: http) })
        } catch {
            logger.error("reloading failed: \(error)")
        }
        reloadRules()
        statusChanged.signal()
    }
}

/// Why the engine could not start: the rules file is unusable (exit 1) or the store is (exit 3).
public enum EngineError: Error, Sendable, CustomStringConvertible {
    case rules(RuleSetError)
    case store(StoreError)

    public var description: String {
        switch self {
        case .rules(let error): error.description
        case .store(let error): error.description
        }
    }
}

extension SinkConfiguration {
    /// The sink this entry describes; webhook header secrets are read now (at start and on reload).
    func sink(client: HTTPClient) -> any AlertSink {
        switch kind {
        case .file(let path):
            FileSink(path: path, name: name)
        case .stdout(let format):
            StandardOutputSink(format: format == .json ? .json : .text, name: name)
        case .exec(let command):
            ExecSink(name: name, command: command, timeout: timeout, maximumAttempts: attempts)
        case .webhook(let url, let headers):
            WebhookSink(
                name: name, url: url, headers: headers.map { (name: $0.name, value: $0.resolvedValue() ?? "") },
                timeout: timeout, maximumAttempts: attempts, client: client)
        }
    }
}

extension WebhookHeader {
    /// The header's value: the text itself, the file's contents without the trailing newline, or the
    /// environment variable; `nil` when the file cannot be read or the variable is unset.
    func resolvedValue(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        switch value {
        case .literal(let text):
            return text
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else { return nil }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        case .environment(let variable):
            return environment[variable]
        }
    }
}

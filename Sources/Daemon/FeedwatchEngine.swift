// SPDX-License-Identifier: MIT
import Alerts
import Foundation
import Fetching
public import Logging
public import Store
import Synchronization

/// The running parts of Feedwatch wired together: configuration, rules, store, HTTP client, poller and
/// alert dispatcher. `run` drives it from a schedule; `once` polls each feed a single time.
public final class FeedwatchEngine: Sendable {
    public let store: Store
    let poller: FeedPoller
    let dispatcher: AlertDispatcher
    let logger: Logger
    let metrics = Metrics()
    let http: HTTPClient
    private let state: Mutex<State>

    struct State {
        var configuration: Configuration
        var rules: RuleSet
        var records: [String: FeedRecord] = [:]
        /// Configured URLs of the feeds being polled.
        var inFlight: Set<String> = []
        var alertsRaised = 0
        var hostTurns = HostTurns()
        /// The registration of feeds new to the store, while it runs.
        var registration: Task<Void, Never>?
    }

    /// Loads the rules (or takes them from `rules`, the configuration's rules file being read already)
    /// and opens the store. Configuration is loaded by the caller. A store new to this start is still
    /// being created when this returns (its first fetches need not wait for it): ``storeOpened()``
    /// waits for it, and ``pollOnce(all:progress:)`` reports a failure.
    public init(configuration: Configuration, logger: Logger, rules reading: RuleSet.Reading? = nil) async throws(EngineError) {
        // The rules are read while the store opens (both are on the way to the first fetch); a rules
        // error is reported before a store error.
        let reading = reading.flatMap { $0.path == configuration.rulesFile ? $0 : nil } ?? RuleSet.reading(path: configuration.rulesFile)
        let opening = Result { () throws(StoreError) in try Store(directory: configuration.stateDirectory) }
        // So is the HTTP client made (libcurl's global set-up, ~1 ms, among it).
        var client = HTTPClient.Configuration()
        client.maximumConcurrentTransfers = configuration.limits.maximumFetches
        client.maximumTransfersPerHost = configuration.limits.perHost
        let http = HTTPClient(configuration: client)
        let rules: RuleSet
        switch await reading.result {
        case .success(let loaded): rules = loaded
        case .failure(let error): throw .invalid(error.messages)
        }
        switch opening {
        case .success(let opened): store = opened
        case .failure(let error): throw .runtime(error.description)
        }
        poller = FeedPoller(client: http, store: store, gate: HostGate(spacing: configuration.limits.hostSpacing), logger: logger, metrics: metrics)
        dispatcher = AlertDispatcher(store: store, sinks: configuration.sinks.map { $0.sink(client: http) }, logger: logger, metrics: metrics)
        self.http = http
        self.logger = logger
        state = Mutex(State(configuration: configuration, rules: rules))
        // A store created by this start holds no feeds yet: nothing to read (and no wait for it).
        try await loadRecords(storeIsEmpty: store.isNew)
    }

    /// At most this many polls run at once (their fetches share the HTTP client's transfer cap).
    static let maximumConcurrentPolls = 256

    public var configuration: Configuration { state.withLock { $0.configuration } }
    public var rules: RuleSet { state.withLock { $0.rules } }

    /// Returns once the store is open; throws what kept a new one from being created.
    public func storeOpened() async throws(EngineError) {
        do { try await store.opened() } catch { throw .runtime(error.description) }
    }

    /// Reads the records of the configured feeds. Feeds new to the store are registered in the
    /// background: meanwhile they poll from an unregistered record (due at once), and a poll that ends
    /// first creates its feed's row itself, so a first start's fetches need not wait for a row per feed.
    private func loadRecords(storeIsEmpty: Bool = false) async throws(EngineError) {
        var stored: [FeedRecord] = []
        if !storeIsEmpty {
            do { stored = try await store.feeds() } catch { throw .runtime(error.description) }
        }
        let known = Dictionary(stored.map { ($0.configuredURL, $0) }, uniquingKeysWith: { $1 })
        let feeds = configuration.feeds
        var records: [String: FeedRecord] = [:]
        records.reserveCapacity(feeds.count)
        var new: [String] = []
        for feed in feeds where records[feed.url] == nil {
            if let record = known[feed.url] {
                records[feed.url] = record
            } else {
                records[feed.url] = .unregistered(feed.url)
                new.append(feed.url)
            }
        }
        let registration = new.isEmpty ? nil : Task { await self.register(new) }
        state.withLock { state in
            state.records = records
            state.hostTurns = HostTurns()
            state.registration = registration
        }
    }

    /// Creates the rows of feeds new to the store; a record a poll has already replaced stays.
    private func register(_ urls: [String]) async {
        do {
            let registered = try await store.register(urls)
            state.withLock { state in
                for record in registered {
                    if let current = state.records[record.configuredURL], current.id == nil {
                        state.records[record.configuredURL] = record
                    }
                }
            }
        } catch {
            // A store that could not be created is reported once, by whoever waits for it.
            if !error.cannotOpen { logger.error("registering \(urls.count) new feeds failed (each poll registers its feed): \(error)") }
        }
    }

    /// Returns once the registration of new feeds, if one runs, has ended.
    func registrationEnded() async {
        await state.withLock { $0.registration }?.value
    }

    /// The first `limit` feeds due at `now` (every configured feed with `all`), not retired and not
    /// being polled, in ``HostTurns`` counting the polls running.
    func dueFeeds(at now: Date, all: Bool = false, limit: Int = .max) -> [(FeedConfiguration, FeedRecord)] {
        state.withLock { state in
            let due = state.configuration.feeds.compactMap { feed -> (FeedConfiguration, FeedRecord)? in
                guard let record = state.records[feed.url], record.retiredAt == nil,
                      !state.inFlight.contains(feed.url), all || record.nextDue <= now else { return nil }
                return (feed, record)
            }
            let running = state.inFlight.map { state.records[$0]?.url ?? $0 }
            return state.hostTurns.order(due, url: \.1.url, running: running, limit: limit)
        }
    }

    /// Earliest due time of the feeds not being polled.
    var nextDue: Date? {
        state.withLock { state in
            state.records.values.filter { $0.retiredAt == nil && !state.inFlight.contains($0.configuredURL) }.map(\.nextDue).min()
        }
    }

    var inFlightCount: Int { state.withLock { $0.inFlight.count } }

    /// Polls one feed, keeping its record current.
    func poll(_ feed: FeedConfiguration, _ record: FeedRecord) async -> FeedPoller.Outcome {
        let (rules, routing) = state.withLock { state in
            state.inFlight.insert(feed.url)
            return (state.rules, state.configuration.routing)
        }
        let outcome = await poller.poll(feed, record, rules: rules, routing: routing)
        state.withLock { state in
            state.inFlight.remove(feed.url)
            if let updated = outcome.record { state.records[feed.url] = updated }
            state.alertsRaised += outcome.alerts
        }
        return outcome
    }

    /// `12 feeds, 1 failing, 0 retired; 3 alerts since start`.
    public var statusLine: String {
        state.withLock { state in
            let records = state.configuration.feeds.compactMap { state.records[$0.url] }
            let health = FeedHealth(records)
            return "\(records.count) feeds, \(health.failing) failing, \(health.retired) retired; \(state.alertsRaised) alerts since start"
        }
    }

    /// Writes the metrics file, when one is configured (atomically: a reader never sees half of it).
    func writeMetrics() async {
        let configuration = configuration
        guard let path = configuration.metricsFile else { return }
        do {
            let snapshot = try await StoreSnapshot.read(store, configuration)
            try Metrics.write(metrics.render(snapshot), to: path)
        } catch {
            logger.warning("cannot write the metrics file: \(error)", metadata: ["metrics.file": "\(path)"])
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
            state.withLock { $0.rules = rules }
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
            state.withLock { $0.configuration = fresh }
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
    }
}

/// Why the engine could not start: bad input (exit 1) or the environment (exit 3).
public enum EngineError: Error, Sendable, CustomStringConvertible {
    case invalid([String])
    case runtime(String)

    public var description: String {
        switch self {
        case .invalid(let messages): messages.joined(separator: "\n")
        case .runtime(let message): message
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

// SPDX-License-Identifier: MIT
import Foundation
public import Store
import Synchronization

/// What the daemon counts while it runs, and the Prometheus text format of it together with what the
/// store knows (feeds, outbox, dead letters, alerts by rule). Counters are this process's since it
/// started; `feedwatch_alerts_total` comes from the store and so survives restarts.
final class Metrics: Sendable {
    enum FetchOutcome: String, CaseIterable, Sendable {
        case ok, notModified = "not_modified", httpError = "http_error", networkError = "network_error", unparsable, gone
    }

    enum Stage: String, CaseIterable, Sendable { case fetch, parse, extract, match }

    /// Bucket bounds in seconds, shared by every stage.
    static let buckets: [Double] = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30]

    private struct Histogram {
        var counts = [Int](repeating: 0, count: Metrics.buckets.count)
        var sum = 0.0
        var count = 0

        mutating func record(_ seconds: Double) {
            for (index, bound) in Metrics.buckets.enumerated() where seconds <= bound { counts[index] += 1 }
            sum += seconds
            count += 1
        }
    }

    private struct State {
        var fetches: [FetchOutcome: Int] = [:]
        var bytes = 0
        var stages: [Stage: Histogram] = [:]
        var delivered: [String: Int] = [:]
    }

    private let state = Mutex(State())

    func fetched(_ outcome: FetchOutcome, bytes: Int = 0) {
        state.withLock {
            $0.fetches[outcome, default: 0] += 1
            $0.bytes += bytes
        }
    }

    func observe(_ stage: Stage, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        // In place: a copy out of the dictionary would copy the counts too.
        state.withLock { $0.stages[stage, default: Histogram()].record(seconds) }
    }

    func delivered(_ count: Int, sink: String) {
        guard count > 0 else { return }
        state.withLock { $0.delivered[sink, default: 0] += count }
    }

    /// This process's counters and histograms, then `snapshot`'s gauges; `unwritable`: how long the
    /// state database has refused writes (0 while it takes them).
    func render(_ snapshot: StoreSnapshot, unwritable: TimeInterval = 0) -> String {
        var out = Self.renderStore(snapshot)
        let state = state.withLock { $0 }
        out += "# HELP feedwatch_state_unwritable_seconds How long the state database has refused writes (polling is paused meanwhile); 0 while it takes them.\n"
        out += "# TYPE feedwatch_state_unwritable_seconds gauge\nfeedwatch_state_unwritable_seconds \(unwritable.rounded())\n"
        out += "# HELP feedwatch_fetches_total Feed fetches by outcome since the daemon started.\n# TYPE feedwatch_fetches_total counter\n"
        for outcome in FetchOutcome.allCases { out += "feedwatch_fetches_total{outcome=\"\(outcome.rawValue)\"} \(state.fetches[outcome] ?? 0)\n" }
        out += "# HELP feedwatch_fetched_bytes_total Bytes of feeds received (after decompression).\n# TYPE feedwatch_fetched_bytes_total counter\n"
        out += "feedwatch_fetched_bytes_total \(state.bytes)\n"
        out += "# HELP feedwatch_stage_duration_seconds Time per feed fetch, feed parse, page extraction and article match.\n# TYPE feedwatch_stage_duration_seconds histogram\n"
        for stage in Stage.allCases {
            let histogram = state.stages[stage] ?? Histogram()
            for (index, bound) in Self.buckets.enumerated() {
                out += "feedwatch_stage_duration_seconds_bucket{stage=\"\(stage.rawValue)\",le=\"\(bound)\"} \(histogram.counts[index])\n"
            }
            out += "feedwatch_stage_duration_seconds_bucket{stage=\"\(stage.rawValue)\",le=\"+Inf\"} \(histogram.count)\n"
            out += "feedwatch_stage_duration_seconds_sum{stage=\"\(stage.rawValue)\"} \(histogram.sum)\n"
            out += "feedwatch_stage_duration_seconds_count{stage=\"\(stage.rawValue)\"} \(histogram.count)\n"
        }
        out += "# HELP feedwatch_alerts_delivered_total Alerts delivered per sink since the daemon started.\n# TYPE feedwatch_alerts_delivered_total counter\n"
        for (sink, count) in state.delivered.sorted(by: { $0.key < $1.key }) {
            out += "feedwatch_alerts_delivered_total{sink=\"\(Self.escape(sink))\"} \(count)\n"
        }
        return out
    }

    /// The store's figures alone (what `feedwatch status --prometheus` can know without the daemon).
    static func renderStore(_ snapshot: StoreSnapshot) -> String {
        var out = "# HELP feedwatch_feeds Configured feeds by state.\n# TYPE feedwatch_feeds gauge\n"
        out += "feedwatch_feeds{state=\"total\"} \(snapshot.feeds)\n"
        out += "feedwatch_feeds{state=\"failing\"} \(snapshot.failing)\n"
        out += "feedwatch_feeds{state=\"retired\"} \(snapshot.retired)\n"
        out += "# HELP feedwatch_alerts_total Alerts raised per rule, over the state database's life.\n# TYPE feedwatch_alerts_total counter\n"
        for (rule, count) in snapshot.alertsByRule.sorted(by: { $0.key < $1.key }) {
            out += "feedwatch_alerts_total{rule=\"\(escape(rule))\"} \(count)\n"
        }
        out += "# HELP feedwatch_outbox_alerts Alerts waiting for delivery per sink.\n# TYPE feedwatch_outbox_alerts gauge\n"
        for sink in snapshot.sinks { out += "feedwatch_outbox_alerts{sink=\"\(escape(sink))\"} \(snapshot.pending[sink] ?? 0)\n" }
        out += "# HELP feedwatch_dead_letters Alerts a sink gave up on.\n# TYPE feedwatch_dead_letters gauge\n"
        for sink in snapshot.sinks { out += "feedwatch_dead_letters{sink=\"\(escape(sink))\"} \(snapshot.dead[sink] ?? 0)\n" }
        out += "# HELP feedwatch_stories Stories within the story window, and copies merged into them (entries that alerted no rule a second time).\n"
        out += "# TYPE feedwatch_stories gauge\nfeedwatch_stories{state=\"total\"} \(snapshot.stories)\nfeedwatch_stories{state=\"merged_copies\"} \(snapshot.merged)\n"
        return out
    }

    /// A label value with `\`, `"` and newlines escaped.
    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Writes `text` to `path` atomically (a temporary file in the same directory, then rename), as
    /// node_exporter's textfile collector expects.
    static func write(_ text: String, to path: String) throws {
        let temporary = path + ".tmp.\(getpid())"
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(path): \(reason)"])
        }
    }
}

/// What the store says, for the metrics.
struct StoreSnapshot: Sendable {
    var feeds = 0
    var failing = 0
    var retired = 0
    var alertsByRule: [String: Int] = [:]
    var sinks: [String] = []
    var pending: [String: Int] = [:]
    var dead: [String: Int] = [:]
    /// Stories within the window, and the copies merged into them.
    var stories = 0
    var merged = 0

    /// The snapshot for `configuration`'s feeds and sinks.
    static func read(_ store: any Store, _ configuration: Configuration) async throws(StoreError) -> StoreSnapshot {
        let records = Dictionary(try await store.feeds().map { ($0.configuredURL, $0) }, uniquingKeysWith: { $1 })
        let depth = try await store.outboxDepth()
        var snapshot = StoreSnapshot(alertsByRule: try await store.alertCounts(), sinks: configuration.sinks.map(\.name),
                                     pending: depth.pending, dead: depth.dead)
        let health = FeedHealth(configuration.feeds.compactMap { records[$0.url] })
        snapshot.feeds = configuration.feeds.count
        snapshot.failing = health.failing
        snapshot.retired = health.retired
        (snapshot.stories, snapshot.merged) = try await store.storyCounts()
        return snapshot
    }
}

extension Configuration {
    /// The store's figures in the Prometheus text format (`feedwatch status --prometheus`).
    public func storeMetrics(_ store: any Store) async throws(StoreError) -> String {
        Metrics.renderStore(try await StoreSnapshot.read(store, self))
    }
}

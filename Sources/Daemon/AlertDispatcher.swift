// SPDX-License-Identifier: MIT
import Alerts
import Foundation
import Logging
import Store
import Synchronization

/// Delivers the outbox: one loop per sink, so a sink that is down delays only its own alerts. A failed
/// delivery is retried with backoff (doubling from 1 s, at most 5 min, later if the receiver asks);
/// a sink with bounded attempts turns an alert it failed that often into a dead letter, kept in the
/// store and counted by `feedwatch status`, and goes on with the next.
final class AlertDispatcher: Sendable {
    private let store: Store
    private let logger: Logger
    private let metrics: Metrics
    private let sinks: Mutex<[String: any AlertSink]>

    init(store: Store, sinks: [any AlertSink], logger: Logger, metrics: Metrics) {
        self.store = store
        self.logger = logger
        self.metrics = metrics
        self.sinks = Mutex(Self.byName(sinks))
    }

    /// Replaces the sinks (after a reload). Every sink is built afresh from the new configuration, so a
    /// changed command, header, token file, timeout or attempt limit applies at once even when the name
    /// stays; each delivery loop looks its sink up by name before every batch, and one name's batches
    /// never overlap, so the old object finishes its batch and is then let go (closing its files).
    func replaceSinks(_ new: [any AlertSink]) {
        sinks.withLock { $0 = Self.byName(new) }
    }

    /// Names are unique in a valid configuration; should two collide, the first wins.
    private static func byName(_ sinks: [any AlertSink]) -> [String: any AlertSink] {
        Dictionary(sinks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    private func sink(named name: String) -> (any AlertSink)? { sinks.withLock { $0[name] } }

    var sinkNames: [String] { sinks.withLock { $0.keys.sorted() } }

    /// Runs until `stop` is set, then delivers what is owed one last time and returns.
    func run(until stop: StopSignal) async {
        await withDiscardingTaskGroup { group in
            var running: [String: StopSignal] = [:]
            while true {
                let current = sinkNames
                for name in current where running[name] == nil {
                    let own = StopSignal()
                    running[name] = own
                    group.addTask { await self.loop(name, until: own) }
                }
                for (name, own) in running where !current.contains(name) || stop.isSet {
                    own.set()
                    if !stop.isSet { running[name] = nil }
                }
                if stop.isSet { return }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// Delivers everything every sink owes now, once (for `feedwatch once`). Returns the alerts delivered.
    @discardableResult
    func deliverAll() async -> Int {
        let current = sinkNames
        return await withTaskGroup(of: Int.self) { group in
            for name in current { group.addTask { await self.drain(name).delivered } }
            return await group.reduce(0, +)
        }
    }

    private func loop(_ name: String, until stop: StopSignal) async {
        while true {
            let stopping = stop.isSet
            let result = await drain(name)
            if stopping { return }
            if result.delivered == 0 || result.failed { try? await Task.sleep(for: .milliseconds(200)) }
        }
    }

    /// Offers the sink called `name` its owed alerts in batches until none is due or one fails; each
    /// batch goes to the sink of that name in force when it starts.
    private func drain(_ name: String) async -> (delivered: Int, failed: Bool) {
        var total = 0
        while true {
            guard let sink = sink(named: name) else { return (total, false) }
            let items: [OutboxItem]
            do {
                items = try await store.outbox(sink: sink.name, now: Date())
            } catch {
                logger.error("\(error)", metadata: ["sink": "\(sink.name)"])
                return (total, true)
            }
            guard !items.isEmpty else { return (total, false) }
            let report = await sink.deliver(items.map { OutgoingAlert(id: $0.alertID, json: $0.json) })
            do {
                try await store.delivered(report.delivered, sink: sink.name)
                metrics.delivered(report.delivered.count, sink: sink.name)
                total += report.delivered.count
                guard let failure = report.failure else { continue }
                let attempts = (items.first { $0.alertID == failure.id }?.attempts ?? 0) + 1
                let metadata: Logger.Metadata = ["sink": "\(sink.name)", "alert.id": "\(failure.id)"]
                if let limit = sink.maximumAttempts, attempts >= limit {
                    try await store.failed(failure.id, sink: sink.name, error: failure.message, retryAt: nil)
                    logger.error("alert delivery failed \(attempts) times, giving up (a dead letter; see `feedwatch status`): \(failure.message)",
                                 metadata: metadata)
                    continue
                }
                let retryAt = Self.retryTime(attempt: attempts, now: Date(), requested: failure.retryAfter)
                try await store.failed(failure.id, sink: sink.name, error: failure.message, retryAt: retryAt)
                logger.error("alert delivery failed (attempt \(attempts)): \(failure.message); retrying in \(Int(retryAt.timeIntervalSinceNow.rounded()))s",
                             metadata: metadata)
                return (total, true)
            } catch {
                logger.error("\(error)", metadata: ["sink": "\(sink.name)"])
                return (total, true)
            }
        }
    }
}

extension AlertDispatcher {
    /// Backoff after failed attempt `attempt` (1-based): 1 s doubling to 5 min, or later when the
    /// receiver asked for it (`Retry-After`, honoured up to an hour).
    static func retryTime(attempt: Int, now: Date, requested: Date?) -> Date {
        let backoff = now.addingTimeInterval(min(300.0, pow(2, Double(min(max(attempt - 1, 0), 9)))))
        guard let requested else { return backoff }
        return max(backoff, min(requested, now.addingTimeInterval(3600)))
    }
}

/// A one-way flag that tasks poll: set once to ask them to finish.
final class StopSignal: Sendable {
    private let flag = Atomic(false)
    var isSet: Bool { flag.load(ordering: .acquiring) }
    func set() { flag.store(true, ordering: .releasing) }
}

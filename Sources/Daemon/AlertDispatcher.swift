// SPDX-License-Identifier: MIT
import Alerts
import Fetching
import Foundation
import Logging
import Store
import Synchronization

/// Delivers the outbox: one loop per sink, so a sink that is down delays only its own alerts. A loop
/// sleeps until alerts are queued (``alertsQueued()``) or its next retry is due. A failed delivery is
/// retried with backoff (doubling from 1 s, at most 5 min, later if the receiver asks); a sink with
/// bounded attempts turns an alert it failed that often into a dead letter, kept in the store and
/// counted by `feedwatch status`, and goes on with the next.
final class AlertDispatcher: Sendable {
    private let store: any Store
    private let logger: Logger
    private let metrics: Metrics
    private let clock: any WallClock
    private let sinks: Mutex<[String: any AlertSink]>
    /// The sink loops running, by sink name: how to stop each and how to wake it.
    private let loops = Mutex<[String: (stop: StopSignal, wakeup: Wakeup)]>([:])
    /// Wakes the loop that starts and stops the sink loops when the sinks are replaced or it is to stop.
    private let sinksChanged = Wakeup()
    private let stopping = StopSignal()
    /// Whether the store failed the last time delivery asked it: a failure is logged when it starts,
    /// not at every attempt while it lasts.
    private let storeFailing = Atomic(false)

    init(store: any Store, sinks: [any AlertSink], logger: Logger, metrics: Metrics, clock: any WallClock) {
        self.store = store
        self.logger = logger
        self.metrics = metrics
        self.clock = clock
        self.sinks = Mutex(Self.byName(sinks))
    }

    /// New alerts are in the outbox: every sink loop looks.
    func alertsQueued() {
        for loop in loops.withLock({ Array($0.values) }) { loop.wakeup.signal() }
    }

    /// Replaces the sinks (after a reload). Every sink is built afresh from the new configuration, so a
    /// changed command, header, token file, timeout or attempt limit applies at once even when the name
    /// stays; each delivery loop looks its sink up by name before every batch, and one name's batches
    /// never overlap, so the old object finishes its batch and is then let go (closing its files).
    func replaceSinks(_ new: [any AlertSink]) {
        sinks.withLock { $0 = Self.byName(new) }
        sinksChanged.signal()
        alertsQueued()
    }

    /// Names are unique in a valid configuration; should two collide, the first wins.
    private static func byName(_ sinks: [any AlertSink]) -> [String: any AlertSink] {
        Dictionary(sinks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    private func sink(named name: String) -> (any AlertSink)? { sinks.withLock { $0[name] } }

    var sinkNames: [String] { sinks.withLock { $0.keys.sorted() } }

    /// Has ``run()`` deliver what is owed one last time and return.
    func stop() {
        stopping.set()
        sinksChanged.signal()
    }

    /// Runs a loop per sink until ``stop()``.
    func run() async {
        await withDiscardingTaskGroup { group in
            while true {
                let current = sinkNames
                let (started, ended) = loops.withLock { loops in
                    var started: [(String, StopSignal, Wakeup)] = []
                    for name in current where loops[name] == nil {
                        let own = (stop: StopSignal(), wakeup: Wakeup())
                        loops[name] = own
                        started.append((name, own.stop, own.wakeup))
                    }
                    let ended = loops.filter { !current.contains($0.key) || stopping.isSet }
                    for name in ended.keys { loops[name] = nil }
                    return (started, ended.values)
                }
                for (name, stop, wakeup) in started { group.addTask { await self.loop(name, until: stop, wakeup: wakeup) } }
                for own in ended {
                    own.stop.set()
                    own.wakeup.signal()
                }
                if stopping.isSet { return }
                await sinksChanged.wait(until: nil, on: clock)
            }
        }
    }

    private func storeFailed(_ error: StoreError, sink: String) {
        guard !storeFailing.exchange(true, ordering: .relaxed) else { return }
        logger.error("the state database failed while delivering; delivery is tried again every second", metadata: ["sink": "\(sink)", "error": "\(error)"])
    }

    private func storeAnswered() {
        guard storeFailing.exchange(false, ordering: .relaxed) else { return }
        logger.notice("the state database answers again; delivery resumes")
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

    /// Delivers `name`'s alerts as they come: after each pass, sleeps until alerts are queued or its
    /// earliest retry is due.
    private func loop(_ name: String, until stop: StopSignal, wakeup: Wakeup) async {
        while true {
            let stopping = stop.isSet
            _ = await drain(name)
            if stopping { return }
            let retry: Date?
            do {
                retry = try await store.nextAttempt(sink: name)
            } catch {
                storeFailed(error, sink: name)
                retry = clock.now.addingTimeInterval(1)
            }
            await wakeup.wait(until: retry, on: clock)
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
                items = try await store.outbox(sink: sink.name, now: clock.now)
            } catch {
                storeFailed(error, sink: sink.name)
                return (total, true)
            }
            storeAnswered()
            guard !items.isEmpty else { return (total, false) }
            let alerts = await readable(items, sink: sink.name)
            let report = await sink.deliver(alerts)
            do {
                try await store.delivered(report.delivered, sink: sink.name)
                metrics.delivered(report.delivered.count, sink: sink.name)
                total += report.delivered.count
                guard let failure = report.failure else { continue }
                let attempts = (items.first { $0.alertID == failure.id }?.attempts ?? 0) + 1
                let metadata: Logger.Metadata = ["sink": "\(sink.name)", "alert.id": "\(failure.id)"]
                if let limit = sink.maximumAttempts, attempts >= limit {
                    try await store.failed(failure.id, sink: sink.name, error: failure.message, retryAt: nil)
                    logger.error("alert delivery failed; given up and kept as a dead letter (see `feedwatch status`)",
                                 metadata: metadata.merging(["attempts": "\(attempts)", "error": "\(failure.message)"]) { $1 })
                    continue
                }
                let now = clock.now
                let retryAt = Self.retryTime(attempt: attempts, now: now, requested: failure.retryAfter)
                try await store.failed(failure.id, sink: sink.name, error: failure.message, retryAt: retryAt)
                logger.error("alert delivery failed; will retry", metadata: metadata.merging([
                    "attempt": "\(attempts)", "error": "\(failure.message)", "retry_in": "\(Int(retryAt.timeIntervalSince(now).rounded()))s",
                ]) { $1 })
                return (total, true)
            } catch {
                storeFailed(error, sink: sink.name)
                return (total, true)
            }
        }
    }
}

extension AlertDispatcher {
    /// The alerts of `items`, decoded from the JSON the store keeps them as, with the story the store
    /// placed them in. One that cannot be read (a damaged row) cannot be delivered by any attempt: it
    /// becomes a dead letter at once, with why.
    private func readable(_ items: [OutboxItem], sink: String) async -> [Alert] {
        var alerts: [Alert] = []
        for item in items {
            do {
                alerts.append(try Alert(stored: item.json, story: item.story))
            } catch {
                let problem = "the stored alert cannot be read: \(error)"
                logger.error("alert is unreadable; kept as a dead letter", metadata: ["sink": "\(sink)", "alert.id": "\(item.alertID)", "error": "\(problem)"])
                try? await store.failed(item.alertID, sink: sink, error: problem, retryAt: nil)
            }
        }
        return alerts
    }

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

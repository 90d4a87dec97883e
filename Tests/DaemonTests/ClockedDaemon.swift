// SPDX-License-Identifier: MIT
@testable import Daemon
import Fetching
import Foundation
import Logging
import ServiceLifecycle
import Store
import Synchronization
import TestSupport
import Testing

/// `feedwatch run`'s services over a configuration, on a ``ManualClock``: a test moves the clock, and
/// between moves waits (in real time) only for the work that does not depend on it.
struct ClockedDaemon {
    let clock: ManualClock
    let engine: FeedwatchEngine

    /// Runs the daemon over `configuration` (YAML, paths relative to `directory`) until `body` returns,
    /// then shuts it down gracefully, as SIGTERM does.
    static func run(
        _ configuration: String, in directory: String, clock: ManualClock, _ body: (ClockedDaemon) async throws -> Void
    ) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let parsed = try Configuration.parse(configuration, path: directory + "/feedwatch.yaml")
        let engine = try await FeedwatchEngine(configuration: parsed, logger: logger, clock: clock)
        let daemon = ClockedDaemon(clock: clock, engine: engine)
        let group = ServiceGroup(services: engine.services(notifier: SystemdNotifier(environment: [:])), logger: logger)
        let stopped = StopSignal()
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask {
                try await group.run()
                stopped.set()
            }
            try await body(daemon)
            await daemon.settle()
            await group.triggerGracefulShutdown()
            // Polls waiting for their host's spacing finish (or are cancelled after the grace) as the clock moves.
            while !stopped.isSet {
                await daemon.settle(scheduling: false)
                clock.advance(by: 0.5)
            }
        }
    }

    /// Waits until no feed is due (with room to start its poll) and every poll under way waits for the
    /// clock (for its host's spacing): none is fetching or storing, so what happens next depends only on the clock moving.
    /// Gives up, recording why, when that takes more than 20 s of real time. Once the daemon is shutting
    /// down (`scheduling` false), feeds due stay due and are not waited for.
    func settle(scheduling: Bool = true) async {
        // Generous: a machine running the whole suite (three daemons of the cluster tests among it) is slow.
        let deadline = ContinuousClock.now + .seconds(60)
        var quiet = false
        while !Task.isCancelled {
            let running = engine.book.withLock { book in book.inFlight.map { book.records[$0]?.url ?? $0 } }
            let waiting = Set(running.map(HostKey.of)).reduce(0) { $0 + engine.http.politeness.waitingCount($1) }
            // A feed due waits for the scheduler only while it has room for a batch of polls.
            let room = FeedwatchEngine.maximumConcurrentPolls - running.count >= PollScheduler.batch
            let due = scheduling && room && !engine.outage.isActive && engine.nextDue.map { $0 <= clock.now } ?? false
            if running.count == waiting && !due && !clock.hasPendingWakeups {
                // Twice, a little apart: a task the clock woke may be between its wake-up and its next step.
                if quiet { break }
                quiet = true
            } else {
                quiet = false
            }
            if ContinuousClock.now > deadline {
                Issue.record("the daemon did not settle: \(running.count) polls running (\(running.prefix(5))), \(waiting) waiting for their host, due: \(due)")
                return
            }
            try? await Task.sleep(for: .milliseconds(2))
        }
        try? await Task.sleep(for: .milliseconds(5))
    }

    /// Moves the clock on by `seconds`, `step` at a time, settling before each step.
    func advance(by seconds: TimeInterval, step: TimeInterval) async {
        let end = clock.now.addingTimeInterval(seconds)
        while clock.now < end && !Task.isCancelled {
            await settle()
            clock.advance(by: min(step, end.timeIntervalSince(clock.now)))
        }
        await settle()
    }
}

// SPDX-License-Identifier: MIT
import Foundation
public import Logging
public import ServiceLifecycle
import UnixSignals

/// `feedwatch run`: polls each feed when it is due, delivers alerts, reloads on SIGHUP and when the
/// rules file changes, and keeps systemd informed (READY, STATUS, WATCHDOG, RELOADING, STOPPING). On
/// graceful shutdown it starts no new poll, lets the running ones finish (at most 8 s, then cancels
/// them: an unfinished poll has written nothing), delivers what is owed, and returns.
public struct PollService: Service {
    let engine: FeedwatchEngine
    let notifier: SystemdNotifier
    let logger: Logger

    /// How long running polls get to finish on shutdown.
    static let shutdownGrace = Duration.seconds(8)
    /// How often the metrics file is rewritten while the daemon runs.
    static let metricsInterval = Duration.seconds(15)

    public init(engine: FeedwatchEngine, notifier: SystemdNotifier, logger: Logger) {
        self.engine = engine
        self.notifier = notifier
        self.logger = logger
    }

    public func run() async {
        let stop = StopSignal()
        let rulesFile = engine.configuration.rulesFile
        let watcher: FileWatcher?
        do {
            watcher = try FileWatcher(path: rulesFile)
        } catch {
            watcher = nil
            logger.warning("cannot watch the rules file (\(error)); reload it with SIGHUP", metadata: ["rules.file": "\(rulesFile)"])
        }
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        // The daemon matches as soon as a story comes: build the matcher now, not at the first story.
        engine.rules.prepare()
        logger.notice("feedwatch started: \(engine.statusLine), \(engine.rules.rules.count) rules")
        notifier.ready(status: engine.statusLine)
        await withGracefulShutdownHandler {
            async let deliveries: Void = engine.dispatcher.run(until: stop)
            await withDiscardingTaskGroup { group in
                group.addTask {
                    for await _ in hangups {
                        notifier.reloading()
                        logger.notice("SIGHUP: reloading the configuration and rules, reopening sinks")
                        await engine.reload()
                        notifier.ready(status: engine.statusLine)
                    }
                }
                if let watcher {
                    group.addTask {
                        for await _ in watcher.changes { engine.reloadRules() }
                    }
                }
                await schedule(until: stop)
                watcher?.stop()
                group.cancelAll()
            }
            await deliveries
        } onGracefulShutdown: {
            notifier.stopping()
            stop.set()
        }
        logger.notice("feedwatch stopped")
    }

    /// The scheduling loop: starts due polls (at most ``FeedwatchEngine/maximumConcurrentPolls`` at
    /// once), pets the watchdog while it goes round, and keeps STATUS current.
    private func schedule(until stop: StopSignal) async {
        await withDiscardingTaskGroup { polls in
            let clock = ContinuousClock()
            var lastPet = clock.now
            var lastStatus = ""
            var lastMetrics = clock.now
            while !stop.isSet {
                let now = Date()
                let room = FeedwatchEngine.maximumConcurrentPolls - engine.inFlightCount
                if room > 0 {
                    for (feed, record) in engine.dueFeeds(at: now, limit: room) {
                        polls.addTask { _ = await engine.poll(feed, record) }
                    }
                }
                if let interval = notifier.watchdogInterval, clock.now - lastPet >= interval {
                    notifier.watchdog()
                    lastPet = clock.now
                }
                let status = engine.statusLine
                if status != lastStatus {
                    notifier.status(status)
                    lastStatus = status
                }
                if clock.now - lastMetrics >= Self.metricsInterval {
                    lastMetrics = clock.now
                    polls.addTask { await engine.writeMetrics() }
                }
                let untilDue = engine.nextDue.map { max(0, $0.timeIntervalSinceNow) } ?? 1
                try? await Task.sleep(for: .milliseconds(Int(min(untilDue, 0.2) * 1000) + 5))
            }
            let deadline = clock.now + Self.shutdownGrace
            while engine.inFlightCount > 0 && clock.now < deadline {
                try? await Task.sleep(for: .milliseconds(20))
            }
            if engine.inFlightCount > 0 {
                logger.warning("\(engine.inFlightCount) polls still running at shutdown were cancelled; they run again next start")
            }
            polls.cancelAll()
        }
    }
}

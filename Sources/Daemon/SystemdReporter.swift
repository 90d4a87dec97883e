// SPDX-License-Identifier: MIT
import Fetching
import Logging
import ServiceLifecycle

/// Tells systemd that the daemon is ready, what it is doing (STATUS, at most once a second) and that it
/// is alive (WATCHDOG, when the unit asks for it).
struct SystemdReporter: Service {
    let engine: FeedwatchEngine
    let notifier: SystemdNotifier

    /// The least time between two STATUS updates: a poll ending changes the status, and thousands end a minute.
    static let statusSpacing = Duration.seconds(1)

    func run() async {
        let clock = engine.clock
        var status = engine.statusLine
        engine.logger.notice("feedwatch started: \(status), \(engine.rules.rules.count) rules")
        notifier.ready(status: status)
        var nextPet = notifier.watchdogInterval.map { clock.now.advanced(by: $0) }
        while !Task.isShuttingDownGracefully {
            let wake = nextPet
            await cancelWhenGracefulShutdown { await engine.statusChanged.wait(until: wake, on: clock) }
            if let pet = nextPet, clock.now >= pet, let interval = notifier.watchdogInterval {
                notifier.watchdog()
                nextPet = clock.now.advanced(by: interval)
            }
            let current = engine.statusLine
            guard current != status else { continue }
            status = current
            notifier.status(status)
            _ = try? await cancelWhenGracefulShutdown { try await clock.sleep(until: clock.now.advanced(by: Self.statusSpacing)) }
        }
    }
}

// SPDX-License-Identifier: MIT
import ArgumentParser
import Daemon
import Logging
import ServiceLifecycle
import UnixSignals

/// `feedwatch run`: the daemon, in the foreground.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon: poll the feeds, match new stories, deliver alerts.",
        discussion: """
            Runs in the foreground until SIGTERM or SIGINT (a clean stop within 10 seconds). SIGHUP re-reads \
            the configuration and rules and reopens the alert files; an edited rules file is picked up within \
            2 seconds without one. Under systemd (Type=notify) it reports READY, STATUS, WATCHDOG, RELOADING \
            and STOPPING. Logs go to stderr, with syslog priorities when journald reads them; alerts go only to \
            the sinks.
            """
    )

    @OptionGroup var options: DaemonOptions

    func run() async throws {
        let (engine, logger) = try await options.startEngine(try options.configuration.loadConfiguration())
        var quiet = logger
        quiet.logLevel = .warning
        let group = ServiceGroup(configuration: .init(
            services: engine.services(notifier: SystemdNotifier()).map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: quiet))
        do {
            try await group.run()
        } catch {
            throw CommandFailure.runtime("the daemon stopped: \(error)")
        }
        await engine.stop()
        logger.notice("feedwatch stopped")
    }
}

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
        let (configuration, rules) = try await options.loadConfigurationReadingRules()
        let (engine, logger) = try await options.startEngine(configuration, rules: rules)
        var quiet = logger
        quiet.logLevel = .warning
        let service = PollService(engine: engine, notifier: SystemdNotifier(), logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: quiet))
        do {
            try await group.run()
        } catch {
            throw CommandFailure.runtime("the daemon stopped: \(error)")
        }
    }
}

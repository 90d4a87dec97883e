// SPDX-License-Identifier: MIT
import ArgumentParser
import Daemon
import Foundation
import Logging

/// `--config` and `--log-level`, shared by the commands that run the daemon's parts.
struct DaemonOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The configuration file.",
        discussion: "Default: $CONFIGURATION_DIRECTORY/feedwatch.yaml under systemd, else /etc/feedwatch/feedwatch.yaml.",
        valueName: "file"))
    var config: String?

    @Option(help: "Least severe log messages shown: debug, info, notice, warning, error.")
    var logLevel: String = "info"

    var configurationPath: String {
        if let config { return config }
        if let directory = ProcessInfo.processInfo.environment["CONFIGURATION_DIRECTORY"], !directory.isEmpty {
            return (directory as NSString).appendingPathComponent("feedwatch.yaml")
        }
        return "/etc/feedwatch/feedwatch.yaml"
    }

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of debug, info, notice, warning, error, not '\(logLevel)'")
        }
    }

    /// The configuration, or a failure listing every problem (exit 1).
    func loadConfiguration() throws -> Daemon.Configuration {
        do {
            return try Daemon.Configuration.load(path: configurationPath)
        } catch {
            throw CommandFailure.invalidInput(error.description)
        }
    }

    /// Logs on stderr (journald priorities under systemd), then the engine over the configuration.
    func startEngine(_ configuration: Daemon.Configuration) async throws -> (FeedwatchEngine, Logger) {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { StandardErrorLogHandler(label: $0, level: level) }
        let logger = Logger(label: "feedwatch")
        do {
            return (try await FeedwatchEngine(configuration: configuration, logger: logger), logger)
        } catch {
            switch error {
            case .invalid: throw CommandFailure.invalidInput(error.description)
            case .runtime: throw CommandFailure.runtime(error.description)
            }
        }
    }
}

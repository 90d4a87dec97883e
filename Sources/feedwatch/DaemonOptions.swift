// SPDX-License-Identifier: MIT
import ArgumentParser
import Daemon
import Foundation
import Logging

/// `--config`, shared by every command that reads the configuration.
struct ConfigurationOption: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The configuration file.",
        discussion: "Default: $CONFIGURATION_DIRECTORY/feedwatch.yaml under systemd, else /etc/feedwatch/feedwatch.yaml.",
        valueName: "file"))
    var config: String?

    var configurationPath: String { config ?? Self.defaultPath() }

    /// Where the configuration is when no `--config` is given.
    static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let directory = environment["CONFIGURATION_DIRECTORY"], !directory.isEmpty {
            return (directory as NSString).appendingPathComponent("feedwatch.yaml")
        }
        return "/etc/feedwatch/feedwatch.yaml"
    }

    /// The configuration, or a failure listing every problem (exit 1).
    func loadConfiguration() throws -> Daemon.Configuration {
        do {
            return try Daemon.Configuration.load(path: configurationPath)
        } catch {
            throw failure(error)
        }
    }

    /// A configuration's errors as the command's failure (exit 1).
    func failure(_ errors: ConfigurationErrors) -> CommandFailure {
        .invalidInput(errors.description + Self.defaultHint(configurationPath, given: config != nil))
    }

    /// Says which default was read when the user gave no `--config` and it is missing.
    static func defaultHint(_ path: String, given: Bool) -> String {
        guard !given, !FileManager.default.fileExists(atPath: path) else { return "" }
        return "\nno --config was given, so the default \(path) was read; pass --config FILE (Config/feedwatch.yaml is a sample)"
    }
}

/// `--config` and `--log-level`, for the commands that run the engine (`run`, `once`).
struct DaemonOptions: ParsableArguments {
    @OptionGroup var configuration: ConfigurationOption

    @Option(help: "Least severe log messages shown: debug, info, notice, warning, error.")
    var logLevel: String = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of debug, info, notice, warning, error, not '\(logLevel)'")
        }
    }

    /// Logs on stderr (journald priorities under systemd), then the engine over the configuration (its
    /// rules loaded, its store open).
    func startEngine(_ configuration: Daemon.Configuration) async throws -> (FeedwatchEngine, Logger) {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { StandardErrorLogHandler(label: $0, level: level) }
        let logger = Logger(label: "feedwatch")
        do {
            return (try await FeedwatchEngine(configuration: configuration, logger: logger), logger)
        } catch {
            switch error {
            case .rules: throw CommandFailure.invalidInput(error.description)
            case .store: throw CommandFailure.runtime(error.description)
            }
        }
    }
}

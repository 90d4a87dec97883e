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

    /// The configuration, and its rules file being read since the configuration named it (while the
    /// feeds and sinks were read): for ``startEngine(_:rules:storeOpen:)``. Read while the command line
    /// was parsed when ``ConfigurationPrefetch`` took the same path from it.
    func loadConfigurationReadingRules() async throws -> (Daemon.Configuration, RuleSet.Reading?) {
        let path = configuration.configurationPath
        let loaded = await ConfigurationPrefetch.take(path: path) ?? ConfigurationPrefetch.load(path: path)
        switch loaded {
        case .success(let read): return read
        case .failure(let errors): throw configuration.failure(errors)
        }
    }

    /// Logs on stderr (journald priorities under systemd), then the engine over the configuration,
    /// returned once its store is open unless `storeOpen` is false (`once` fetches while a new store
    /// is created).
    func startEngine(
        _ configuration: Daemon.Configuration, rules: RuleSet.Reading?, storeOpen: Bool = true
    ) async throws -> (FeedwatchEngine, Logger) {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { StandardErrorLogHandler(label: $0, level: level) }
        let logger = Logger(label: "feedwatch")
        do {
            let engine = try await FeedwatchEngine(configuration: configuration, logger: logger, rules: rules)
            if storeOpen { try await engine.storeOpened() }
            return (engine, logger)
        } catch {
            switch error {
            case .invalid: throw CommandFailure.invalidInput(error.description)
            case .runtime: throw CommandFailure.runtime(error.description)
            }
        }
    }
}

// SPDX-License-Identifier: MIT
import Daemon
import Foundation
import Synchronization

/// `run` and `once` start reading their configuration (and the rules file, once it is named) on
/// another thread before ArgumentParser parses the command line: both stand between the start and
/// the first fetch, and they overlap (ArgumentParser's reflection takes 3–4 ms; 1,000 feeds of YAML
/// 7–12 ms; the first request goes out 2–4 ms sooner). The path is taken from the raw arguments as
/// `--config` gives it; the command uses what was read only if it resolves the same path, and
/// otherwise reads the configuration itself.
enum ConfigurationPrefetch {
    typealias Loaded = Result<(Daemon.Configuration, RuleSet.Reading?), ConfigurationErrors>

    private static let started = Mutex<(path: String, reading: Task<Loaded, Never>)?>(nil)

    /// Starts reading the configuration when `arguments` (program name first) run `run` or `once`.
    static func start(arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let path = configurationPath(in: arguments, environment: environment) else { return }
        let reading = Task {
            await withCheckedContinuation { continuation in
                // Seven or more milliseconds of YAML: a dispatch thread, not one of the task pool's two
                // (on two cores), which the command itself is about to run on.
                DispatchQueue.global().async { continuation.resume(returning: load(path: path, environment: environment)) }
            }
        }
        started.withLock { $0 = (path, reading) }
    }

    /// What was read for `path`, if a read was started for it; handed over once.
    static func take(path: String) async -> Loaded? {
        let reading = started.withLock { started in
            defer { started = nil }
            return started?.path == path ? started?.reading : nil
        }
        return await reading?.value
    }

    /// The configuration at `path`, with its rules file being read from the moment it is named.
    static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> Loaded {
        var rules: RuleSet.Reading?
        return Result { () throws(ConfigurationErrors) in
            let configuration = try Daemon.Configuration.load(path: path, environment: environment) { rules = RuleSet.reading(path: $0) }
            return (configuration, rules)
        }
    }

    /// The configuration file a `run` or `once` command line names (the last `--config`, else the
    /// default), or nil for any other command.
    static func configurationPath(in arguments: [String], environment: [String: String]) -> String? {
        guard arguments.count > 1, ["run", "once"].contains(arguments[1]) else { return nil }
        var path: String?
        var rest = arguments.dropFirst(2)
        while let argument = rest.popFirst(), argument != "--" {
            if argument == "--config" {
                path = rest.popFirst()
            } else if argument.hasPrefix("--config=") {
                path = String(argument.dropFirst("--config=".count))
            }
        }
        return path ?? ConfigurationOption.defaultPath(environment: environment)
    }
}

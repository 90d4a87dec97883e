// SPDX-License-Identifier: MIT
import ArgumentParser
import Daemon
import Foundation
import Rules
import Store

/// `feedwatch check [--config FILE] [--rules FILE]`: validate the configuration and the rules,
/// reporting every error.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the configuration and the rules; list every error as file:line:column.",
        discussion: """
            --config checks feedwatch.yaml (keys, types, values, duplicate feeds), then what it needs of this \
            machine (the state directory and alert files writable, exec programs executable, webhook header \
            files readable), the state database when there is one (SQLite's quick check of every page: 1.1 s for \
            an 822 MB database in the page cache, plus the time to read it from disk) or, with `store: \
            postgresql://…`, whether that database answers (its schema made or brought up to date), and then the rules file it \
            names; --rules checks a rules file on its own (or \
            instead of the configuration's). With neither, the configuration `run` reads is checked: \
            $CONFIGURATION_DIRECTORY/feedwatch.yaml under systemd, else /etc/feedwatch/feedwatch.yaml. Exits 0 when \
            everything is valid, 1 when anything is not (a file with an error is rejected as a whole), and 3 when \
            the state database is damaged (the message says how to recover it) or the shared database does not answer.
            """
    )

    @Option(help: "The configuration file (feedwatch.yaml); default: the one `run` reads.")
    var config: String?

    @Option(help: "The rules file (default: the one the configuration names).")
    var rules: String?

    func run() async throws {
        var rulesFile = rules
        if let config = config ?? (rules == nil ? ConfigurationOption.defaultPath() : nil) {
            let loaded: Daemon.Configuration
            do {
                loaded = try Daemon.Configuration.load(path: config)
            } catch {
                let count = error.errors.count
                throw CommandFailure.invalidInput(
                    error.description + "\n\(config): \(count) error\(count == 1 ? "" : "s"); the file is rejected as a whole"
                        + ConfigurationOption.defaultHint(config, given: self.config != nil))
            }
            let problems = loaded.environmentProblems()
            if !problems.isEmpty {
                let count = problems.count
                throw CommandFailure.invalidInput(
                    problems.map(\.description).joined(separator: "\n") + "\n\(config): \(count) problem\(count == 1 ? "" : "s") on this machine")
            }
            print("\(config): \(loaded.feeds.count) feed\(loaded.feeds.count == 1 ? "" : "s"), \(loaded.sinks.count) sink\(loaded.sinks.count == 1 ? "" : "s"), no errors")
            try await checkState(loaded)
            rulesFile = rulesFile ?? loaded.rulesFile
        }
        if let rulesFile {
            let parsed = try RulesInput.rules(at: rulesFile)
            print("\(rulesFile): \(parsed.count) rule\(parsed.count == 1 ? "" : "s"), no errors")
        }
    }

    /// The state database, when there is one: SQLite's quick check of every page (exit 3 when damaged);
    /// a cluster's database answers, its schema made or brought up to date (exit 3 when it does not).
    private func checkState(_ configuration: Daemon.Configuration) async throws {
        if let location = configuration.store {
            do {
                try await configuration.openStore().ping()
            } catch {
                throw CommandFailure.runtime(error.description)
            }
            print("\(location): answers, schema version \(PostgresStore.schemaVersion)")
            return
        }
        let path = SQLiteStore.databasePath(in: configuration.stateDirectory)
        guard FileManager.default.fileExists(atPath: path) else { return }
        let clock = ContinuousClock()
        let start = clock.now
        do {
            try SQLiteStore.verify(path, thorough: false)
        } catch {
            throw CommandFailure.runtime(error.description)
        }
        let seconds = (clock.now - start).components
        print("\(path): not damaged (quick check in \(String(format: "%.2f", Double(seconds.seconds) + Double(seconds.attoseconds) / 1e18)) s)")
    }
}

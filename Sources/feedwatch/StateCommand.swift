// SPDX-License-Identifier: MIT
import ArgumentParser
import Daemon
import Foundation
import Store

/// `feedwatch state backup PATH` and `feedwatch state check`: the state database, while the daemon runs.
struct StateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Back up or check the state database (safe while the daemon runs).",
        subcommands: [Backup.self, Check.self]
    )

    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a consistent copy of the state database to PATH.",
            discussion: """
                A copy of one moment (SQLite's VACUUM INTO on a read-only connection), taken while the daemon runs \
                without holding up its writes; written beside PATH and renamed over it. For a nightly backup, see \
                the README's systemd section. To restore: stop feedwatch, copy the backup to \
                STATE_DIR/feedwatch.sqlite (removing feedwatch.sqlite-wal and -shm), start it.
                """
        )

        @OptionGroup var options: ConfigurationOption

        @Argument(help: "Where the copy goes (a file; replaced if it exists).")
        var path: String

        func run() async throws {
            let configuration = try options.loadConfiguration()
            let source = try existingDatabase(configuration)
            do {
                try SQLiteStore.backup(source, to: path)
            } catch {
                throw CommandFailure.runtime(error.description)
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            print("\(source) backed up to \(path) (\(size) bytes)")
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the whole state database (SQLite's integrity_check); exit 3 when it is damaged."
        )

        @OptionGroup var options: ConfigurationOption

        func run() async throws {
            let configuration = try options.loadConfiguration()
            let source = try existingDatabase(configuration)
            do { try SQLiteStore.verify(source, thorough: true) } catch { throw CommandFailure.runtime(error.description) }
            print("\(source): not damaged (integrity check)")
        }
    }
}

/// The configuration's state database, which must exist already.
private func existingDatabase(_ configuration: Daemon.Configuration) throws -> String {
    if let store = configuration.store {
        throw CommandFailure.invalidInput(
            "`state` backs up and checks the embedded SQLite database; this configuration keeps its state in \(store): use pg_dump and PostgreSQL's own checks")
    }
    let path = SQLiteStore.databasePath(in: configuration.stateDirectory)
    guard FileManager.default.fileExists(atPath: path) else {
        throw CommandFailure.runtime("there is no state database at \(path) yet (it is created by the first `run` or `once`)")
    }
    return path
}

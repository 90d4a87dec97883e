// SPDX-License-Identifier: MIT
import ArgumentParser
import Daemon
import Foundation

/// `feedwatch once`: one poll cycle, then exit.
struct OnceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "once",
        abstract: "Poll every due feed once, deliver the alerts, print a summary and exit.",
        discussion: """
            For cron and tests. A feed is due when its next poll time (interval, cache headers, backoff) has \
            come; --all polls every feed regardless. On a terminal a progress line shows feeds done, new \
            entries, alerts and errors. The summary goes to stderr. Exits 3 when no feed could be fetched.
            """
    )

    @OptionGroup var options: DaemonOptions

    @Flag(help: "Poll every configured feed, due or not.")
    var all = false

    func run() async throws {
        let (engine, _) = try await options.startEngine(try options.configuration.loadConfiguration())
        // On a terminal a progress line, kept below the log lines (they share standard error).
        let live = isatty(2) == 1
        let output = StandardErrorOutput.standardError
        let summary = await engine.pollOnce(all: all) { progress in
            guard live else { return }
            output.showStatus("[\(progress.done)/\(progress.total)] \(progress.newEntries) new, \(progress.alerts) alerts, \(progress.failed) errors")
        }
        output.clearStatus()
        output.write(lines: "feedwatch: \(summary.done == 0 ? "no feed was due" : summary.line)\n")
        await engine.stop()
        if summary.done > 0 && summary.failed == summary.done {
            throw CommandFailure.runtime("no feed could be fetched")
        }
        // Everything is on disk (the store commits each poll; sinks have delivered). Taking down a big
        // rule set and the store object by object would only cost time — a tenth of a 10,000-feed
        // cycle — so the process ends with the engine still standing.
        withExtendedLifetime(engine) { Foundation.exit(0) }
    }
}

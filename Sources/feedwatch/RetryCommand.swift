// SPDX-License-Identifier: MIT
import ArgumentParser
import Daemon
import Store

/// `feedwatch retry [--sink NAME]`: dead letters back into the outbox.
struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Offer dead letters to their sinks again.",
        discussion: """
            An alert a sink failed to take `attempts` times becomes a dead letter (`feedwatch status` counts \
            them, with the last error). Once the sink is mended, this puts them back in the outbox with \
            their attempts counted afresh: a running daemon delivers them within a second, else the next \
            `feedwatch once` does. Without --sink, every configured sink's dead letters are retried.
            """
    )

    @OptionGroup var options: ConfigurationOption

    @Option(help: "Only this sink's dead letters (its `name`, as `feedwatch status` shows it).")
    var sink: String?

    func run() async throws {
        let configuration = try options.loadConfiguration()
        let configured = configuration.sinks.map(\.name)
        if let sink, !configured.contains(sink) {
            throw CommandFailure.invalidInput(
                "no sink named '\(sink)' in \(configuration.file); the sinks are: \(configured.joined(separator: ", "))")
        }
        let requeued: [String: Int]
        let depth: (pending: [String: Int], dead: [String: Int])
        do {
            let store = try await configuration.openStore()
            requeued = try await store.requeueDeadLetters(sinks: sink.map { [$0] } ?? configured)
            depth = try await store.outboxDepth()
        } catch {
            throw CommandFailure.runtime(error.description)
        }
        if requeued.isEmpty { print("no dead letters to retry" + (sink.map { " for \($0)" } ?? "")) }
        for (name, count) in requeued.sorted(by: { $0.key < $1.key }) {
            print("\(name): \(count) dead letter\(count == 1 ? "" : "s") back in the outbox")
        }
        for (name, count) in depth.dead.sorted(by: { $0.key < $1.key }) where !configured.contains(name) {
            print("\(name): \(count) dead letter\(count == 1 ? "" : "s") left alone: no sink of that name is configured now")
        }
    }
}

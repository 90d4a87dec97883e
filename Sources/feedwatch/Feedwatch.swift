// SPDX-License-Identifier: MIT
import ArgumentParser

/// The `feedwatch` command line: thin subcommands over the library modules.
@main
struct Feedwatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedwatch",
        abstract: "Watch news feeds for the stories you care about.",
        discussion: """
            Exit codes: 0 ok, 1 invalid input (config, rules, feed, page), 2 usage, 3 runtime failure.
            """,
        version: FeedwatchVersion.string,
        subcommands: [ParseCommand.self]
    )
}

enum FeedwatchVersion {
    static let string = "0.1.0"
}

// SPDX-License-Identifier: MIT
import ArgumentParser
import Foundation

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
        subcommands: [
            RunCommand.self, OnceCommand.self, StatusCommand.self, TailCommand.self, RetryCommand.self, StateCommand.self, FeedsCommand.self, CheckCommand.self, RulesCommand.self, TraceCommand.self, ParseCommand.self, FetchCommand.self, ExtractCommand.self, MatchCommand.self, ExplainCommand.self,
        ]
    )

    static func main() async {
        // Commands run on a worker thread, whose malloc arena otherwise grows a page range at a time
        // (an mprotect call each); a generous top pad keeps large documents from paying for that.
        _ = glibcMallopt(mallocTopPad, 64 << 20)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("feedwatch: \(failure.message)\n".utf8))
            Foundation.exit(failure.code)
        } catch {
            // Help, version and usage errors, as ArgumentParser words them; usage errors exit 2.
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                print(message)
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((message + "\n").utf8))
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// glibc's `mallopt(3)`; Swift's Glibc module does not import `<malloc.h>`.
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
/// `M_TOP_PAD` from `<malloc.h>`.
private let mallocTopPad: Int32 = -2

enum FeedwatchVersion {
    static let string = "0.1.0"
}

// SPDX-License-Identifier: MIT
import ArgumentParser
import Rules

/// `feedwatch check --rules FILE`: validate a rules file, reporting every error.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a rules file; list every error as file:line:column with a caret.",
        discussion: "Exits 0 when the file is valid and 1 when it has errors (the file would be rejected as a whole)."
    )

    @Option(help: "The rules file.")
    var rules: String

    func run() throws {
        let parsed = try RulesInput.rules(at: rules)
        print("\(rules): \(parsed.count) rule\(parsed.count == 1 ? "" : "s"), no errors")
    }
}

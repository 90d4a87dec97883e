// SPDX-License-Identifier: MIT
import ArgumentParser
import Daemon
import Foundation

/// `feedwatch feeds list|add|remove|import|export`: the configuration's feed list.
struct FeedsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feeds",
        abstract: "List, add, remove, import (OPML) or export (OPML) the configured feeds.",
        discussion: """
            add, remove and import edit the configuration file in place (comments and layout are kept) and \
            check the result before writing it; a running daemon picks the change up on SIGHUP \
            (systemctl reload feedwatch).
            """,
        subcommands: [List.self, Add.self, Remove.self, Import.self, Export.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Print each feed's URL and name, one per line.")
        @OptionGroup var options: ConfigurationOption
        func run() throws {
            for feed in try options.loadConfiguration().feeds {
                print(feed.name.map { "\(feed.url)\t\($0)" } ?? feed.url)
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a feed to the configuration.")
        @OptionGroup var options: ConfigurationOption
        @Argument(help: "The feed's http(s) URL.") var url: String
        @Option(help: "A name for the feed.") var name: String?
        func run() throws {
            try FeedsCommand.edit(options) { text, path throws(ConfigurationErrors) in
                try ConfigurationEditor.adding([OPML.Outline(url: url, title: name)], to: text, path: path)
            }
            print("added \(url)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a feed from the configuration.")
        @OptionGroup var options: ConfigurationOption
        @Argument(help: "The feed's URL as configured.") var url: String
        func run() throws {
            try FeedsCommand.edit(options) { text, path throws(ConfigurationErrors) in
                try ConfigurationEditor.removing(url, from: text, path: path)
            }
            print("removed \(url)")
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "import", abstract: "Add the feeds of an OPML file that are not configured yet.")
        @OptionGroup var options: ConfigurationOption
        @Argument(help: "An OPML file.") var file: String
        func run() throws {
            let bytes: [UInt8]
            do {
                bytes = try InputFile.read(file, limit: 16 << 20)
            } catch {
                throw CommandFailure.invalidInput("\(file): \(error)")
            }
            let outlines = OPML.outlines(bytes)
            guard !outlines.isEmpty else { throw CommandFailure.invalidInput("\(file): no <outline xmlUrl=…> feeds in it") }
            let known = Set(try options.loadConfiguration().feeds.map(\.url))
            var seen = known
            let fresh = outlines.filter { seen.insert($0.url).inserted }
            if !fresh.isEmpty {
                try FeedsCommand.edit(options) { text, path throws(ConfigurationErrors) in
                    try ConfigurationEditor.adding(fresh, to: text, path: path)
                }
            }
            print("imported \(fresh.count) feeds; \(outlines.count - fresh.count) were already configured")
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export", abstract: "Print the configured feeds as OPML.")
        @OptionGroup var options: ConfigurationOption
        func run() throws {
            let feeds = try options.loadConfiguration().feeds.map { OPML.Outline(url: $0.url, title: $0.name) }
            print(OPML.document(feeds), terminator: "")
        }
    }

    /// Rewrites the configuration file through `change`, atomically (a temporary file renamed over it).
    static func edit(_ options: ConfigurationOption, _ change: (String, String) throws(ConfigurationErrors) -> String) throws {
        let path = options.configurationPath
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CommandFailure.invalidInput("\(path): cannot read the configuration: \(error.localizedDescription)")
        }
        let edited: String
        do {
            edited = try change(text, path)
        } catch {
            throw CommandFailure.invalidInput(error.description)
        }
        do {
            try edited.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw CommandFailure.runtime("\(path): cannot write the configuration: \(error.localizedDescription)")
        }
    }
}

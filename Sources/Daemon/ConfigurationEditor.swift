// SPDX-License-Identifier: MIT
import Foundation
import Yams

/// Edits the `feeds:` list of a configuration file as text, so that comments and layout survive, and
/// checks the result before anyone writes it.
public enum ConfigurationEditor {
    /// `text` with `feeds` appended to its `feeds:` list.
    public static func adding(_ feeds: [OPML.Outline], to text: String, path: String) throws(ConfigurationErrors) -> String {
        var lines = text.components(separatedBy: "\n")
        let block = try feedsBlock(text, path: path)
        let indent = String(repeating: " ", count: block.itemIndent)
        var added: [String] = []
        for feed in feeds {
            added.append("\(indent)- url: \(quoted(feed.url))")
            if let title = feed.title { added.append("\(indent)  name: \(quoted(title))") }
        }
        lines.insert(contentsOf: added, at: block.end)
        return try checked(lines.joined(separator: "\n"), path: path)
    }

    /// `text` without the feed whose `url` is `url`.
    public static func removing(_ url: String, from text: String, path: String) throws(ConfigurationErrors) -> String {
        var lines = text.components(separatedBy: "\n")
        let block = try feedsBlock(text, path: path)
        guard let index = block.items.firstIndex(where: { $0.url == url }) else {
            throw ConfigurationErrors(errors: [ConfigurationError(file: path, line: 1, column: 1, message: "no feed with url '\(url)' is configured")])
        }
        let start = block.items[index].line
        let end = index + 1 < block.items.count ? block.items[index + 1].line : block.end
        lines.removeSubrange(start..<end)
        return try checked(lines.joined(separator: "\n"), path: path)
    }

    /// Where the feed list lies: 0-based line of each item's `-`, the line before which new items go,
    /// and the items' indentation.
    private struct FeedsBlock {
        var items: [(url: String, line: Int)]
        var end: Int
        var itemIndent: Int
    }

    private static func feedsBlock(_ text: String, path: String) throws(ConfigurationErrors) -> FeedsBlock {
        let lines = text.components(separatedBy: "\n")
        func failure(_ message: String) -> ConfigurationErrors {
            ConfigurationErrors(errors: [ConfigurationError(file: path, line: 1, column: 1, message: message)])
        }
        guard let root = try? Yams.compose(yaml: text), case .mapping(let mapping) = root,
              let feedsKey = mapping.keys.first(where: { $0.string == "feeds" }),
              case .sequence(let sequence)? = mapping[feedsKey], !sequence.isEmpty
        else { throw failure("no block-style `feeds:` list to edit; fix the file with `feedwatch check` first") }
        var items: [(url: String, line: Int)] = []
        for item in sequence {
            guard let mark = item.mark else { continue }
            var line = mark.line - 1
            while line > 0 && !lines[line].trimmingCharacters(in: .whitespaces).hasPrefix("-") { line -= 1 }
            items.append((item.mapping?["url"]?.string ?? "", line))
        }
        // The block ends at the next top-level key after the list (comments and blank lines before it
        // stay with it), or at the end of the file.
        let nextKeyLine = mapping.keys.compactMap { $0.mark?.line }.filter { $0 - 1 > feedsKey.mark!.line - 1 && $0 - 1 > (items.last?.line ?? 0) }.min()
        var end = nextKeyLine.map { $0 - 1 } ?? lines.count
        while end > (items.last?.line ?? 0) + 1 {
            let previous = lines[end - 1].trimmingCharacters(in: .whitespaces)
            guard previous.isEmpty || (previous.hasPrefix("#") && !lines[end - 1].hasPrefix(" ")) else { break }
            end -= 1
        }
        let first = lines[items.first?.line ?? 0]
        let indent = first.prefix { $0 == " " }.count
        return FeedsBlock(items: items, end: end, itemIndent: indent)
    }

    private static func checked(_ text: String, path: String) throws(ConfigurationErrors) -> String {
        _ = try Configuration.parse(text, path: path)
        return text
    }

    /// A YAML scalar that reads back as `value`.
    private static func quoted(_ value: String) -> String {
        let plain = value.allSatisfy { $0.isLetter || $0.isNumber || "-_./:?=&%~+@ ".contains($0) }
            && !value.hasPrefix(" ") && !value.hasSuffix(" ") && !value.contains(": ") && !value.contains(" #")
        if plain { return value }
        return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

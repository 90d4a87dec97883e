// SPDX-License-Identifier: MIT
import Foundation
import Rules

/// Reading rules files and article JSON for the rule commands.
enum RulesInput {
    /// The rules of `path`; every error of the file is reported and the command fails with exit 1.
    static func rules(at path: String) throws -> [Rule] {
        let bytes: [UInt8]
        do {
            bytes = try InputFile.read(path, limit: 256 << 20)
        } catch {
            throw CommandFailure.invalidInput("\(path): cannot read the rules file: \(error)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CommandFailure.invalidInput("\(path): the rules file is not valid UTF-8")
        }
        do {
            return try RuleFile.parse(text, path: path, threads: ProcessInfo.processInfo.activeProcessorCount)
        } catch {
            let count = error.errors.count
            throw CommandFailure.invalidInput(
                error.description + "\n\(path): \(count) error\(count == 1 ? "" : "s"); the file is rejected as a whole")
        }
    }

    /// An article from one JSON object: `id`, `title`, `body`, and optionally `author`, `feed`, `url`,
    /// `categories` (an array of strings, or `category`, a string).
    static func article(fromJSON line: Data, origin: String) throws -> Article {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: line, options: [.fragmentsAllowed])
        } catch {
            throw CommandFailure.invalidInput("\(origin): not valid JSON")
        }
        guard let fields = object as? [String: Any] else {
            throw CommandFailure.invalidInput("\(origin): expected a JSON object with \"id\", \"title\" and \"body\"")
        }
        func text(_ key: String) -> String {
            switch fields[key] {
            case let s as String: return s
            case nil, is NSNull: return ""
            case let other: return String(describing: other)
            }
        }
        var categories = (fields["categories"] as? [Any])?.compactMap { $0 as? String } ?? []
        if let single = fields["category"] as? String { categories.append(single) }
        return Article(
            id: identifier(fields["id"]), title: text("title"), body: text("body"), author: text("author"),
            feed: text("feed"), url: text("url"), categories: categories)
    }

    /// The id as Python's `str()` prints it, so output lines match the reference matcher's.
    private static func identifier(_ value: Any?) -> String {
        switch value {
        case let s as String: return s
        case let n as NSNumber:
            let value = n.doubleValue
            if value.rounded() == value, abs(value) < 1e15, !"\(n)".contains(".") { return String(n.int64Value) }
            return "\(value)"
        case nil, is NSNull: return "None"
        default: return String(describing: value!)
        }
    }
}

// SPDX-License-Identifier: MIT

/// A field of an article that rule leaves search (RULES.md section 1).
public enum Field: Int, CaseIterable, Sendable, CustomStringConvertible {
    case title = 0, body, author, feed, url, category

    public var description: String {
        switch self {
        case .title: "title"
        case .body: "body"
        case .author: "author"
        case .feed: "feed"
        case .url: "url"
        case .category: "category"
        }
    }

    /// The field named `name` in a scope (`title:`), or `nil`.
    public init?(name: String) {
        guard let field = Field.allCases.first(where: { $0.description == name }) else { return nil }
        self = field
    }
}

/// A set of fields: the scope of a leaf.
public struct FieldSet: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public init(_ field: Field) { rawValue = 1 << UInt8(field.rawValue) }

    /// Unscoped leaves search the title and the body only.
    public static let unscoped: FieldSet = [FieldSet(.title), FieldSet(.body)]

    public func contains(_ field: Field) -> Bool { rawValue & (1 << UInt8(field.rawValue)) != 0 }

    /// The fields in the set, in order.
    public var fields: [Field] { Field.allCases.filter(contains) }
}

/// A parsed watch rule (RULES.md section 4). Scopes are resolved onto the leaves.
public indirect enum RuleNode: Hashable, Sendable {
    /// A word in the scope.
    case term(String, FieldSet)
    /// Some word in the scope starts with the stem.
    case prefix(String, FieldSet)
    /// The words at consecutive positions in one field of the scope (two or more words).
    case phrase([String], FieldSet)
    case and([RuleNode])
    case or([RuleNode])
    case not(RuleNode)
    /// At most `n` words between the two operands, in either order, in one field.
    case near(Int, RuleNode, RuleNode)

    /// True for what NEAR accepts as an operand: a term, prefix, phrase, or an OR of those.
    var isSpannable: Bool {
        switch self {
        case .term, .prefix, .phrase: true
        case .or(let children): children.allSatisfy(\.isSpannable)
        default: false
        }
    }
}

extension RuleNode: CustomStringConvertible {
    /// The rule in the language's own syntax, fully parenthesised; parsing it gives this node back.
    public var description: String { printed(topLevel: true) }

    private func printed(topLevel: Bool) -> String {
        switch self {
        case .term(let word, let scope): return Self.scoped(scope, word)
        case .prefix(let stem, let scope): return Self.scoped(scope, stem + "*")
        case .phrase(let words, let scope): return Self.scoped(scope, "\"" + words.joined(separator: " ") + "\"")
        case .and(let children): return group(children.map { $0.printed(topLevel: false) }.joined(separator: " AND "), topLevel)
        case .or(let children): return group(children.map { $0.printed(topLevel: false) }.joined(separator: " OR "), topLevel)
        case .not(let child): return "NOT " + child.printed(topLevel: false)
        case .near(let n, let a, let b):
            return group(a.printed(topLevel: false) + " NEAR/\(n) " + b.printed(topLevel: false), topLevel)
        }
    }

    private func group(_ text: String, _ topLevel: Bool) -> String { topLevel ? text : "(" + text + ")" }

    private static func scoped(_ scope: FieldSet, _ text: String) -> String {
        if scope == .unscoped { return text }
        // A leaf carries one field when a scope was written (`title:x`).
        return scope.fields.map { $0.description + ":" + text }.joined(separator: " ")
    }
}

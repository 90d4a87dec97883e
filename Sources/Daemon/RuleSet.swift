// SPDX-License-Identifier: MIT
public import Rules
import Foundation
import Synchronization

/// The watch rules in force: a compiled matcher that every poll shares, swapped whole on reload.
/// Matching borrows a context from a small pool (a context is sized to the rule set), so concurrent
/// polls never allocate one per article.
public final class RuleSet: Sendable {
    public let rules: [Rule]
    /// Where the rules came from, for logs.
    public let path: String
    private let byName: [String: Rule]
    private let state: Mutex<(matcher: RuleMatcher, pool: [ContextBox])>

    public init(_ rules: [Rule], path: String) {
        self.rules = rules
        self.path = path
        byName = Dictionary(rules.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        state = Mutex((RuleMatcher(rules), []))
    }

    /// Reads and compiles a rules file; any error rejects it whole.
    public static func load(path: String) throws(RuleSetError) -> RuleSet {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw RuleSetError(messages: ["\(path):1:1: cannot read the rules file: \(error.localizedDescription)"])
        }
        do {
            return RuleSet(try RuleFile.parse(text, path: path), path: path)
        } catch {
            throw RuleSetError(messages: error.errors.map(\.headline))
        }
    }

    public func rule(named name: String) -> Rule? { byName[name] }

    /// The rules `article` matches, in name order.
    public func match(_ article: Article) -> [Rule] {
        guard !rules.isEmpty else { return [] }
        let (matcher, box) = state.withLock { state in
            (state.matcher, state.pool.popLast())
        }
        let working = box ?? ContextBox(matcher.makeContext())
        let names = matcher.match(article, in: &working.context)
        state.withLock { state in
            state.matcher.learn(from: &working.context)
            if state.pool.count < 8 { state.pool.append(working) }
        }
        return names.compactMap { byName[$0] }
    }
}

/// A match context in the pool. A context holds buffers by reference, so it is not `Sendable`; a box
/// is safe to pass between tasks because the pool hands each one to a single task at a time, taken
/// and returned under the lock.
private final class ContextBox: @unchecked Sendable {
    var context: MatchContext
    init(_ context: MatchContext) { self.context = context }
}

/// A rules file that was rejected, with every problem as `file:line:col: message`.
public struct RuleSetError: Error, Sendable, CustomStringConvertible {
    public let messages: [String]
    public var description: String { messages.joined(separator: "\n") }
}

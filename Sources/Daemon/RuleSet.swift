// SPDX-License-Identifier: MIT
public import Rules
import Foundation
import Store
import Synchronization

/// The watch rules in force: a compiled matcher that every poll shares, swapped whole on reload.
/// The rules are parsed and checked when the set is made (a file with an error never becomes one);
/// the matcher's index is built in the background when first asked for (``prepare()``, which the
/// daemon calls at once, or the first match), so a `once` whose polls match nothing (first fetches,
/// 304s) never builds it — with 100,000 rules that is most of a second. Matching borrows a context
/// from a small pool (a context is sized to the rule set), so concurrent polls never allocate one per
/// article.
public final class RuleSet: Sendable {
    public let rules: [Rule]
    /// Where the rules came from, for logs.
    public let path: String
    private let byName: [String: Rule]
    private let state = Mutex<State>(State())

    private struct State {
        var compiling: Task<RuleMatcher, Never>?
        var matcher: RuleMatcher?
        var pool: [ContextBox] = []
    }

    /// A digest of the rules file's text: instances of one cluster compare theirs.
    public let digest: String

    public init(_ rules: [Rule], path: String, digest: String) {
        self.rules = rules
        self.path = path
        self.digest = digest
        byName = Dictionary(rules.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Starts building the matcher in the background, unless it is built or being built.
    public func prepare() { _ = compilation() }

    /// Returns once the matcher is built (building it if nobody asked yet).
    public func compiled() async { _ = await compilation().value }

    private func compilation() -> Task<RuleMatcher, Never> {
        state.withLock { state in
            if let compiling = state.compiling { return compiling }
            let rules = rules
            let task = Task.detached { RuleMatcher(rules) }
            state.compiling = task
            return task
        }
    }

    /// Reads and parses a rules file (its matcher is built later: ``prepare()``); any error rejects it whole.
    public static func load(path: String) throws(RuleSetError) -> RuleSet {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw RuleSetError(messages: ["\(path):1:1: cannot read the rules file: \(error.localizedDescription)"])
        }
        do {
            return RuleSet(try RuleFile.parse(text, path: path, threads: ProcessInfo.processInfo.activeProcessorCount), path: path,
                           digest: StableHash.hex(text))
        } catch {
            throw RuleSetError(messages: error.errors.map(\.headline))
        }
    }

    public func rule(named name: String) -> Rule? { byName[name] }

    /// The rules `article` matches, in name order (waiting for the matcher the first time).
    public func match(_ article: Article) async -> [Rule] {
        guard !rules.isEmpty else { return [] }
        let borrowed = state.withLock { state in state.matcher.map { ($0, state.pool.popLast()) } }
        let matcher: RuleMatcher
        let box: ContextBox?
        if let borrowed {
            (matcher, box) = borrowed
        } else {
            matcher = await compilation().value
            box = nil
        }
        let working = box ?? ContextBox(matcher.makeContext())
        let names = matcher.match(article, in: &working.context)
        state.withLock { state in
            if state.matcher == nil { state.matcher = matcher }
            state.matcher!.learn(from: &working.context)
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

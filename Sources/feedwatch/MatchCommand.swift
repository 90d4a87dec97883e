// SPDX-License-Identifier: MIT
import ArgumentParser
import Dispatch
import Foundation
import Rules

/// `feedwatch match --rules FILE [ARTICLES.jsonl]`: which rules each article matches.
struct MatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Match articles against a rules file.",
        discussion: """
            Reads JSON lines {"id", "title", "body"} (optionally "author", "feed", "url", "categories") from \
            the file or from stdin, and prints one line per article, in input order: the id, a tab, and the \
            names of the matching rules in byte order, separated by spaces.
            """
    )

    @Option(help: "The rules file.")
    var rules: String

    @Argument(help: "JSON-lines file of articles (default: stdin).")
    var articles: String?

    @Option(help: "Threads to match with.")
    var jobs: Int = 1

    @Flag(help: "Print timing to stderr.")
    var stats = false

    func validate() throws {
        guard jobs >= 1 && jobs <= 256 else { throw ValidationError("--jobs must be between 1 and 256") }
    }

    func run() throws {
        let loadStart = ContinuousClock.now
        var matcher = RuleMatcher(try RulesInput.rules(at: rules))
        let loadTime = ContinuousClock.now - loadStart
        let input: FileHandle
        let origin = articles ?? "<stdin>"
        if let articles {
            guard let handle = FileHandle(forReadingAtPath: articles) else {
                throw CommandFailure.invalidInput("\(articles): cannot open the articles file")
            }
            input = handle
        } else {
            input = FileHandle.standardInput
        }
        var contexts = (0..<jobs).map { _ in matcher.makeContext() }
        var lineNumber = 0
        var matchTime = Duration.zero
        var total = 0
        var reader = LineReader(input)
        while true {
            var batch: [Article] = []
            while batch.count < 512 * jobs, let line = reader.next() {
                lineNumber += 1
                guard line.contains(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0D) }) else { continue }
                batch.append(try RulesInput.article(fromJSON: line, origin: "\(origin):\(lineNumber)"))
            }
            if batch.isEmpty { break }
            let start = ContinuousClock.now
            let results = Self.match(batch, matcher: matcher, contexts: &contexts)
            matchTime += ContinuousClock.now - start
            total += batch.count
            for k in contexts.indices { matcher.learn(from: &contexts[k]) }
            var out = ""
            for (article, matched) in zip(batch, results) {
                out += article.id + "\t" + matched.map { matcher.names[Int($0)] }.joined(separator: " ") + "\n"
            }
            StandardOutput.write(Array(out.utf8))
        }
        if stats {
            let seconds = Double(matchTime.components.seconds) + Double(matchTime.components.attoseconds) / 1e18
            let load = Double(loadTime.components.seconds) + Double(loadTime.components.attoseconds) / 1e18
            FileHandle.standardError.write(Data(String(
                format: "feedwatch: rules=%d docs=%d jobs=%d load+compile=%.2fs match=%.3fs docs/s=%.0f candidates/doc=%.0f\n",
                matcher.count, total, jobs, load, seconds, Double(total) / max(seconds, 1e-9),
                Double(contexts.reduce(0) { $0 + $1.evaluatedRules }) / Double(max(total, 1))).utf8))
        }
    }

    /// Matches a batch on `contexts.count` threads, each with its own context; results in input order.
    static func match(_ batch: [Article], matcher: RuleMatcher, contexts: inout [MatchContext]) -> [[Int32]] {
        match(batch, matcher: matcher, contexts: &contexts) { _, matched, _ in matched }
    }

    /// Matches a batch on one worker per context and hands each article's matching rules (indices
    /// into the matcher's names) to `then` on the same worker, with a way to read a match's evidence
    /// (its ranges, for a snippet) while the article is still loaded in the worker's context.
    /// Results in batch order.
    static func match<Result: Sendable>(
        _ batch: [Article], matcher: RuleMatcher, contexts: inout [MatchContext],
        then: @Sendable (_ article: Int, _ matched: [Int32], _ evidence: (Int32) -> MatchEvidence) -> Result
    ) -> [Result] {
        let boxes = contexts.map(ContextBox.init)
        let results = IndexedResults<Result?>(count: batch.count, initial: nil)
        DispatchQueue.concurrentPerform(iterations: boxes.count) { worker in
            let box = boxes[worker]
            var k = worker
            while k < batch.count {
                let matched = matcher.matchIndices(batch[k], in: &box.context)
                results.store(k, then(k, matched) { matcher.evidence(of: $0, in: batch[k], context: &box.context, withWords: false) })
                k += boxes.count
            }
        }
        contexts = boxes.map(\.context)
        return results.values.map { $0! }
    }
}

/// One worker's context, moved into the worker and back.
private final class ContextBox: @unchecked Sendable {
    // Safe: each box is used by exactly one worker of one concurrentPerform at a time.
    var context: MatchContext
    init(_ context: MatchContext) { self.context = context }
}

/// Reads a file line by line (split on `\n`), in large chunks.
struct LineReader {
    private let handle: FileHandle
    private var buffer = Data()
    private var finished = false

    init(_ handle: FileHandle) { self.handle = handle }

    mutating func next() -> Data? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<newline]
                buffer = buffer[(newline + 1)...]
                return Data(line)
            }
            if finished {
                guard !buffer.isEmpty else { return nil }
                defer { buffer = Data() }
                return Data(buffer)
            }
            let chunk = handle.readData(ofLength: 1 << 20)
            if chunk.isEmpty { finished = true } else { buffer.append(chunk) }
        }
    }
}

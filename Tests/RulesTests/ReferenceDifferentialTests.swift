// SPDX-License-Identifier: MIT
import Foundation
import TestSupport
import Testing
@testable import Rules

/// Feedwatch's matcher against the normative reference, `../shared/tools/ref_match.py`: on rule sets
/// and articles from `gen.py` and from the adversarial generator, the outputs must be identical.
struct ReferenceDifferentialTests {
    static let tools = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/tools")

    private struct PythonFailed: Error, CustomStringConvertible {
        let description: String
    }

    private static func python(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let detail = String(decoding: message, as: UTF8.self)
        if process.terminationStatus != 0 {
            throw PythonFailed(description: "python3 \(arguments.joined(separator: " ")) failed: \(detail)")
        }
    }

    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("feedwatch-diff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Our output for a rules file and a JSON-lines file, in the reference's format.
    private static func ours(rules: URL, articles: URL) throws -> String {
        let parsed = try RuleFile.parse(String(contentsOf: rules, encoding: .utf8), path: rules.path)
        var matcher = RuleMatcher(parsed)
        var context = matcher.makeContext()
        var out = ""
        for (index, line) in try String(contentsOf: articles, encoding: .utf8).split(separator: "\n").enumerated() {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let article = Article(id: object["id"] as! String, title: object["title"] as? String ?? "", body: object["body"] as? String ?? "")
            out += article.id + "\t" + matcher.match(article, in: &context).joined(separator: " ") + "\n"
            if index % 64 == 63 { matcher.learn(from: &context) }
        }
        return out
    }

    private static func reference(rules: URL, articles: URL, in directory: URL) throws -> String {
        let out = directory.appendingPathComponent("ref.out")
        try python([Self.tools.appendingPathComponent("ref_match.py").path, "--rules", rules.path, "--articles", articles.path,
                    "--out", out.path])
        return try String(contentsOf: out, encoding: .utf8)
    }

    @Test(arguments: [(1, false), (2, false), (3, false), (1, true), (4, true)])
    func generatedRuleSets(seed: Int, synthetic: Bool) async throws {
        #expect(FileManager.default.fileExists(atPath: Self.tools.path), "../shared/tools is missing")
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Python and thousands of matches: on a thread of its own (see onOwnThread).
        let (expected, actual) = try await onOwnThread {
            try Self.python([Self.tools.appendingPathComponent("gen.py").path, "--out-dir", directory.path, "--articles", "150",
                             "--rules", "2000", "--seed", "\(seed)"] + (synthetic ? ["--synthetic"] : []))
            let rules = directory.appendingPathComponent("rules_2000.conf")
            let articles = directory.appendingPathComponent("articles.jsonl")
            return (try Self.reference(rules: rules, articles: articles, in: directory), try Self.ours(rules: rules, articles: articles))
        }
        #expect(actual == expected)
        #expect(expected.split(separator: "\n").count == 150)
    }

    @Test(arguments: 1...3)
    func adversarialRuleSets(seed: Int) async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var generator = AdversarialGenerator(seed: UInt64(seed) + 100, extendedFields: false)
        var rules = "# adversarial rules, seed \(seed)\n"
        for index in 0..<300 { rules += "r\(index) = \(generator.expression())\n" }
        var articles = ""
        for id in 0..<200 {
            let article = generator.article(id: id)
            let object = ["id": article.id, "title": article.title, "body": article.body]
            articles += String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self) + "\n"
        }
        let rulesURL = directory.appendingPathComponent("rules.conf")
        let articlesURL = directory.appendingPathComponent("articles.jsonl")
        try rules.write(to: rulesURL, atomically: true, encoding: .utf8)
        try articles.write(to: articlesURL, atomically: true, encoding: .utf8)
        let (expected, actual) = try await onOwnThread {
            (try Self.reference(rules: rulesURL, articles: articlesURL, in: directory), try Self.ours(rules: rulesURL, articles: articlesURL))
        }
        #expect(actual == expected)
    }
}

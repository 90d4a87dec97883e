// SPDX-License-Identifier: MIT
import Foundation
import Rules
import Testing
@testable import Daemon

/// The rule set is checked when it is made and compiled in the background; the first matches, many
/// at once, all wait for the same matcher and agree.
struct RuleSetTests {
    @Test func concurrentFirstMatchesAgree() async throws {
        let path = NSTemporaryDirectory() + "feedwatch-rules-\(UUID().uuidString).conf"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let lines = (0..<2_000).map { "rule-\($0) = word\($0) AND aircraft" } + ["planes = Russia AND Syria AND aircraft"]
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let rules = try RuleSet.load(path: path)
        let results = await withTaskGroup(of: [String].self) { group in
            for index in 0..<32 {
                group.addTask {
                    let article = Article(id: "\(index)", title: "Russia and Syria", body: "word\(index) aircraft seen", author: "",
                                          feed: "", url: "", categories: [])
                    return await rules.match(article).map(\.name)
                }
            }
            return await group.reduce(into: []) { $0.append($1.sorted()) }
        }
        #expect(Set(results) == Set((0..<32).map { ["planes", "rule-\($0)"].sorted() }))
    }

    @Test func aBrokenFileIsRejectedWhenLoaded() throws {
        let path = NSTemporaryDirectory() + "feedwatch-rules-\(UUID().uuidString).conf"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "good = a\nbad = (a AND\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: RuleSetError.self) { try RuleSet.load(path: path) }
    }
}

// SPDX-License-Identifier: MIT
import Alerts
import Foundation
import Glibc
import TestSupport
import Testing

/// `feedwatch tail` on real alert files, following one across rotation.
@Suite struct TailCommandTests {
    let directory: String

    init() throws {
        directory = try makeScratchDirectory("tail")
    }

    private var path: String { directory + "/alerts.jsonl" }

    private func line(_ n: Int, rule: String = "war-planes", at date: Date = Date()) -> String {
        Alert(
            id: "id-\(n)", ts: date, rule: rule, feed: .init(url: "https://example.org/feed", title: "Example News"),
            entry: .init(id: "g\(n)", url: "https://example.org/\(n)", title: "Story \(n)", published: nil),
            matched: ["aircraft"], snippet: "the **aircraft** \(n)", source: .page
        ).jsonLine
    }

    private func append(_ lines: [String], to file: String? = nil) throws {
        let target = file ?? path
        let fd = open(target, O_WRONLY | O_APPEND | O_CREAT, 0o640)
        defer { close(fd) }
        for text in lines { _ = (text + "\n").withCString { write(fd, $0, strlen($0)) } }
    }

    @Test func showsTheLatestAlertsFilteredByRuleAndAge() throws {
        try append([line(1, at: Date().addingTimeInterval(-7200))] + (2...14).map { line($0, rule: $0 % 2 == 0 ? "jets" : "war-planes") })
        let latest = try FeedwatchProcess.run(["tail", path, "--json"])
        #expect(latest.status == 0)
        #expect(latest.stdout.split(separator: "\n").map { try? Alert(jsonLine: $0).id } == (5...14).map { "id-\($0)" })

        let jets = try FeedwatchProcess.run(["tail", path, "--json", "--rule", "jets", "-n", "2"])
        #expect(jets.stdout.split(separator: "\n").map { try? Alert(jsonLine: $0).id } == ["id-12", "id-14"])

        let recent = try FeedwatchProcess.run(["tail", path, "--json", "--since", "1h"])
        #expect(recent.stdout.split(separator: "\n").count == 13)

        let text = try FeedwatchProcess.run(["tail", path, "-n", "1"], environment: ["TZ": "UTC"])
        #expect(text.stdout.contains("  [jets]  Example News\n  Story 14\n  https://example.org/14\n  the **aircraft** 14\n\n"))
    }

    @Test func errorsNameTheFileAndTheFix() throws {
        let missing = try FeedwatchProcess.run(["tail", directory + "/none.jsonl"])
        #expect(missing.status == 1 && missing.stderr.contains("none.jsonl: no such alert file"))
        let badSince = try FeedwatchProcess.run(["tail", path, "--since", "yesterday"])
        #expect(badSince.status == 2 && badSince.stderr.contains("--since takes an age"))
    }

    @Test func followsAcrossRenameAndTruncation() async throws {
        try append([line(1)])
        let tail = try DaemonProcess(["tail", "-f", path, "--json", "-n", "5"], directory: directory)
        func ids() -> [String] { tail.stdout.split(separator: "\n").compactMap { try? Alert(jsonLine: $0).id } }
        #expect(await eventually { ids() == ["id-1"] })

        try append([line(2)])
        #expect(await eventually { ids() == ["id-1", "id-2"] })

        // logrotate: rename, the writer finishes one line into the old file, then a new file.
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        try append([line(3)], to: path + ".1")
        try await Task.sleep(for: .milliseconds(400))
        try append([line(4), line(5)])
        #expect(await eventually { ids() == ["id-1", "id-2", "id-3", "id-4", "id-5"] })

        // copytruncate
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 0)
        try handle.close()
        try await Task.sleep(for: .milliseconds(400))
        try append([line(6)])
        #expect(await eventually { ids() == ["id-1", "id-2", "id-3", "id-4", "id-5", "id-6"] })
        tail.signal(SIGTERM)
        _ = await tail.waitForExit(timeout: .seconds(5))
    }
}

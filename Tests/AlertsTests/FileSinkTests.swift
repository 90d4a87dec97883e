// SPDX-License-Identifier: MIT
import Alerts
import Foundation
import TestSupport
import Testing

@Suite struct FileSinkTests {
    let directory: String

    init() throws {
        directory = try makeScratchDirectory("sink")
    }

    private var path: String { directory + "/alerts.jsonl" }

    private func alert(_ n: Int) -> Alert {
        AlertTests.sample(id: "id-\(n)")
    }

    private func lines(_ file: String) throws -> [String] {
        try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    @Test func appendsOneLinePerAlertWithMode0640() async throws {
        let sink = FileSink(path: path)
        let report = await sink.deliver([alert(1), alert(2)])
        #expect(report.delivered == ["id-1", "id-2"] && report.failure == nil)
        #expect(try lines(path).map { try Alert(jsonLine: $0).id } == ["id-1", "id-2"])
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode.map { $0 & 0o777 & ~0o640 } == 0)
    }

    @Test func aRestartSkipsAlertsAlreadyInTheFile() async throws {
        _ = await FileSink(path: path).deliver([alert(1), alert(2)])
        // A crash after the write but before the outbox was updated offers them again.
        let restarted = FileSink(path: path)
        let report = await restarted.deliver([alert(2), alert(3)])
        #expect(report.delivered == ["id-2", "id-3"])
        #expect(try lines(path).count == 3)
    }

    @Test func aLineCutShortByACrashDoesNotSwallowTheNext() async throws {
        try Data((alert(1).jsonLine + "\n" + #"{"schema":1,"id":"id-2","ts"#).utf8).write(to: URL(fileURLWithPath: path))
        let report = await FileSink(path: path).deliver([alert(2)])
        #expect(report.delivered == ["id-2"])
        let all = try lines(path)
        #expect(all.count == 3)
        #expect(try Alert(jsonLine: all[2]).id == "id-2")
    }

    @Test func followsRenameRotation() async throws {
        let sink = FileSink(path: path)
        _ = await sink.deliver([alert(1)])
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        _ = await sink.deliver([alert(2)])
        #expect(try lines(path + ".1").count == 1)
        #expect(try lines(path).map { try Alert(jsonLine: $0).id } == ["id-2"])
        // A file put in its place by someone else is noticed too (another inode at the path).
        try FileManager.default.moveItem(atPath: path, toPath: path + ".2")
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        _ = await sink.deliver([alert(3)])
        #expect(try lines(path).map { try Alert(jsonLine: $0).id } == ["id-3"])
    }

    @Test func copytruncateKeepsAppendingWholeLines() async throws {
        let sink = FileSink(path: path)
        _ = await sink.deliver([alert(1)])
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 0)
        try handle.close()
        _ = await sink.deliver([alert(2)])
        #expect(try lines(path).map { try Alert(jsonLine: $0).id } == ["id-2"])
    }

    @Test func anUnwritableDirectoryIsAFailureNamingThePath() async throws {
        let sink = FileSink(path: directory + "/missing/alerts.jsonl")
        let report = await sink.deliver([alert(1)])
        #expect(report.delivered.isEmpty)
        #expect(report.failure?.id == "id-1")
        #expect(report.failure?.message.contains("missing/alerts.jsonl") == true)
    }
}

// SPDX-License-Identifier: MIT
import Foundation
import TestSupport
import Testing

/// A state database with 64 KiB of noise written into its middle (what a failing disk or a bad copy
/// leaves) is refused by `once`, `run` and `check` with exit 3 and one message naming the file and the
/// way to recover it: never used silently, never a crash.
struct DamagedStateTests {
    let directory: String

    init() throws {
        directory = try makeScratchDirectory("damaged")
        try "quake = earthquake\n".write(toFile: directory + "/rules.conf", atomically: true, encoding: .utf8)
        let port = TestHTTPServer.closedPort()
        try """
            state_dir: state
            rules: rules.conf
            limits:
              host_spacing: 0ms
              per_host: 16
            feeds:
            \((0..<3000).map { "  - url: http://127.0.0.1:\(port)/feed/\($0)-with-a-longer-path-to-fill-pages.xml" }.joined(separator: "\n"))
            sinks:
              - type: file
                path: alerts.jsonl
            """.write(toFile: directory + "/feedwatch.yaml", atomically: true, encoding: .utf8)
    }

    /// Writes 64 KiB of seeded noise into the middle of `path`.
    private func damage(_ path: String) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        try #require(size > 256 * 1024, "the database is large enough to have a middle: \(size) bytes")
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let noise = Data((0..<65_536).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        })
        try handle.seek(toOffset: size / 2 - 32_768)
        try handle.write(contentsOf: noise)
    }

    @Test func aDamagedDatabaseIsRefusedWithTheWayToRecoverIt() throws {
        let config = directory + "/feedwatch.yaml"
        // Quiet: 3,000 failing feeds would fill the pipe the test reads stderr from.
        let once = try FeedwatchProcess.run(["once", "--log-level", "error", "--config", config])
        #expect(once.stderr.contains("polled 3000 feeds (3000 failed)"), "\(once.stderr)")
        let database = directory + "/state/feedwatch.sqlite"
        // The stop left the database file whole on its own: nothing is waiting in its write-ahead log.
        let log = try? FileManager.default.attributesOfItem(atPath: database + "-wal")[.size] as? Int
        #expect((log ?? 0) == 0, "\(log ?? 0) bytes left in the write-ahead log")
        #expect(try FeedwatchProcess.run(["check", "--config", config]).stdout.contains("\(database): not damaged"))
        try damage(database)
        for command in [["once"], ["run"], ["check"]] {
            let result = try FeedwatchProcess.run(command + ["--config", config])
            #expect(result.status == 3, "\(command): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains("the state database \(database) is damaged"), "\(command): \(result.stderr)")
            #expect(result.stderr.contains(".recover"), "\(command): \(result.stderr)")
        }
    }

    /// `state backup` writes a whole database (one a restored daemon starts from), `state check` passes
    /// it and the original, and finds the damage once there is some.
    @Test func backupsAreWholeAndTheCheckFindsDamage() throws {
        let config = directory + "/feedwatch.yaml"
        _ = try FeedwatchProcess.run(["once", "--log-level", "error", "--config", config])
        let backup = directory + "/nightly.sqlite"
        let made = try FeedwatchProcess.run(["state", "backup", backup, "--config", config])
        #expect(made.status == 0 && made.stdout.contains("backed up to \(backup)"), "\(made.stderr)")
        #expect(try FeedwatchProcess.run(["state", "check", "--config", config]).status == 0)

        let restored = directory + "/restored"
        try FileManager.default.createDirectory(atPath: restored + "/state", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: backup, toPath: restored + "/state/feedwatch.sqlite")
        try FileManager.default.copyItem(atPath: directory + "/rules.conf", toPath: restored + "/rules.conf")
        try String(contentsOfFile: config, encoding: .utf8).write(toFile: restored + "/feedwatch.yaml", atomically: true, encoding: .utf8)
        let check = try FeedwatchProcess.run(["check", "--config", restored + "/feedwatch.yaml"])
        #expect(check.status == 0 && check.stdout.contains("not damaged"), "\(check.stdout) \(check.stderr)")
        let status = try FeedwatchProcess.run(["status", "--prometheus", "--config", restored + "/feedwatch.yaml"])
        #expect(status.stdout.contains("feedwatch_feeds{state=\"total\"} 3000\n"), "\(status.stdout.prefix(400))")

        try damage(directory + "/state/feedwatch.sqlite")
        let damaged = try FeedwatchProcess.run(["state", "check", "--config", config])
        #expect(damaged.status == 3 && damaged.stderr.contains("is damaged"), "\(damaged.stderr)")
    }
}

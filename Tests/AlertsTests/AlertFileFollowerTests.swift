// SPDX-License-Identifier: MIT
import Alerts
import Foundation
import TestSupport
import Testing

/// Reading the alert file as `tail -F` does.
@Suite struct AlertFileFollowerTests {
    let path: String

    init() throws {
        let directory = try makeScratchDirectory("follow")
        path = directory + "/alerts.jsonl"
    }

    private func append(_ text: String, to file: String? = nil) throws {
        let target = file ?? path
        if !FileManager.default.fileExists(atPath: target) { _ = FileManager.default.createFile(atPath: target, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: target))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    @Test func returnsWholeLinesOnlyAndWaitsForTheRest() throws {
        let follower = AlertFileFollower(path: path)
        #expect(try follower.poll().isEmpty)
        #expect(!follower.isOpen)
        try append("one\ntw")
        #expect(try follower.poll() == ["one"])
        try append("o\nthree\n")
        #expect(try follower.poll() == ["two", "three"])
        #expect(try follower.poll().isEmpty)
    }

    @Test func followsARenameFinishingTheOldFileFirst() throws {
        let follower = AlertFileFollower(path: path)
        try append("a\n")
        #expect(try follower.poll() == ["a"])
        try append("b\n")
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        try append("c\n", to: path + ".1")  // the writer still had the old file open
        #expect(try follower.poll() == ["b", "c"])  // no new file yet: keep reading the old one
        try append("d\n")
        #expect(try follower.poll() == ["d"])
        try append("e\n")
        #expect(try follower.poll() == ["e"])
    }

    @Test func startsOverAfterCopytruncate() throws {
        let follower = AlertFileFollower(path: path)
        try append("a\nb\n")
        #expect(try follower.poll() == ["a", "b"])
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 0)
        try handle.close()
        try append("c\n")
        #expect(try follower.poll() == ["c"])
    }
}

// SPDX-License-Identifier: MIT
import Foundation
import TestSupport
import Testing

/// `feedwatch check --config` also checks what the configuration needs of the machine.
@Suite struct CheckMachineTests {
    @Test func unusablePathsAndMissingProgramsAreListedWithTheirLines() throws {
        let directory = try makeScratchDirectory("check")
        let blocker = directory + "/a-file"
        try "x".write(toFile: blocker, atomically: true, encoding: .utf8)
        let config = directory + "/feedwatch.yaml"
        try """
            state_dir: a-file/state
            rules: rules.conf
            feeds:
              - url: https://example.org/rss
            sinks:
              - type: file
                path: a-file/alerts.jsonl
              - type: exec
                command: [feedwatch-no-such-program]
              - type: exec
                command: [/bin/true]
              - type: file
                path: logs/new/alerts.jsonl
            """.write(toFile: config, atomically: true, encoding: .utf8)
        try "war = Russia AND aircraft\n".write(toFile: directory + "/rules.conf", atomically: true, encoding: .utf8)
        let result = try FeedwatchProcess.run(["check", "--config", config])
        #expect(result.status == 1)
        #expect(result.stderr.components(separatedBy: "\n").filter { !$0.isEmpty } == [
            "feedwatch: \(config):1:1: state directory \(directory)/a-file/state: \(blocker) is not a directory",
            "\(config):6:5: sink 'file:\(directory)/a-file/alerts.jsonl': \(directory)/a-file/alerts.jsonl: \(blocker) is not a directory",
            "\(config):8:5: sink 'exec:feedwatch-no-such-program': program 'feedwatch-no-such-program': no executable of that name on PATH; give its full path",
            "\(config): 3 problems on this machine",
        ])
    }
}

// SPDX-License-Identifier: MIT
import Foundation
import Logging
import Testing
@testable import Daemon

/// Log lines and `once`'s progress line share standard error without running together.
struct StandardErrorOutputTests {
    /// What was written to a pipe, once the writer's end is closed.
    private func written(_ body: (StandardErrorOutput) -> Void) throws -> String {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        body(StandardErrorOutput(descriptor: ends[1]))
        close(ends[1])
        let reader = FileHandle(fileDescriptor: ends[0], closeOnDealloc: true)
        return String(decoding: try reader.readToEnd() ?? Data(), as: UTF8.self)
    }

    @Test func aLogLineClearsTheStatusAndDrawsItAgainBelow() throws {
        let text = try written { output in
            output.write(lines: "before\n")
            output.showStatus("[1/2] 10 new")
            output.write(lines: "a log line\n")
            output.showStatus("[2/2] 20 new")
            output.clearStatus()
            output.clearStatus()
            output.write(lines: "summary\n")
        }
        #expect(text == "before\n" + "\r\u{1B}[K[1/2] 10 new" + "\r\u{1B}[Ka log line\n[1/2] 10 new" + "\r\u{1B}[K[2/2] 20 new"
            + "\r\u{1B}[K" + "summary\n")
    }

    @Test func theLogHandlerWritesThroughTheSharedOutput() throws {
        let text = try written { output in
            let logger = Logger(label: "test") { label in
                StandardErrorLogHandler(label: label, level: .info, environment: ["JOURNAL_STREAM": "8:1"], output: output)
            }
            output.showStatus("[0/1]")
            logger.info("first fetch", metadata: ["feed.url": "http://127.0.0.1/feed"])
            logger.debug("not shown")
        }
        #expect(text == "\r\u{1B}[K[0/1]" + "\r\u{1B}[K<6>first fetch feed.url=http://127.0.0.1/feed\n[0/1]")
    }

    /// Off the journal: `<UTC time> <level> <message> key=value …`, the handler's metadata and the
    /// event's merged (the event's winning) and sorted by key.
    @Test func humanReadableLinesCarryTimeLevelMessageAndSortedFields() throws {
        let text = try written { output in
            var logger = Logger(label: "test") { label in
                StandardErrorLogHandler(label: label, level: .info, environment: [:], output: output)
            }
            logger[metadataKey: "run"] = "7"
            logger[metadataKey: "feed.url"] = "old"
            logger.warning("feed moved: ünïcode", metadata: ["feed.url": "http://127.0.0.1/feed", "a": "1"])
            logger.error("plain")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3 && lines[2].isEmpty)
        let stamp = #/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z /#
        #expect(lines[0].prefixMatch(of: stamp) != nil && lines[1].prefixMatch(of: stamp) != nil)
        #expect(lines[0].dropFirst(21) == "warning feed moved: ünïcode a=1 feed.url=http://127.0.0.1/feed run=7")
        #expect(lines[1].dropFirst(21) == "error plain feed.url=old run=7")
    }
}

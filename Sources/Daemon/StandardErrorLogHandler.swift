// SPDX-License-Identifier: MIT
public import Logging
public import Foundation
import Markup

/// Log lines on stderr, one `write(2)` each, above `once`'s progress line when one shows. Under
/// journald (`JOURNAL_STREAM` set) each line starts with its syslog priority (`<3>` error … `<7>` debug)
/// so the journal files it right; otherwise it is `2026-11-25T13:04:05Z warning feed.url=… message`.
public struct StandardErrorLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let journal: Bool
    private let output: StandardErrorOutput

    public init(
        label: String, level: Logger.Level = .info, environment: [String: String] = ProcessInfo.processInfo.environment,
        output: StandardErrorOutput = .standardError
    ) {
        logLevel = level
        journal = !(environment["JOURNAL_STREAM"] ?? "").isEmpty
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let message = event.message.description
        var line = ""
        line.reserveCapacity(message.utf8.count + 128)  // one allocation for the usual line
        if journal {
            line += "<"
            line += String(Self.priority(event.level))
            line += ">"
        } else {
            line += DateParser.iso8601String(Date())
            line += " "
            line += event.level.rawValue
            line += " "
        }
        line += message
        for (key, value) in fields(event.metadata) {
            line += " "
            line += key
            line += "="
            line += value.description
        }
        line += "\n"
        output.write(lines: line)
    }

    /// The handler's metadata and the event's (the event's winning), sorted by key; one field, the
    /// usual case, without merging or sorting.
    private func fields(_ extra: Logger.Metadata?) -> [(key: String, value: Logger.MetadataValue)] {
        let extra = extra ?? [:]
        let merged = metadata.isEmpty ? extra : extra.isEmpty ? metadata : metadata.merging(extra) { $1 }
        return merged.count < 2 ? Array(merged) : merged.sorted { $0.key < $1.key }
    }

    /// syslog(3) priorities.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}

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
        let level = event.level
        let message = event.message
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let text = fields.isEmpty ? "\(message)" : "\(message) \(fields)"
        let lineText: String
        if journal {
            lineText = "<\(Self.priority(level))>\(text)\n"
        } else {
            lineText = "\(DateParser.iso8601String(Date())) \(level) \(text)\n"
        }
        output.write(lines: lineText)
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

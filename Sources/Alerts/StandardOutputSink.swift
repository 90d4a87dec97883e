// SPDX-License-Identifier: MIT
import Foundation
import Glibc

/// Alerts on standard output, for journald or a pipe: JSON lines, or one line a person reads.
public struct StandardOutputSink: AlertSink {
    public enum Format: String, Sendable, CaseIterable { case json, text }

    public let format: Format
    public var name: String { "stdout" }

    public init(format: Format) { self.format = format }

    public func deliver(_ alerts: [OutgoingAlert]) async -> DeliveryReport {
        var delivered: [String] = []
        for alert in alerts {
            let line = (format == .json ? alert.json : Self.humanLine(alert.json)) + "\n"
            var bytes = Array(line.utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeMutableBytes { write(1, $0.baseAddress! + offset, $0.count - offset) }
                if written < 0 {
                    if errno == EINTR { continue }
                    return DeliveryReport(delivered: delivered, failure: (alert.id, "stdout: \(errorText())"))
                }
                offset += written
            }
            delivered.append(alert.id)
        }
        return DeliveryReport(delivered: delivered)
    }

    public func reopen() async {}

    /// `2026-11-25T13:04:05Z [rule] Title — Feed <https://…>: snippet`
    static func humanLine(_ json: String) -> String {
        guard let alert = try? Alert(jsonLine: json) else { return json }
        let title = alert.entry.title ?? alert.entry.url ?? "(untitled)"
        let feed = alert.feed.title ?? alert.feed.url
        return "\(alert.ts) [\(alert.rule)] \(title) — \(feed) <\(alert.entry.url ?? "")>: \(alert.snippet)"
    }
}

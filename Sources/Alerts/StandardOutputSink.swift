// SPDX-License-Identifier: MIT
import Foundation
import Glibc

/// Alerts on standard output, for journald or a pipe: JSON lines, or one line a person reads.
public struct StandardOutputSink: AlertSink {
    public enum Format: String, Sendable, CaseIterable { case json, text }

    public let format: Format
    public let name: String
    public var maximumAttempts: Int? { nil }

    public init(format: Format, name: String = "stdout") {
        self.format = format
        self.name = name
    }

    public func deliver(_ alerts: [Alert]) async -> DeliveryReport {
        var delivered: [String] = []
        for alert in alerts {
            let line = (format == .json ? alert.jsonLine : AlertText.line(alert)) + "\n"
            do throws(SinkFailure) {
                try appendWhole(line, to: 1)
            } catch {
                return DeliveryReport(delivered: delivered, failure: DeliveryFailure(id: alert.id, message: "stdout: \(error.message)"))
            }
            delivered.append(alert.id)
        }
        return DeliveryReport(delivered: delivered)
    }
}

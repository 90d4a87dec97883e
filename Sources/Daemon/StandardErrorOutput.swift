// SPDX-License-Identifier: MIT
import Alerts
import Synchronization

/// Standard error, shared by the log and a live status line (`once`'s progress on a terminal). The
/// status line stays below the log: a log line written while it shows clears it first and draws it
/// again after, in the same write(2), so the two never run together on one line.
public final class StandardErrorOutput: Sendable {
    /// The process's standard error.
    public static let standardError = StandardErrorOutput(descriptor: 2)

    private let descriptor: Int32
    /// The status line now shown, if any.
    private let status = Mutex<String?>(nil)

    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Writes whole lines (each ending in a newline) above the status line.
    public func write(lines: String) {
        status.withLock { status in
            if let status { emit(Self.eraseLine + lines + status) } else { emit(lines) }
        }
    }

    /// Shows `text` (one short line, no newline) as the status line, in place of the previous one.
    public func showStatus(_ text: String) {
        status.withLock { status in
            status = text
            emit(Self.eraseLine + text)
        }
    }

    /// Removes the status line, leaving the cursor at the start of an empty line.
    public func clearStatus() {
        status.withLock { status in
            guard status != nil else { return }
            status = nil
            emit(Self.eraseLine)
        }
    }

    /// Carriage return, then erase to the end of the line.
    static let eraseLine = "\r\u{1B}[K"

    private func emit(_ text: String) {
        _ = writeFully(text, to: descriptor)  // nowhere to report a failed write to stderr
    }
}

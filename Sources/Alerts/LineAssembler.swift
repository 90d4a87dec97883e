// SPDX-License-Identifier: MIT

/// Cuts bytes that arrive in pieces into lines: each call returns the lines its piece completed, and a
/// line still being written waits for its newline. Lines are decoded as UTF-8, invalid bytes replaced.
public struct LineAssembler: Sendable {
    private var partial: [UInt8] = []

    public init() {}

    /// Bytes received after the last newline, waiting for theirs.
    public var pendingByteCount: Int { partial.count }

    /// The lines that `piece` completes, without their newlines.
    public mutating func lines(completedBy piece: some Collection<UInt8>) -> [String] {
        var lines: [String] = []
        var start = piece.startIndex
        while let newline = piece[start...].firstIndex(of: UInt8(ascii: "\n")) {
            partial.append(contentsOf: piece[start..<newline])
            lines.append(String(decoding: partial, as: UTF8.self))
            partial.removeAll(keepingCapacity: true)
            start = piece.index(after: newline)
        }
        partial.append(contentsOf: piece[start...])
        return lines
    }

    /// Forgets a partial line (the file it came from was truncated or replaced).
    public mutating func reset() { partial.removeAll() }
}

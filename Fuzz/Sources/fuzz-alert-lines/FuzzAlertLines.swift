// SPDX-License-Identifier: MIT
import Alerts
import FuzzSupport

/// The alert file as `tail` reads it: bytes arriving in pieces of chosen sizes are cut into lines, and
/// each line is read as an alert. The lines are exactly the newline-terminated part of the bytes; an
/// alert that is read writes out as a line that reads back as the same alert.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAlertLines(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let sizes = input.take(4).map { Int($0) + 1 }
    let bytes = input.rest()
    var assembler = LineAssembler()
    var lines: [String] = []
    var start = 0
    var turn = 0
    while start < bytes.count {
        let end = min(bytes.count, start + sizes[turn % max(1, sizes.count)])
        lines += assembler.lines(completedBy: bytes[start..<end])
        start = end
        turn += 1
    }
    let complete = bytes.lastIndex(of: UInt8(ascii: "\n")).map { bytes[...$0] } ?? []
    let expected = complete.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
        .map { String(decoding: $0, as: UTF8.self) }
    require(lines == Array(expected), "the lines differ from the bytes' lines")
    require(assembler.pendingByteCount == bytes.count - complete.count, "bytes after the last newline were lost")
    for line in lines {
        guard let alert = try? Alert(jsonLine: line) else { continue }
        require((try? Alert(jsonLine: alert.jsonLine)) == alert, "an alert does not survive writing and reading: \(line)")
    }
    return 0
}

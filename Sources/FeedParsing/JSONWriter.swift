// SPDX-License-Identifier: MIT

import Markup

/// A fast, allocation-light writer of compact JSON into a byte buffer.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false

    public init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    public mutating func beginObject() { separate(); bytes.append(UInt8(ascii: "{")); needsComma = false }
    public mutating func endObject() { bytes.append(UInt8(ascii: "}")); needsComma = true }
    public mutating func beginArray() { separate(); bytes.append(UInt8(ascii: "[")); needsComma = false }
    public mutating func endArray() { bytes.append(UInt8(ascii: "]")); needsComma = true }

    /// Writes `"name":`; the next value completes the member.
    public mutating func key(_ name: String) {
        separate()
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// A string given as its UTF-8 bytes, which must be valid UTF-8 (as a `String`'s are).
    public mutating func string(validUTF8 value: [UInt8]) {
        separate()
        appendString(value.span)
        needsComma = true
    }

    public mutating func string(_ value: String?) {
        separate()
        if let value { appendString(value) } else { bytes.append(contentsOf: "null".utf8) }
        needsComma = true
    }

    public mutating func integer(_ value: Int?) {
        separate()
        bytes.append(contentsOf: (value.map(String.init) ?? "null").utf8)
        needsComma = true
    }

    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
        needsComma = true
    }

    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
        needsComma = true
    }

    /// Hands the bytes written so far to `emit` and starts an empty buffer (streaming large output).
    public mutating func drain(to emit: ([UInt8]) -> Void) {
        emit(bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    /// Appends raw bytes (a newline between JSON lines).
    public mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        needsComma = false
    }

    /// Appends the members another writer wrote (`"key":value` pairs, written once and shared by
    /// many objects) to the object being written.
    public mutating func members(_ other: JSONWriter) {
        guard !other.bytes.isEmpty else { return }
        separate()
        bytes.append(contentsOf: other.bytes)
        needsComma = true
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// True when some byte of `word` may be < 0x20, '"' or '\\' (exact for bytes below 0x80).
    @inline(__always)
    private static func mayNeedEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ v: UInt64) -> Bool { (v &- ones) & ~v & high != 0 }
        let control = (word &- ones &* 0x20) & ~word & high
        return control != 0 || hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5C))
    }

    private mutating func appendString(_ s: String) {
        var s = s
        s.makeContiguousUTF8()
        appendString(s.utf8.span)
    }

    private mutating func appendString(_ utf8: Span<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var start = 0
        var i = 0
        let n = utf8.count
        while i < n {
            // Eight bytes at a time while none needs escaping (SWAR: no byte < 0x20, '"' or '\\').
            if i + 8 <= n, !Self.mayNeedEscape(loadWord(utf8, at: i)) {
                i += 8
                continue
            }
            let b = utf8[i]
            guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else {
                i += 1
                continue
            }
            appendBytes(utf8.extracting(start..<i), to: &bytes)
            bytes.append(UInt8(ascii: "\\"))
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(b)
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            default:
                bytes.append(contentsOf: "u00".utf8)
                bytes.append(Self.hex[Int(b >> 4)])
                bytes.append(Self.hex[Int(b & 0xF)])
            }
            start = i + 1
            i += 1
        }
        appendBytes(utf8.extracting(start..<n), to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }
}

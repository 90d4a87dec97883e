// SPDX-License-Identifier: MIT
// The one file of Markup, beside the libxml2 and iconv bindings (LibXML.swift, Iconv.swift), that reads
// or writes memory through unsafe pointers. Everything else scans `Span<UInt8>`, whose every access is
// bounds-checked in release builds too. Each function here says what it requires and checks it, so a
// mistake elsewhere traps instead of reading or writing past a buffer; ByteScanningTests try each at its
// edges (empty, 1 to 15 bytes, unaligned starts, the end of the buffer). The byte and needle searches
// the scanners share live here too.

/// Eight bytes of `bytes` from `offset` as one little-endian integer, for scanning eight bytes at once.
/// Requires `0 <= offset` and `offset + 8 <= bytes.count` (checked).
@inline(__always)
public func loadWord(_ bytes: Span<UInt8>, at offset: Int) -> UInt64 {
    precondition(offset >= 0 && offset &+ 8 <= bytes.count, "eight bytes past the end")
    // A UInt64 is valid for any bit pattern, so the load itself cannot make a bad value.
    return UInt64(littleEndian: bytes.bytes.unsafeLoadUnaligned(fromByteOffset: offset, as: UInt64.self))
}

/// Makes a String by writing at most `capacity` UTF-8 bytes into it through a ``TextOutput`` (without
/// the copy an intermediate array would cost). Writing past `capacity` traps; bytes that are not valid
/// UTF-8 are repaired as `String(decoding:as:)` would.
func makeString(capacity: Int, _ write: (inout TextOutput) -> Void) -> String {
    String(unsafeUninitializedCapacity: max(capacity, 0)) { buffer in
        var out = TextOutput(buffer)
        write(&out)
        return out.count
    }
}

/// Writes bytes into a fixed buffer with white space collapsed: a space only between words. Lives only
/// inside ``makeString(capacity:_:)``, whose buffer it writes; every write checks the room left.
struct TextOutput {
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private(set) var count = 0
    private var pendingSpace = false

    fileprivate init(_ buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

    @inline(__always)
    mutating func space() { pendingSpace = count > 0 }

    /// A space is owed before the next byte.
    var hasPendingSpace: Bool { pendingSpace }

    /// Writes the owed space now (at the end of text that keeps its trailing space).
    mutating func writePendingSpace() {
        guard pendingSpace else { return }
        pendingSpace = false
        append(0x20)
    }

    /// One byte. Requires room for it, and for an owed space before it (checked).
    @inline(__always)
    mutating func append(_ b: UInt8) {
        if pendingSpace {
            pendingSpace = false
            append(0x20)
        }
        precondition(count < buffer.count, "text output full")
        buffer[count] = b
        count += 1
    }

    /// Bytes with no white space among them. Requires room for them, and for an owed space (checked).
    @inline(__always)
    mutating func append(run: Span<UInt8>) {
        if pendingSpace {
            pendingSpace = false
            append(0x20)
        }
        precondition(run.count <= buffer.count - count, "text output full")
        guard let target = buffer.baseAddress, !run.isEmpty else { return }
        run.withUnsafeBufferPointer { source in
            (target + count).update(from: source.baseAddress!, count: source.count)
        }
        count += run.count
    }

    mutating func append(_ scalar: Unicode.Scalar) {
        for b in UTF8.encode(scalar)! { append(b) }
    }
}

/// The text of UTF-8 `bytes`, invalid sequences replaced by U+FFFD.
func decodeUTF8(_ bytes: Span<UInt8>) -> String {
    bytes.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
}

/// Appends `bytes` to `array`.
public func appendBytes(_ bytes: Span<UInt8>, to array: inout [UInt8]) {
    bytes.withUnsafeBufferPointer { array.append(contentsOf: $0) }
}

/// The index of the first `byte` in `bytes` at or after `start` (`0 <= start`), or `nil`: eight bytes at
/// a time while eight remain, then one by one.
func firstIndex(of byte: UInt8, in bytes: Span<UInt8>, from start: Int = 0) -> Int? {
    var i = start
    while i + 8 <= bytes.count {
        let found = SWAR.bytesEqual(loadWord(bytes, at: i), byte)
        if found != 0 { return i + found.trailingZeroBitCount >> 3 }
        i += 8
    }
    while i < bytes.count {
        if bytes[i] == byte { return i }
        i += 1
    }
    return nil
}

/// Where `needle` first occurs in `bytes` at or after `start`, or `nil`. With `caseInsensitive`, bytes
/// are compared with bit 0x20 ignored (ASCII letters without regard to case). An empty needle occurs
/// at `start`.
func find(_ needle: [UInt8], in bytes: Span<UInt8>, from start: Int = 0, caseInsensitive: Bool = false) -> Int? {
    var i = start
    while i + needle.count <= bytes.count {
        var k = 0
        while k < needle.count, caseInsensitive ? (bytes[i + k] | 0x20) == (needle[k] | 0x20) : bytes[i + k] == needle[k] { k += 1 }
        if k == needle.count { return i }
        i += 1
    }
    return nil
}

/// A copy of `bytes`.
func copyBytes(_ bytes: Span<UInt8>) -> [UInt8] {
    var out: [UInt8] = []
    appendBytes(bytes, to: &out)
    return out
}

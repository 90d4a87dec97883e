// SPDX-License-Identifier: MIT

extension StringProtocol {
    /// The string without leading and trailing Unicode white space (O(1) when there is none).
    public func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return "" }
        if !isWhitespace(first) && !isWhitespace(last) { return String(self) }
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, isWhitespace(scalars[start]) { start = scalars.index(after: start) }
        while end > start, isWhitespace(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        return String(String.UnicodeScalarView(scalars[start..<end]))
    }
}

extension String {
    /// The string without leading and trailing Unicode white space; most text has none, which the
    /// first and last bytes settle without decoding.
    public func trimmingWhitespace() -> String {
        let bytes = utf8
        guard !bytes.isEmpty else { return "" }
        // Indexing, not `utf8.last`: the view's generic `last` walks from the start.
        let firstByte = bytes[bytes.startIndex], lastByte = bytes[bytes.index(before: bytes.endIndex)]
        if firstByte < 0x80, lastByte < 0x80, !isASCIIWhitespace(firstByte), !isASCIIWhitespace(lastByte) { return self }
        return self[...].trimmingWhitespace()
    }
}

@inline(__always)
private func isASCIIWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }

@inline(__always)
private func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.isASCII {
        let v = scalar.value
        return v == 0x20 || (v >= 0x09 && v <= 0x0D)
    }
    return scalar.properties.isWhitespace
}

extension StringProtocol {
    /// True when `needle` (ASCII) occurs in the string, ignoring ASCII case. A byte search, without
    /// Foundation's locale-aware machinery.
    public func containsASCIICaseInsensitive(_ needle: StaticString) -> Bool {
        var text = String(self)
        text.makeContiguousUTF8()
        return find(Array(needle.description.utf8), in: text.utf8.span, caseInsensitive: true) != nil
    }
}

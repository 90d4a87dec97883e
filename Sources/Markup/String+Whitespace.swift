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

@inline(__always)
private func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.isASCII {
        let v = scalar.value
        return v == 0x20 || (v >= 0x09 && v <= 0x0D)
    }
    return scalar.properties.isWhitespace
}

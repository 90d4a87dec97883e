// SPDX-License-Identifier: MIT

/// About 200 characters of text around its first match, each match marked `**so**`, cut at word
/// boundaries with `…` where text was left out.
public enum Snippet {
    public static let targetLength = 200

    /// - Parameter matches: UTF-8 byte ranges of the matched words in `text`, any order.
    public static func make(_ text: String, matches: [Range<Int>], length: Int = targetLength) -> String {
        String(decoding: utf8(text, matches: matches, length: length), as: UTF8.self)
    }

    /// The same snippet as UTF-8 bytes (always valid: every cut falls between characters), for a
    /// writer that needs no `String` of it.
    public static func utf8(_ text: String, matches: [Range<Int>], length: Int = targetLength) -> [UInt8] {
        var text = text
        // The text's own bytes (a native string is contiguous): no copy of an article per snippet.
        return text.withUTF8 { make($0, matches: matches, length: length) }
    }

    private static func make(_ bytes: UnsafeBufferPointer<UInt8>, matches: [Range<Int>], length: Int) -> [UInt8] {
        let sorted = matches.filter { $0.lowerBound >= 0 && $0.upperBound <= bytes.count }.sorted { $0.lowerBound < $1.lowerBound }
        var line = Line(capacity: length + 64)
        guard let first = sorted.first else {
            let end = wordEnd(bytes, min(bytes.count, length))
            line.append(bytes, 0..<end)
            if end < bytes.count { line.append("…") }
            return line.bytes
        }
        // Start about a third of the window before the first match, at a word boundary.
        var start = max(0, first.lowerBound - length / 3)
        while start > 0 && start < first.lowerBound && !isSpace(bytes[start - 1]) { start += 1 }
        let end = wordEnd(bytes, max(first.upperBound, min(bytes.count, start + length)))
        if start > 0 { line.append("…") }
        var cursor = start
        for match in sorted where match.lowerBound >= cursor && match.upperBound <= end {
            line.append(bytes, cursor..<match.lowerBound)
            line.append("**")
            line.append(bytes, match)
            line.append("**")
            cursor = match.upperBound
        }
        line.append(bytes, cursor..<end)
        if end < bytes.count { line.append("…") }
        return line.bytes
    }

    /// `index` moved on to the end of the word it falls in (at most 30 bytes on), never inside a
    /// UTF-8 sequence.
    private static func wordEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> Int {
        var end = index
        while end < bytes.count && end < index + 30 && !isSpace(bytes[end]) { end += 1 }
        while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return end
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D }

    /// The snippet's bytes as they are written: line breaks and runs of white space (Unicode's
    /// White_Space) become single spaces, none at either end, so a snippet is one line.
    private struct Line {
        private(set) var bytes: [UInt8] = []
        private var pendingSpace = false

        init(capacity: Int) { bytes.reserveCapacity(capacity) }

        mutating func append(_ text: String) {
            flushSpace()
            bytes.append(contentsOf: text.utf8)
        }

        mutating func append(_ source: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
            var i = range.lowerBound
            while i < range.upperBound {
                // A run of visible ASCII goes in at once.
                var run = i
                while run < range.upperBound && source[run] > 0x20 && source[run] < 0x80 { run += 1 }
                if run > i {
                    flushSpace()
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[i..<run]))
                    i = run
                    continue
                }
                let byte = source[i]
                if byte < 0x80 {
                    if byte == 0x20 || (0x09...0x0D).contains(byte) {
                        pendingSpace = true
                    } else {
                        flushSpace()
                        bytes.append(byte)
                    }
                    i += 1
                    continue
                }
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                let end = min(i + length, range.upperBound)
                if Self.isWhiteSpace(source, i..<end) {
                    pendingSpace = true
                } else {
                    flushSpace()
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[i..<end]))
                }
                i = end
            }
        }

        private mutating func flushSpace() {
            if pendingSpace && !bytes.isEmpty { bytes.append(0x20) }
            pendingSpace = false
        }

        /// Whether the UTF-8 sequence is a white-space scalar other than ASCII.
        private static func isWhiteSpace(_ source: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
            var decoder = UTF8()
            var iterator = source[range].makeIterator()
            guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { return false }
            return scalar.properties.isWhitespace
        }
    }
}

// SPDX-License-Identifier: MIT

/// About 200 characters of text around its first match, each match marked `**so**`, cut at word
/// boundaries with `…` where text was left out.
public enum Snippet {
    public static let targetLength = 200

    /// - Parameter matches: UTF-8 byte ranges of the matched words in `text`, any order.
    public static func make(_ text: String, matches: [Range<Int>], length: Int = targetLength) -> String {
        let bytes = Array(text.utf8)
        let sorted = matches.filter { $0.lowerBound >= 0 && $0.upperBound <= bytes.count }.sorted { $0.lowerBound < $1.lowerBound }
        guard let first = sorted.first else { return clip(bytes, from: 0, length: length) }
        // Start about a third of the window before the first match, at a word boundary.
        var start = max(0, first.lowerBound - length / 3)
        while start > 0 && start < first.lowerBound && !isSpace(bytes[start - 1]) { start += 1 }
        let end = wordEnd(bytes, max(first.upperBound, min(bytes.count, start + length)))
        var out = start > 0 ? "…" : ""
        var cursor = start
        for match in sorted where match.lowerBound >= cursor && match.upperBound <= end {
            out += decode(bytes[cursor..<match.lowerBound])
            out += "**" + decode(bytes[match]) + "**"
            cursor = match.upperBound
        }
        out += decode(bytes[cursor..<end])
        if end < bytes.count { out += "…" }
        return collapse(out)
    }

    private static func clip(_ bytes: [UInt8], from start: Int, length: Int) -> String {
        let end = wordEnd(bytes, min(bytes.count, start + length))
        return collapse(decode(bytes[start..<end])) + (end < bytes.count ? "…" : "")
    }

    /// `index` moved on to the end of the word it falls in (at most 30 bytes on), never inside a
    /// UTF-8 sequence.
    private static func wordEnd(_ bytes: [UInt8], _ index: Int) -> Int {
        var end = index
        while end < bytes.count && end < index + 30 && !isSpace(bytes[end]) { end += 1 }
        while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return end
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D }

    private static func decode(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    /// Line breaks and runs of spaces become single spaces: a snippet is one line.
    private static func collapse(_ text: String) -> String {
        var out = ""
        var space = false
        for character in text {
            if character.isWhitespace {
                space = true
            } else {
                if space && !out.isEmpty { out.append(" ") }
                space = false
                out.append(character)
            }
        }
        return out
    }
}

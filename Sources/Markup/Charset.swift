// SPDX-License-Identifier: MIT
// Turning the bytes of a feed or page into valid UTF-8, whatever they claim to be. A document is never
// dropped for its encoding: invalid UTF-8 bytes are read as windows-1252 where that defines them and as
// U+FFFD otherwise; an unknown charset label is read as UTF-8 the same way.
import Foundation

/// Charset detection and transcoding to UTF-8.
public enum Charset {
    /// The byte-order mark at the start of `bytes`, as (charset, length).
    static func byteOrderMark(_ bytes: Span<UInt8>) -> (String, Int)? {
        let b = copyBytes(bytes.extracting(..<min(4, bytes.count)))
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { return ("utf-8", 3) }
        if b.starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return ("utf-32be", 4) }
        if b.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return ("utf-32le", 4) }
        if b.starts(with: [0xFE, 0xFF]) { return ("utf-16be", 2) }
        if b.starts(with: [0xFF, 0xFE]) { return ("utf-16le", 2) }
        // XML without a BOM but in UTF-16: `<?` encoded as two-byte units.
        if b.starts(with: [0x3C, 0x00, 0x3F, 0x00]) { return ("utf-16le", 0) }
        if b.starts(with: [0x00, 0x3C, 0x00, 0x3F]) { return ("utf-16be", 0) }
        return nil
    }

    /// The `charset` parameter of a Content-Type header value, if any.
    public static func fromContentType(_ value: String?) -> String? {
        // Split on the bytes: the parameters are ASCII, and splitting the String would walk grapheme
        // clusters.
        guard let value, value.utf8.contains(UInt8(ascii: ";")) else { return nil }
        for parameter in value.utf8.split(separator: UInt8(ascii: ";")).dropFirst() {
            guard let equals = parameter.firstIndex(of: UInt8(ascii: "=")),
                  Substring(parameter[..<equals]).trimmingWhitespace().lowercased() == "charset" else { continue }
            let label = Substring(parameter[parameter.index(after: equals)...]).trimmingWhitespace().trimming("\"'")
            if !label.isEmpty { return label }
        }
        return nil
    }

    /// The `encoding` of an XML declaration at the start of UTF-8-compatible bytes.
    static func xmlDeclaration(_ bytes: Span<UInt8>) -> String? {
        let head = copyBytes(bytes.extracting(..<min(256, bytes.count)))
        guard head.starts(with: "<?xml".utf8), let end = firstIndex(of: "?>", in: head[...]) else { return nil }
        return attributeValue(named: "encoding", in: head[..<end])
    }

    /// The charset a page declares in `<meta charset>` or `<meta http-equiv=Content-Type>` near its start.
    static func htmlMeta(_ bytes: Span<UInt8>) -> String? {
        // Lower-cased ASCII copy of the head: the search runs on bytes, without Foundation.
        var head = copyBytes(bytes.extracting(..<min(8192, bytes.count)))
        for i in head.indices where head[i] >= 0x41 && head[i] <= 0x5A { head[i] |= 0x20 }
        var from = 0
        while let start = firstIndex(of: "<meta", in: head[from...]) {
            let tagStart = start + 5
            let end = head[tagStart...].firstIndex(of: UInt8(ascii: ">")) ?? head.count
            let tag = head[tagStart..<end]
            if let charset = attributeValue(named: "charset", in: tag) { return charset }
            if let content = attributeValue(named: "content", in: tag), content.containsASCIICaseInsensitive("charset"),
               let charset = fromContentType(content.replacingOccurrences(of: "charset", with: ";charset")) {
                return charset
            }
            from = end
        }
        return nil
    }

    /// The value of the attribute `name` in the bytes of a tag (`encoding="utf-8"`, `charset=koi8-r`):
    /// quoted (white space trimmed) or bare up to a delimiter.
    private static func attributeValue(named name: String, in tag: ArraySlice<UInt8>) -> String? {
        var from = tag.startIndex
        while let found = firstIndex(of: name, in: tag[from...]) {
            var i = found + name.utf8.count
            from = i
            let before = found > tag.startIndex ? tag[found - 1] : UInt8(ascii: " ")
            guard before == UInt8(ascii: " ") || before == UInt8(ascii: "\t") || before == UInt8(ascii: "\n")
                || before == UInt8(ascii: "\r") || before == UInt8(ascii: "\"") else { continue }
            while i < tag.endIndex, tag[i] == UInt8(ascii: " ") { i += 1 }
            guard i < tag.endIndex, tag[i] == UInt8(ascii: "=") else { continue }
            i += 1
            while i < tag.endIndex, tag[i] == UInt8(ascii: " ") { i += 1 }
            guard i < tag.endIndex else { return nil }
            let quote = tag[i]
            if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                let end = tag[(i + 1)...].firstIndex(of: quote) ?? tag.endIndex
                return String(decoding: tag[(i + 1)..<end], as: UTF8.self).trimmingWhitespace()
            }
            let end = tag[i...].firstIndex { " >;/\"'".utf8.contains($0) } ?? tag.endIndex
            return String(decoding: tag[i..<end], as: UTF8.self)
        }
        return nil
    }

    /// Canonical name of a charset label (WHATWG aliases: Latin-1 labels mean windows-1252).
    static func canonicalLabel(_ label: String) -> String {
        let l = label.trimmingWhitespace().lowercased()
        switch l {
        case "utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8": return "utf-8"
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1", "us-ascii", "ascii", "cp1252", "windows-1252",
            "x-cp1252", "cp819", "ibm819", "iso-ir-100", "csisolatin1", "ansi_x3.4-1968":
            return "windows-1252"
        case "gb2312", "gbk", "x-gbk", "chinese", "csgb2312", "gb_2312-80": return "gb18030"
        case "shift_jis", "sjis", "x-sjis", "ms_kanji", "windows-31j", "csshiftjis": return "cp932"
        case "ks_c_5601-1987", "euc-kr", "windows-949", "korean", "cseuckr": return "cp949"
        case "utf-16": return "utf-16le"
        default: return l
        }
    }

    /// Transcodes `bytes` to valid UTF-8.
    ///
    /// - Parameters:
    ///   - bytes: the document as received.
    ///   - declared: the charset in force after the byte-order mark (HTTP header, XML declaration or
    ///     `<meta>`), or `nil` for UTF-8.
    /// - Returns: UTF-8 bytes without a byte-order mark.
    public static func utf8(from bytes: Span<UInt8>, declared: String?) -> [UInt8] {
        repairedIfNeeded(bytes, declared: declared) ?? copyBytes(bytes)
    }

    /// Like ``utf8(from:declared:)``, but `nil` when `bytes` are already valid UTF-8 without a BOM,
    /// so that the caller can go on with them without a copy.
    static func repairedIfNeeded(_ bytes: Span<UInt8>, declared: String?) -> [UInt8]? {
        var label = declared.map(canonicalLabel) ?? "utf-8"
        var bomLength = 0
        if let (bomCharset, length) = byteOrderMark(bytes) {
            label = bomCharset
            bomLength = length
        }
        let body = bytes.extracting(bomLength...)
        switch label {
        case "utf-8":
            if body.count == bytes.count, firstInvalidUTF8(body) == body.count { return nil }
            return repairedUTF8(body)
        case "windows-1252": return fromWindows1252(body)
        default: return Iconv.transcode(body, from: label) ?? repairedUTF8(body)
        }
    }

    /// Valid UTF-8 from bytes that should be UTF-8: each invalid byte becomes its windows-1252
    /// character, or U+FFFD where windows-1252 leaves it undefined.
    static func repairedUTF8(_ bytes: Span<UInt8>) -> [UInt8] {
        let firstInvalid = firstInvalidUTF8(bytes)
        if firstInvalid == bytes.count { return copyBytes(bytes) }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        appendBytes(bytes.extracting(..<firstInvalid), to: &out)
        var i = firstInvalid
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                out.append(b)
                i += 1
                continue
            }
            let length = validSequenceLength(bytes, at: i)
            if length > 0 {
                appendBytes(bytes.extracting(i..<(i + length)), to: &out)
                i += length
            } else {
                appendUTF8(Windows1252.scalar(b), to: &out)
                i += 1
            }
        }
        return out
    }

    /// Index of the first byte that does not start a valid UTF-8 sequence, or the count when all is valid.
    private static func firstInvalidUTF8(_ bytes: Span<UInt8>) -> Int {
        let n = bytes.count
        var i = 0
        while i < n {
            // Eight ASCII bytes at a time.
            if i + 8 <= n, loadWord(bytes, at: i) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            if bytes[i] < 0x80 {
                i += 1
                continue
            }
            let length = validSequenceLength(bytes, at: i)
            if length == 0 { return i }
            i += length
        }
        return n
    }

    /// Length of the valid UTF-8 sequence starting at `i`, or 0 if the bytes there are not one.
    @inline(__always)
    private static func validSequenceLength(_ s: Span<UInt8>, at i: Int) -> Int {
        let b0 = s[i]
        let n = s.count
        func cont(_ k: Int) -> Bool { i + k < n && s[i + k] & 0xC0 == 0x80 }
        switch b0 {
        case 0xC2...0xDF: return cont(1) ? 2 : 0
        case 0xE0: return cont(1) && s[i + 1] >= 0xA0 && cont(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF: return cont(1) && cont(2) ? 3 : 0
        case 0xED: return cont(1) && s[i + 1] < 0xA0 && cont(2) ? 3 : 0
        case 0xF0: return cont(1) && s[i + 1] >= 0x90 && cont(2) && cont(3) ? 4 : 0
        case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : 0
        case 0xF4: return cont(1) && s[i + 1] < 0x90 && cont(2) && cont(3) ? 4 : 0
        default: return 0
        }
    }

    static func fromWindows1252(_ bytes: Span<UInt8>) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + bytes.count / 8)
        for i in bytes.indices { appendUTF8(Windows1252.scalar(bytes[i]), to: &out) }
        return out
    }
}

extension StringProtocol {
    /// The string without leading and trailing characters of `set` (quotes around a charset label).
    func trimming(_ set: String) -> String {
        var s = self[...]
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return String(s)
    }
}

/// Where the ASCII `needle` first occurs in `bytes`, as an index of the slice.
private func firstIndex(of needle: String, in bytes: ArraySlice<UInt8>) -> Int? {
    find(Array(needle.utf8), in: bytes.span).map { bytes.startIndex + $0 }
}

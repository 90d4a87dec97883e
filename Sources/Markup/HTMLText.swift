// SPDX-License-Identifier: MIT

/// Plain text from an HTML fragment (a feed's summary or title): tags removed, `script` and `style`
/// dropped, character references decoded, white space collapsed.
public enum HTMLText {
    private static let breaking: Set<String> = [
        "p", "br", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
        "table", "blockquote", "pre", "hr", "section", "article", "header", "footer", "figure", "figcaption",
    ]

    /// True when `text` contains something an HTML parser would treat as a tag or a reference.
    public static func looksLikeHTML(_ text: String) -> Bool {
        let bytes = text.utf8
        guard bytes.contains(UInt8(ascii: "<")) || bytes.contains(UInt8(ascii: "&")) else { return false }
        var previous: UInt8 = 0
        for b in bytes {
            if previous == UInt8(ascii: "<"), isTagStart(b) { return true }
            if previous == UInt8(ascii: "&"), CharacterReferences.isNameByte(b) || b == UInt8(ascii: "#") { return true }
            previous = b
        }
        return false
    }

    @inline(__always)
    private static func isTagStart(_ b: UInt8) -> Bool {
        (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "z")) || b == UInt8(ascii: "/") || b == UInt8(ascii: "!")
            || b == UInt8(ascii: "?")
    }

    /// The text a reader sees in `html`, on one line.
    public static func plainText(_ html: String) -> String {
        collapsingWhitespace(CharacterReferences.decode(strippingTags(html)))
    }

    /// `text` with runs of ASCII white space turned into one space, and trimmed.
    public static func collapsingWhitespace(_ text: String) -> String {
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for b in text.utf8 {
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `html` without tags, comments, and the contents of `script` and `style`; references not decoded.
    static func strippingTags(_ html: String) -> String {
        guard html.utf8.contains(UInt8(ascii: "<")) else { return html }
        let s = Array(html.utf8)
        var out = [UInt8]()
        out.reserveCapacity(s.count)
        var i = 0
        while i < s.count {
            let b = s[i]
            guard b == UInt8(ascii: "<"), i + 1 < s.count, isTagStart(s[i + 1]) else {
                out.append(b)
                i += 1
                continue
            }
            if s[i + 1] == UInt8(ascii: "!") {
                if i + 3 < s.count, s[i + 2] == UInt8(ascii: "-"), s[i + 3] == UInt8(ascii: "-") {
                    i = find(Array("-->".utf8), in: s, from: i + 4).map { $0 + 3 } ?? s.count
                    continue
                }
                // `<!DOCTYPE …>` and `<![CDATA[…]]>` are markup; anything else after `<!` is text.
                guard i + 2 < s.count, CharacterReferences.isNameByte(s[i + 2]) || s[i + 2] == UInt8(ascii: "[") else {
                    out.append(b)
                    i += 1
                    continue
                }
            }
            let end = tagEnd(s, from: i + 1)
            let name = tagName(s, from: i + 1)
            i = end
            if name == "script" || name == "style" {
                let close = find(Array("</\(name)".utf8), in: s, from: i, caseInsensitive: true) ?? s.count
                i = close < s.count ? tagEnd(s, from: close + 1) : s.count
            }
            if breaking.contains(name) { out.append(0x20) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Lower-cased name of the tag whose `<` precedes `from` (without a leading `/`).
    static func tagName(_ s: [UInt8], from: Int) -> String {
        var i = from
        if i < s.count, s[i] == UInt8(ascii: "/") { i += 1 }
        let start = i
        while i < s.count, CharacterReferences.isNameByte(s[i]) || s[i] == UInt8(ascii: ":") || s[i] == UInt8(ascii: "-") {
            i += 1
        }
        return String(decoding: s[start..<i], as: UTF8.self).lowercased()
    }

    /// Index just past the `>` that ends the tag starting before `from`, skipping quoted values.
    static func tagEnd(_ s: [UInt8], from: Int) -> Int {
        var i = from
        var quote: UInt8 = 0
        while i < s.count {
            let b = s[i]
            if quote != 0 {
                if b == quote { quote = 0 }
            } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                // Quotes only open a value right after `=` (a stray quote must not swallow the page).
                if i > from, s[i - 1] == UInt8(ascii: "=") || s[i - 1] == 0x20 && i > from + 1 && s[i - 2] == UInt8(ascii: "=") {
                    quote = b
                }
            } else if b == UInt8(ascii: ">") {
                return i + 1
            }
            i += 1
        }
        return s.count
    }

    /// Start of the first occurrence of `needle` at or after `from`.
    static func find(_ needle: [UInt8], in s: [UInt8], from: Int, caseInsensitive: Bool = false) -> Int? {
        guard !needle.isEmpty, s.count >= needle.count else { return nil }
        var i = from
        while i + needle.count <= s.count {
            var k = 0
            while k < needle.count,
                caseInsensitive ? (s[i + k] | 0x20) == (needle[k] | 0x20) : s[i + k] == needle[k]
            {
                k += 1
            }
            if k == needle.count { return i }
            i += 1
        }
        return nil
    }
}

// SPDX-License-Identifier: MIT

/// Plain text from an HTML fragment (a feed's summary or title): tags removed, `script` and `style`
/// dropped, character references decoded, white space collapsed. One pass over the bytes.
public enum HTMLText {
    /// Elements after which a reader sees a break: they separate words.
    private static let breaking: Set<UInt64> = Set([
        "p", "br", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
        "table", "blockquote", "pre", "hr", "section", "article", "header", "footer", "figure", "figcaption",
    ].map { packedName(Array($0.utf8)[...]) })
    private static let script = packedName(Array("script".utf8)[...])
    private static let style = packedName(Array("style".utf8)[...])

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

    /// The text a reader sees in `html`, on one line.
    public static func plainText(_ html: String) -> String {
        var html = html
        html.makeContiguousUTF8()
        let bytes = html.utf8.span
        return isPlain(bytes) ? html : plainText(bytes: bytes)
    }

    /// True when `plainText` would give `s` back unchanged (most titles): no tag or reference, and no
    /// white space but single spaces between words.
    private static func isPlain(_ s: Span<UInt8>) -> Bool {
        guard !s.isEmpty else { return true }
        guard s[0] != 0x20, s[s.count - 1] != 0x20 else { return false }
        var previous: UInt8 = 0
        var i = 0
        while i < s.count {
            // Eight bytes at once when none is a control, `&` or `<` and no two spaces meet (a borrow
            // may flag a word that is fine: it is then checked byte by byte).
            if i + 8 <= s.count {
                let word = loadWord(s, at: i)
                let spaces = SWAR.bytesEqual(word, 0x20)
                let flagged = SWAR.bytesBelow(word, 0x20) | SWAR.bytesEqual(word, UInt8(ascii: "&"))
                    | SWAR.bytesEqual(word, UInt8(ascii: "<")) | (spaces & (spaces >> 8))
                if flagged == 0 && !(previous == 0x20 && word & 0xFF == 0x20) {
                    previous = UInt8(truncatingIfNeeded: word >> 56)
                    i += 8
                    continue
                }
            }
            let b = s[i]
            // Every byte that is not ordinary (white space, `&`, `<`) is at most `<`: most bytes pass one test.
            if b <= UInt8(ascii: "<") {
                if b == 0x20 {
                    guard previous != 0x20 else { return false }
                } else if isSpace(b) || b == UInt8(ascii: "&") || b == UInt8(ascii: "<") {
                    return false
                }
            }
            previous = b
            i += 1
        }
        return true
    }

    /// `text` with runs of ASCII white space turned into one space, and trimmed.
    public static func collapsingWhitespace(_ text: String) -> String {
        collapsingWhitespace(text, keepingEdges: false, noBreakSpaces: false)
    }

    /// `text` with runs of white space turned into one space.
    /// - Parameters:
    ///   - keepingEdges: keep one leading and one trailing space where the text has them, so that the
    ///     words of neighbouring text nodes do not glue together.
    ///   - noBreakSpaces: count U+00A0 as white space too.
    public static func collapsingWhitespace(_ text: String, keepingEdges: Bool, noBreakSpaces: Bool) -> String {
        var text = text
        text.makeContiguousUTF8()
        let s = text.utf8.span
        return makeString(capacity: s.count + 1) { out in
            var leading = false
            var i = 0
            while i < s.count {
                let b = s[i]
                if isSpace(b) {
                    out.space()
                    leading = leading || out.count == 0
                    i += 1
                } else if noBreakSpaces, b == 0xC2, i + 1 < s.count, s[i + 1] == 0xA0 {
                    out.space()
                    leading = leading || out.count == 0
                    i += 2
                } else {
                    if leading && keepingEdges {
                        out.append(0x20)
                        leading = false
                    }
                    out.append(b)
                    i += 1
                }
            }
            if keepingEdges {
                if out.hasPendingSpace {
                    out.writePendingSpace()
                } else if leading && out.count == 0 {
                    out.append(0x20)
                }
            }
        }
    }

    private static func plainText(bytes s: Span<UInt8>) -> String {
        // Decoding never grows the text by more than a fifth (`&nGt;`, five bytes for six, is the worst
        // case; tags and white space only shrink it), so a quarter more is always room enough. The
        // string keeps this capacity for as long as it lives: twice the input, as it was, held twice
        // the memory for every summary.
        makeString(capacity: s.count + s.count / 4 + 16) { out in plainText(bytes: s, into: &out) }
    }

    private static func plainText(bytes s: Span<UInt8>, into out: inout TextOutput) {
        var i = 0
        let n = s.count
        let ordinary = Self.isOrdinary
        while i < n {
            // A run of ordinary bytes is copied at once.
            var j = i
            while j < n && ordinary[Int(s[j])] { j += 1 }
            if j > i {
                out.append(run: s.extracting(i..<j))
                i = j
                continue
            }
            let b = s[i]
            if isSpace(b) {
                out.space()
                i += 1
            } else if b == UInt8(ascii: "&") {
                if let (replacement, length) = CharacterReferences.reference(in: s, at: i) {
                    for scalar in replacement.unicodeScalars {
                        if scalar.isASCII, isSpace(UInt8(scalar.value)) { out.space() } else { out.append(scalar) }
                    }
                    i += length
                } else {
                    out.append(b)
                    i += 1
                }
            } else if b == UInt8(ascii: "<"), i + 1 < n, isTagStart(s[i + 1]) {
                i = skipMarkup(s, at: i, output: &out)
            } else {
                out.append(b)
                i += 1
            }
        }
    }

    /// Skips the tag, comment or declaration at `i` (a `<`); returns the index after it.
    private static func skipMarkup(_ s: Span<UInt8>, at i: Int, output out: inout TextOutput) -> Int {
        let n = s.count
        if s[i + 1] == UInt8(ascii: "!") {
            if i + 3 < n, s[i + 2] == UInt8(ascii: "-"), s[i + 3] == UInt8(ascii: "-") {
                return find(commentEnd, in: s, from: i + 4).map { $0 + 3 } ?? n
            }
            // `<!DOCTYPE …>` and `<![CDATA[…]]>` are markup; anything else after `<!` is text.
            guard i + 2 < n, CharacterReferences.isNameByte(s[i + 2]) || s[i + 2] == UInt8(ascii: "[") else {
                out.append(s[i])
                return i + 1
            }
        }
        let end = tagEnd(s, from: i + 1)
        let closing = s[i + 1] == UInt8(ascii: "/")
        let name = packedName(s, tagName(s, from: i + 1))
        if breaking.contains(name) { out.space() }
        if !closing, name == script || name == style {
            let closeTag = name == script ? scriptEnd : styleEnd
            guard let close = find(closeTag, in: s, from: end, caseInsensitive: true) else { return n }
            return tagEnd(s, from: close + 1)
        }
        return end
    }

    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C }

    /// Bytes that are copied as they are: not white space, `&` or `<`.
    private static let isOrdinary: [Bool] = (0...255).map { b in
        !isSpace(UInt8(b)) && b != Int(UInt8(ascii: "&")) && b != Int(UInt8(ascii: "<"))
    }

    @inline(__always)
    private static func isTagStart(_ b: UInt8) -> Bool {
        (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "z")) || b == UInt8(ascii: "/") || b == UInt8(ascii: "!")
            || b == UInt8(ascii: "?")
    }

    /// Up to eight lower-cased bytes of a tag name packed into an integer, for allocation-free lookup.
    private static func packedName(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var value: UInt64 = 0
        for b in bytes.prefix(8) { value = value << 8 | UInt64(b | 0x20) }
        return bytes.count > 8 ? value | 1 << 63 : value
    }

    private static func packedName(_ s: Span<UInt8>, _ range: Range<Int>) -> UInt64 {
        var value: UInt64 = 0
        for i in range.prefix(8) { value = value << 8 | UInt64(s[i] | 0x20) }
        return range.count > 8 ? value | 1 << 63 : value
    }

    private static let commentEnd = Array("-->".utf8)
    private static let scriptEnd = Array("</script".utf8)
    private static let styleEnd = Array("</style".utf8)

    /// Where the name of the tag whose `<` precedes `from` lies (without a leading `/`).
    static func tagName(_ s: Span<UInt8>, from: Int) -> Range<Int> {
        var i = from
        if i < s.count, s[i] == UInt8(ascii: "/") { i += 1 }
        let start = i
        while i < s.count, CharacterReferences.isNameByte(s[i]) || s[i] == UInt8(ascii: ":") || s[i] == UInt8(ascii: "-") {
            i += 1
        }
        return start..<i
    }

    /// Index just past the `>` that ends the tag starting before `from`, skipping quoted values.
    static func tagEnd(_ s: Span<UInt8>, from: Int) -> Int {
        var i = from
        var quote: UInt8 = 0
        while i < s.count {
            let b = s[i]
            if quote != 0 {
                if b == quote { quote = 0 }
            } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                // Quotes only open a value right after `=` (a stray quote must not swallow the page).
                var k = i - 1
                while k > from, s[k] == 0x20 { k -= 1 }
                if s[k] == UInt8(ascii: "=") { quote = b }
            } else if b == UInt8(ascii: ">") {
                return i + 1
            }
            i += 1
        }
        return s.count
    }
}

// SPDX-License-Identifier: MIT
// Makes entity references in an XML document safe and meaningful before libxml2 sees it.
//
// Feeds use HTML's named entities (`&eacute;`, `&nbsp;`) without declaring them, and libxml2 never
// expands entities for us (no XML_PARSE_NOENT: that is how billion-laughs and XXE attacks work). So,
// outside comments, CDATA sections, processing instructions and the DOCTYPE:
// - the five XML entities and numeric references stay as they are;
// - an HTML named entity becomes numeric character references (`&#xE9;`);
// - an entity declared in the internal DTD subset as plain text (no `&`, `<` or `%` in its value) is
//   replaced by that text, within a budget of bytes, so nesting cannot amplify anything;
// - any other `&` becomes `&amp;`, so that a bare ampersand in a URL survives and an unknown
//   reference stays visible as written.

enum XMLEntityRewriter {
    /// `amp`, `lt`, `gt`, `quot` or `apos` in `s[from..<to]`, compared without allocating.
    @inline(__always)
    private static func isPredefined(_ s: Span<UInt8>, from: Int, to: Int) -> Bool {
        switch to - from {
        case 2: return (s[from] == UInt8(ascii: "l") || s[from] == UInt8(ascii: "g")) && s[from + 1] == UInt8(ascii: "t")
        case 3: return s[from] == UInt8(ascii: "a") && s[from + 1] == UInt8(ascii: "m") && s[from + 2] == UInt8(ascii: "p")
        case 4:
            return (s[from] == UInt8(ascii: "q") && s[from + 1] == UInt8(ascii: "u") && s[from + 2] == UInt8(ascii: "o")
                && s[from + 3] == UInt8(ascii: "t"))
                || (s[from] == UInt8(ascii: "a") && s[from + 1] == UInt8(ascii: "p") && s[from + 2] == UInt8(ascii: "o")
                    && s[from + 3] == UInt8(ascii: "s"))
        default: return false
        }
    }

    /// Where HTML 4's entity set, which feed DTDs (RSS 0.91's among them) declare, differs from HTML5.
    private static let html4Differences: [String: String] = ["lang": "\u{2329}", "rang": "\u{232A}"]

    /// The rewritten document, or `nil` when nothing needed rewriting.
    static func rewrite(_ input: [UInt8]) -> [UInt8]? {
        rewrite(in: input.span)
    }

    private static func rewrite(in s: Span<UInt8>) -> [UInt8]? {
        let n = s.count
        // Without an `&` there is no reference to rewrite (many feeds): one scan settles it.
        guard firstIndex(of: UInt8(ascii: "&"), in: s) != nil else { return nil }
        var out: [UInt8]? = nil
        var copied = 0  // s[..<copied] is already in `out`
        var declared: [String: [UInt8]] = [:]
        var budget = 1 << 20 + n
        var i = 0

        func replace(_ range: Range<Int>, with bytes: [UInt8]) {
            if out == nil {
                out = []
                out!.reserveCapacity(n + n / 16 + 64)
            }
            appendBytes(s.extracting(copied..<range.lowerBound), to: &out!)
            out!.append(contentsOf: bytes)
            copied = range.upperBound
        }

        while i < n {
            // Eight bytes at a time to the next `&`, or `!` or `?` (the second byte of `<!` and `<?`,
            // which open what is skipped: far rarer than the `<` of every tag).
            while i + 8 <= n {
                let word = loadWord(s, at: i)
                if let offset = SWAR.firstByte(word, UInt8(ascii: "&"), UInt8(ascii: "!"), UInt8(ascii: "?")) {
                    i += offset
                    break
                }
                i += 8
            }
            guard i < n else { break }
            let b = s[i]
            if b == UInt8(ascii: "!") || b == UInt8(ascii: "?") {
                let opensDeclaration = i > 0 && s[i - 1] == UInt8(ascii: "<")
                i = opensDeclaration ? skipMarkupDeclaration(s, at: i - 1, declared: &declared) : i + 1
                continue
            }
            guard b == UInt8(ascii: "&") else {
                i += 1
                continue
            }
            // A reference: `&#...;`, `&#x...;` or `&name;`.
            var j = i + 1
            if j < n, s[j] == UInt8(ascii: "#") {
                j += 1
                let hex = j < n && (s[j] | 0x20) == UInt8(ascii: "x")
                if hex { j += 1 }
                let digits = j
                while j < n, CharacterReferences.digitValue(s[j], hex: hex) != nil { j += 1 }
                if j > digits, j < n, s[j] == UInt8(ascii: ";") {
                    if hex, s[i + 2] == UInt8(ascii: "X") {
                        // XML allows only a lower-case `x` (`&#X41;` is HTML).
                        replace((i + 2)..<(i + 3), with: [UInt8(ascii: "x")])
                    }
                    i = j + 1
                } else {
                    replace(i..<(i + 1), with: Array("&amp;".utf8))
                    i += 1
                }
                continue
            }
            while j < n, j - i <= 64, isXMLNameByte(s[j]) { j += 1 }
            guard j > i + 1, j < n, s[j] == UInt8(ascii: ";") else {
                replace(i..<(i + 1), with: Array("&amp;".utf8))
                i += 1
                continue
            }
            if isPredefined(s, from: i + 1, to: j) {
                i = j + 1
                continue
            }
            let name = decodeUTF8(s.extracting((i + 1)..<j))
            if let value = declared[name], value.count <= budget {
                budget -= value.count
                replace(i..<(j + 1), with: value)
                i = j + 1
            } else if let value = Self.html4Differences[name] ?? HTMLEntityTable.byName[name] {
                var reference: [UInt8] = []
                for scalar in value.unicodeScalars {
                    reference.append(contentsOf: "&#x\(String(scalar.value, radix: 16));".utf8)
                }
                replace(i..<(j + 1), with: reference)
                i = j + 1
            } else {
                replace(i..<(i + 1), with: Array("&amp;".utf8))
                i += 1
            }
        }
        guard var result = out else { return nil }
        appendBytes(s.extracting(copied..<n), to: &result)
        return result
    }

    @inline(__always)
    private static func isXMLNameByte(_ b: UInt8) -> Bool {
        CharacterReferences.isNameByte(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
            || b == UInt8(ascii: ".") || b == UInt8(ascii: ":") || b >= 0x80
    }

    /// Index just past the comment, CDATA section, processing instruction or DOCTYPE whose `<!` or `<?`
    /// is at `i`; just past the `<!` when it opens none of them.
    private static func skipMarkupDeclaration(
        _ s: Span<UInt8>, at i: Int, declared: inout [String: [UInt8]]
    ) -> Int {
        if starts(s, i, "<!--") { return end(of: "-->", in: s, from: i + 4) }
        if starts(s, i, "<![CDATA[") { return end(of: "]]>", in: s, from: i + 9) }
        if starts(s, i, "<?") { return end(of: "?>", in: s, from: i + 2) }
        if starts(s, i, "<!DOCTYPE") || starts(s, i, "<!doctype") { return skipDoctype(s, from: i + 9, declared: &declared) }
        return i + 2
    }

    private static func skipDoctype(_ s: Span<UInt8>, from start: Int, declared: inout [String: [UInt8]]) -> Int {
        var i = start
        var quote: UInt8 = 0
        while i < s.count {
            let b = s[i]
            if quote != 0 {
                if b == quote { quote = 0 }
            } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                quote = b
            } else if b == UInt8(ascii: ">") {
                return i + 1
            } else if b == UInt8(ascii: "[") {
                i = internalSubsetEnd(s, from: i + 1, declared: &declared)
                continue
            }
            i += 1
        }
        return s.count
    }

    /// Reads `<!ENTITY name "text">` declarations up to the `]` that closes the internal subset.
    private static func internalSubsetEnd(
        _ s: Span<UInt8>, from start: Int, declared: inout [String: [UInt8]]
    ) -> Int {
        var i = start
        while i < s.count {
            if s[i] == UInt8(ascii: "]") { return i + 1 }
            if starts(s, i, "<!--") {
                i = end(of: "-->", in: s, from: i + 4)
            } else if starts(s, i, "<!ENTITY") {
                i = readEntityDeclaration(s, from: i + 8, declared: &declared)
            } else if s[i] == UInt8(ascii: "\"") || s[i] == UInt8(ascii: "'") {
                let quote = s[i]
                i += 1
                while i < s.count, s[i] != quote { i += 1 }
                i += 1
            } else {
                i += 1
            }
        }
        return s.count
    }

    private static func readEntityDeclaration(
        _ s: Span<UInt8>, from start: Int, declared: inout [String: [UInt8]]
    ) -> Int {
        var i = start
        func skipSpace() { while i < s.count, s[i] == 0x20 || s[i] == 0x09 || s[i] == 0x0A || s[i] == 0x0D { i += 1 } }
        skipSpace()
        let nameStart = i
        while i < s.count, isXMLNameByte(s[i]) { i += 1 }
        let name = decodeUTF8(s.extracting(nameStart..<i))
        skipSpace()
        guard !name.isEmpty, i < s.count, s[i] == UInt8(ascii: "\"") || s[i] == UInt8(ascii: "'") else {
            return end(of: ">", in: s, from: i)  // parameter or external entity: never expanded
        }
        let quote = s[i]
        let valueStart = i + 1
        i = valueStart
        while i < s.count, s[i] != quote { i += 1 }
        let value = copyBytes(s.extracting(valueStart..<min(i, s.count)))
        if !value.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "%") }),
            declared[name] == nil
        {
            var escaped: [UInt8] = []
            for b in value {
                switch b {
                case UInt8(ascii: "\""): escaped.append(contentsOf: "&quot;".utf8)
                case UInt8(ascii: "'"): escaped.append(contentsOf: "&apos;".utf8)
                default: escaped.append(b)
                }
            }
            declared[name] = escaped
        }
        return end(of: ">", in: s, from: i)
    }

    @inline(__always)
    private static func starts(_ s: Span<UInt8>, _ i: Int, _ literal: String) -> Bool {
        var k = i
        for b in literal.utf8 {
            guard k < s.count, s[k] == b else { return false }
            k += 1
        }
        return true
    }

    /// Index just past the next `terminator` at or after `from`, or the end of the input.
    private static func end(of terminator: String, in s: Span<UInt8>, from: Int) -> Int {
        let needle = Array(terminator.utf8)
        return find(needle, in: s, from: from).map { $0 + needle.count } ?? s.count
    }
}

// SPDX-License-Identifier: MIT
// Text analysis, exactly as RULES.md section 2 defines it and the reference matcher implements it:
// NFKD, non-spacing marks (Mn) dropped, simple lower case, final sigma as sigma; a word is a maximal
// run of letters (L*) and decimal digits (Nd). One analyser for rules and articles.
//
// ASCII text takes a fast path (lower-case, split on anything but [a-z0-9]). Other code points go
// through tables generated from the Unicode database (`UnicodeTables.swift`), folded one code point at
// a time; the only difference from folding a whole string is the canonical reordering of combining
// marks, which never changes a word because every non-spacing mark is dropped anyway.

/// Splits text into folded words.
public enum Analyzer {
    /// The folded words of `text`.
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        forEachWord(in: text) { words.append(decodeUTF8($0)) }
        return words
    }

    /// Calls `body` with the UTF-8 bytes of each folded word of `text`, in order. The buffer is only
    /// valid during the call.
    @inline(__always)
    public static func forEachWord(in text: String, _ body: (Span<UInt8>) -> Void) {
        forEachWordAndRange(in: text) { word, _ in body(word) }
    }

    /// Like ``forEachWord(in:_:)``, also passing where each word lies in `text` (UTF-8 offsets).
    public static func forEachWordAndRange(in text: String, _ body: (Span<UInt8>, Range<Int>) -> Void) {
        var text = text
        text.makeContiguousUTF8()
        var word = WordBuffer()
        scan(text.utf8.span, word: &word, body)
    }

    /// UTF-8 ranges of the words of `text`, in order: position `i` of the analysed text is `result[i]`.
    public static func wordRanges(_ text: String) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        forEachWordAndRange(in: text) { _, range in ranges.append(range) }
        return ranges
    }

    @inline(__always)
    private static func scan(
        _ bytes: Span<UInt8>, word: inout WordBuffer, _ body: (Span<UInt8>, Range<Int>) -> Void
    ) {
        let n = bytes.count
        var i = 0
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                if let lower = asciiWordByte(b) {
                    if word.count == 0 { word.start = i }
                    word.append(lower)
                } else if word.count > 0 {
                    word.emit(body, end: i)
                }
                i += 1
                continue
            }
            let start = i
            let (scalar, length) = decodeScalar(bytes, at: i)
            i += length
            if let folded = UnicodeFolding.fold(scalar) {
                for s in folded { appendFolded(s, to: &word, at: start, body) }
            } else {
                appendFolded(scalar, to: &word, at: start, body)
            }
        }
        if word.count > 0 { word.emit(body, end: n) }
    }

    /// Appends a folded scalar that came from the source scalar at `start`, or ends the word there.
    @inline(__always)
    private static func appendFolded(
        _ scalar: UInt32, to word: inout WordBuffer, at start: Int, _ body: (Span<UInt8>, Range<Int>) -> Void
    ) {
        let isWord = scalar < 0x80 ? asciiWordByte(UInt8(scalar)) != nil : UnicodeFolding.isWordCharacter(scalar)
        if isWord {
            if word.count == 0 { word.start = start }
            if scalar < 0x80 { word.append(asciiWordByte(UInt8(scalar))!) } else { word.appendScalar(scalar) }
        } else if word.count > 0 {
            word.emit(body, end: start)
        }
    }

    /// The lower-cased byte of an ASCII letter or digit, else `nil`.
    @inline(__always)
    static func asciiWordByte(_ b: UInt8) -> UInt8? {
        if b >= 0x61 && b <= 0x7A || b >= 0x30 && b <= 0x39 { return b }
        if b >= 0x41 && b <= 0x5A { return b | 0x20 }
        return nil
    }

    /// Decodes the scalar at `i` of valid UTF-8.
    @inline(__always)
    static func decodeScalar(_ s: Span<UInt8>, at i: Int) -> (UInt32, Int) {
        let b0 = UInt32(s[i])
        if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(s[i + 1] & 0x3F), 2) }
        if b0 < 0xF0 { return ((b0 & 0x0F) << 12 | UInt32(s[i + 1] & 0x3F) << 6 | UInt32(s[i + 2] & 0x3F), 3) }
        return (
            (b0 & 0x07) << 18 | UInt32(s[i + 1] & 0x3F) << 12 | UInt32(s[i + 2] & 0x3F) << 6 | UInt32(s[i + 3] & 0x3F), 4
        )
    }
}

/// The bytes of the word being built; its storage is kept from one word to the next.
struct WordBuffer {
    private var bytes: [UInt8] = []
    var count: Int { bytes.count }
    /// Where the word began in the source text (UTF-8 offset).
    var start = 0

    init() { bytes.reserveCapacity(64) }

    @inline(__always)
    mutating func append(_ b: UInt8) { bytes.append(b) }

    mutating func appendScalar(_ scalar: UInt32) {
        if scalar < 0x800 {
            append(UInt8(0xC0 | (scalar >> 6)))
            append(UInt8(0x80 | (scalar & 0x3F)))
        } else if scalar < 0x10000 {
            append(UInt8(0xE0 | (scalar >> 12)))
            append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            append(UInt8(0x80 | (scalar & 0x3F)))
        } else {
            append(UInt8(0xF0 | (scalar >> 18)))
            append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    @inline(__always)
    mutating func emit(_ body: (Span<UInt8>, Range<Int>) -> Void, end: Int) {
        body(bytes.span, start..<max(start, end))
        bytes.removeAll(keepingCapacity: true)
    }
}

/// Per-code-point folding and word-character classification from the generated tables, parsed once
/// into sorted arrays (a byte loop over the packed text: well under a millisecond).
enum UnicodeFolding {
    private struct Tables {
        /// Code points that folding changes, ascending; their foldings are
        /// `values[starts[i] ..< starts[i + 1]]`.
        var keys: [UInt32] = []
        var starts: [Int32] = [0]
        var values: [UInt32] = []
        /// Code points where word-character membership flips, ascending.
        var boundaries: [UInt32] = []
    }

    private static let tables: Tables = {
        var tables = Tables()
        tables.keys.reserveCapacity(9000)
        tables.values.reserveCapacity(9000)
        var number: UInt32 = 0
        var inValue = false
        var digits = 0
        for b in UnicodeTables.folds.utf8 {
            switch b {
            case UInt8(ascii: ":"):
                tables.keys.append(number)
                inValue = true
            case UInt8(ascii: ","), UInt8(ascii: ";"):
                if inValue && digits > 0 { tables.values.append(number) }
                if b == UInt8(ascii: ";") {
                    tables.starts.append(Int32(tables.values.count))
                    inValue = false
                }
            default:
                guard let digit = hexDigit(b) else { continue }
                if digits == 0 { number = 0 }
                number = number << 4 | digit
                digits += 1
                continue
            }
            digits = 0
        }
        for b in UnicodeTables.wordBoundaries.utf8 {
            if let digit = hexDigit(b) {
                if digits == 0 { number = 0 }
                number = number << 4 | digit
                digits += 1
            } else if b == UInt8(ascii: ",") {
                tables.boundaries.append(number)
                digits = 0
            }
        }
        return tables
    }()

    private static func hexDigit(_ b: UInt8) -> UInt32? {
        switch b {
        case 0x30...0x39: UInt32(b - 0x30)
        case 0x41...0x46: UInt32(b - 0x41 + 10)
        default: nil
        }
    }

    /// Parses the tables now rather than at the first non-ASCII character.
    static func prepare() { _ = tables }

    /// The folding of a non-ASCII scalar, or `nil` when folding leaves it unchanged.
    @inline(__always)
    static func fold(_ scalar: UInt32) -> ArraySlice<UInt32>? {
        if scalar >= 0xAC00 && scalar <= 0xD7A3 { return hangul(scalar) }
        let keys = tables.keys
        var low = 0
        var high = keys.count
        while low < high {
            let mid = (low + high) / 2
            if keys[mid] < scalar { low = mid + 1 } else { high = mid }
        }
        guard low < keys.count, keys[low] == scalar else { return nil }
        return tables.values[Int(tables.starts[low])..<Int(tables.starts[low + 1])]
    }

    /// True for letters (L*) and decimal digits (Nd).
    static func isWordCharacter(_ scalar: UInt32) -> Bool {
        // Membership flips at each boundary: count the boundaries at or below the scalar.
        let boundaries = tables.boundaries
        var low = 0
        var high = boundaries.count
        while low < high {
            let mid = (low + high) / 2
            if boundaries[mid] <= scalar { low = mid + 1 } else { high = mid }
        }
        return low % 2 == 1
    }

    /// Canonical decomposition of a precomposed Hangul syllable (Unicode, section 3.12).
    private static func hangul(_ scalar: UInt32) -> ArraySlice<UInt32> {
        let index = scalar - 0xAC00
        let lead = 0x1100 + index / 588
        let vowel = 0x1161 + (index % 588) / 28
        let trail = index % 28
        return trail == 0 ? [lead, vowel] : [lead, vowel, 0x11A7 + trail]
    }
}

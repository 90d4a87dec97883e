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
        forEachWord(in: text) { words.append(String(decoding: $0, as: UTF8.self)) }
        return words
    }

    /// Calls `body` with the UTF-8 bytes of each folded word of `text`, in order. The buffer is only
    /// valid during the call.
    public static func forEachWord(in text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { scratch in
                var word = WordBuffer(inline: scratch)
                scan(bytes, word: &word, body)
                word.release()
            }
        }
    }

    @inline(__always)
    private static func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, word: inout WordBuffer, _ body: (UnsafeBufferPointer<UInt8>) -> Void
    ) {
        let n = bytes.count
        var i = 0
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                if let lower = asciiWordByte(b) {
                    word.append(lower)
                } else if word.count > 0 {
                    word.emit(body)
                }
                i += 1
                continue
            }
            let (scalar, length) = decodeScalar(bytes, at: i)
            i += length
            if let folded = UnicodeFolding.fold(scalar) {
                for s in folded { appendFolded(s, to: &word, body) }
            } else {
                appendFolded(scalar, to: &word, body)
            }
        }
        if word.count > 0 { word.emit(body) }
    }

    @inline(__always)
    private static func appendFolded(_ scalar: UInt32, to word: inout WordBuffer, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        if scalar < 0x80 {
            if let lower = asciiWordByte(UInt8(scalar)) {
                word.append(lower)
            } else if word.count > 0 {
                word.emit(body)
            }
        } else if UnicodeFolding.isWordCharacter(scalar) {
            word.appendScalar(scalar)
        } else if word.count > 0 {
            word.emit(body)
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
    static func decodeScalar(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        let b0 = UInt32(s[i])
        if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(s[i + 1] & 0x3F), 2) }
        if b0 < 0xF0 { return ((b0 & 0x0F) << 12 | UInt32(s[i + 1] & 0x3F) << 6 | UInt32(s[i + 2] & 0x3F), 3) }
        return (
            (b0 & 0x07) << 18 | UInt32(s[i + 1] & 0x3F) << 12 | UInt32(s[i + 2] & 0x3F) << 6 | UInt32(s[i + 3] & 0x3F), 4
        )
    }
}

/// The bytes of the word being built: on the stack while short, on the heap when a word is long.
struct WordBuffer {
    private var storage: UnsafeMutableBufferPointer<UInt8>
    private var heap = false
    private(set) var count = 0

    init(inline: UnsafeMutableBufferPointer<UInt8>) { storage = inline }

    @inline(__always)
    mutating func append(_ b: UInt8) {
        if count == storage.count { grow() }
        storage[count] = b
        count += 1
    }

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
    mutating func emit(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        body(UnsafeBufferPointer(rebasing: storage[..<count]))
        count = 0
    }

    private mutating func grow() {
        let bigger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: storage.count * 2)
        _ = bigger.initialize(from: storage)
        if heap { storage.deallocate() }
        storage = bigger
        heap = true
    }

    /// Frees heap storage, if the word ever outgrew the inline buffer.
    func release() {
        if heap { storage.deallocate() }
    }
}

/// Per-code-point folding and word-character classification from the generated tables.
enum UnicodeFolding {
    private static let table: [UInt32: [UInt32]] = {
        var table: [UInt32: [UInt32]] = [:]
        table.reserveCapacity(9000)
        for entry in UnicodeTables.folds.split(whereSeparator: { $0 == ";" || $0 == "\n" || $0 == " " }) {
            let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let key = UInt32(parts[0], radix: 16) else { continue }
            table[key] = parts[1].split(separator: ",").compactMap { UInt32($0, radix: 16) }
        }
        return table
    }()

    private static let boundaries: [UInt32] = UnicodeTables.wordBoundaries
        .split(whereSeparator: { $0 == "," || $0 == "\n" || $0 == " " }).compactMap { UInt32($0, radix: 16) }

    /// The folding of a non-ASCII scalar, or `nil` when folding leaves it unchanged.
    @inline(__always)
    static func fold(_ scalar: UInt32) -> [UInt32]? {
        if scalar >= 0xAC00 && scalar <= 0xD7A3 { return hangul(scalar) }
        return table[scalar]
    }

    /// True for letters (L*) and decimal digits (Nd).
    static func isWordCharacter(_ scalar: UInt32) -> Bool {
        // Membership flips at each boundary: count the boundaries at or below the scalar.
        var low = 0
        var high = boundaries.count
        while low < high {
            let mid = (low + high) / 2
            if boundaries[mid] <= scalar { low = mid + 1 } else { high = mid }
        }
        return low % 2 == 1
    }

    /// Canonical decomposition of a precomposed Hangul syllable (Unicode, section 3.12).
    private static func hangul(_ scalar: UInt32) -> [UInt32] {
        let index = scalar - 0xAC00
        let lead = 0x1100 + index / 588
        let vowel = 0x1161 + (index % 588) / 28
        let trail = index % 28
        return trail == 0 ? [lead, vowel] : [lead, vowel, 0x11A7 + trail]
    }
}

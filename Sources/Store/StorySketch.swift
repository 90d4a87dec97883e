// SPDX-License-Identifier: MIT
public import Foundation

/// A compact fingerprint of a story's cleaned text, to tell a syndicated copy (the same story with
/// another page's chrome, a paragraph cut or added, a credit line) from a different story on the same
/// subject. MinHash over word 4-shingles: the share of equal values in two sketches estimates the
/// Jaccard similarity of the two texts' shingle sets (the standard error at 64 values is at most 0.06).
/// The first 32 values, in 16 bands of two, are the keys the store finds candidates by (LSH): a pair at
/// similarity 0.6 shares a band with probability 1 − (1 − 0.6²)¹⁶ = 0.9992.
///
/// MinHash rather than SimHash: SimHash's Hamming distance follows the texts' cosine similarity, which
/// for a copy with one paragraph in ten changed already flips ~6 of 64 bits, beyond the 3 bits its
/// usual block index finds; MinHash's estimate is of the very overlap the threshold speaks of.
public struct StorySketch: Sendable, Equatable {
    public static let count = 64
    static let bands = 16
    static let rows = 2
    static let shingleWords = 4
    /// Fewer words than this is too little text to call two stories the same: such an entry is a
    /// story of its own.
    public static let minimumWords = 30
    /// Words read at most: a copy is told by its first few thousand words as well as by all.
    static let maximumWords = 4000

    public private(set) var values: [UInt32]

    /// The sketch of `text`, or `nil` when it has fewer than ``minimumWords`` words.
    public init?(text: String) {
        let words = Self.wordHashes(text)
        guard words.count >= Self.minimumWords else { return nil }
        var minimums = [UInt32](repeating: .max, count: Self.count)
        for start in 0...(words.count - Self.shingleWords) {
            var shingle: UInt64 = 0x243F_6A88_85A3_08D3
            for word in words[start..<(start + Self.shingleWords)] { shingle = (shingle ^ word) &* 0x9E37_79B9_7F4A_7C15 }
            shingle ^= shingle >> 29
            // One multiply-shift hash per value: independent enough that the minimums estimate well.
            for index in 0..<Self.count {
                let value = UInt32(truncatingIfNeeded: (Self.multipliers[index] &* shingle &+ Self.addends[index]) >> 32)
                if value < minimums[index] { minimums[index] = value }
            }
        }
        values = minimums
    }

    init(values: [UInt32]) { self.values = values }

    /// The estimated Jaccard similarity of the two texts' shingles: the share of equal values.
    public func similarity(to other: StorySketch) -> Double {
        var equal = 0
        for (a, b) in zip(values, other.values) where a == b { equal += 1 }
        return Double(equal) / Double(Self.count)
    }

    /// The keys of the sketch's bands: a near-duplicate shares at least one.
    var bandKeys: [Int64] {
        (0..<Self.bands).map { band in
            var key = UInt64(values[band * Self.rows]) << 32 | UInt64(values[band * Self.rows + 1])
            key = (key ^ UInt64(band) &* 0xD6E8_FEB8_6659_FD93) &* 0x9E37_79B9_7F4A_7C15
            return Int64(bitPattern: key ^ key >> 31)
        }
    }

    /// The sketch as the store keeps it: 256 bytes, little-endian.
    var bytes: Data {
        var data = Data(capacity: Self.count * 4)
        for value in values { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    init?(bytes: Data) {
        guard bytes.count == Self.count * 4 else { return nil }
        values = stride(from: 0, to: bytes.count, by: 4).map { offset in
            bytes[bytes.startIndex + offset..<bytes.startIndex + offset + 4].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        }
    }

    /// FNV-1a of each word, case folded for ASCII: letters and digits make words, and so does every
    /// byte of a non-ASCII character (copies share their case, so folding beyond ASCII buys nothing).
    static func wordHashes(_ text: String) -> [UInt64] {
        var text = text
        return text.withUTF8 { bytes in
            var words: [UInt64] = []
            var hash = StableHash.offsetBasis
            var inWord = false
            for var byte in bytes {
                let ascii = byte < 0x80
                if ascii {
                    let isUpper = byte >= 0x41 && byte <= 0x5A
                    let isWord = isUpper || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                    if !isWord {
                        if inWord {
                            words.append(hash)
                            if words.count == maximumWords { return words }
                            hash = StableHash.offsetBasis
                            inWord = false
                        }
                        continue
                    }
                    if isUpper { byte |= 0x20 }
                }
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
                inWord = true
            }
            if inWord { words.append(hash) }
            return words
        }
    }

    /// Fixed odd multipliers and addends (a seeded generator's output): the same on every machine, so
    /// sketches in the store stay comparable across restarts and versions.
    private static let (multipliers, addends): ([UInt64], [UInt64]) = {
        var state: UInt64 = 0x5EED_F00D_CAFE_D00D
        func next() -> UInt64 {  // SplitMix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let multipliers = (0..<count).map { _ in next() | 1 }
        let addends = (0..<count).map { _ in next() }
        return (multipliers, addends)
    }()
}

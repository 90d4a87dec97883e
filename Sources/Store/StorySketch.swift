// SPDX-License-Identifier: MIT

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
    /// Words per shingle (the loop below spells the four out).
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
        // 64 hash functions of each shingle, 16 at a time in vector registers: (x ⊕ rᵢ)·aᵢ, its high
        // half folded into the low, over a well-mixed 32-bit x — a different permutation per (rᵢ, aᵢ).
        var lowest = (SIMD16<UInt32>(repeating: .max), SIMD16<UInt32>(repeating: .max),
                      SIMD16<UInt32>(repeating: .max), SIMD16<UInt32>(repeating: .max))
        let (r, a) = (Self.flips, Self.multipliers)
        words.withUnsafeBufferPointer { words in
            for start in 0...(words.count - Self.shingleWords) {
                var shingle: UInt64 = 0x243F_6A88_85A3_08D3
                shingle = (shingle ^ words[start]) &* 0x9E37_79B9_7F4A_7C15
                shingle = (shingle ^ words[start + 1]) &* 0x9E37_79B9_7F4A_7C15
                shingle = (shingle ^ words[start + 2]) &* 0x9E37_79B9_7F4A_7C15
                shingle = (shingle ^ words[start + 3]) &* 0x9E37_79B9_7F4A_7C15
                shingle ^= shingle >> 29
                shingle &*= 0xBF58_476D_1CE4_E5B9
                let x = SIMD16<UInt32>(repeating: UInt32(truncatingIfNeeded: shingle >> 32))
                Self.keepLower(&lowest.0, Self.mixed(x, r.0, a.0))
                Self.keepLower(&lowest.1, Self.mixed(x, r.1, a.1))
                Self.keepLower(&lowest.2, Self.mixed(x, r.2, a.2))
                Self.keepLower(&lowest.3, Self.mixed(x, r.3, a.3))
            }
        }
        var minimums: [UInt32] = []
        minimums.reserveCapacity(Self.count)
        for vector in [lowest.0, lowest.1, lowest.2, lowest.3] {
            for lane in 0..<16 { minimums.append(vector[lane]) }
        }
        values = minimums
    }

    init(values: [UInt32]) { self.values = values }

    /// Each lane of `lowest` that `candidate` undercuts takes its value (a vector compare and blend).
    @inline(__always)
    private static func keepLower(_ lowest: inout SIMD16<UInt32>, _ candidate: SIMD16<UInt32>) {
        lowest.replace(with: candidate, where: candidate .< lowest)
    }

    @inline(__always)
    private static func mixed(_ x: SIMD16<UInt32>, _ flip: SIMD16<UInt32>, _ multiplier: SIMD16<UInt32>) -> SIMD16<UInt32> {
        let product = (x ^ flip) &* multiplier
        return product ^ (product &>> 16)
    }

    /// Fixed flips and odd multipliers (a seeded generator's output): the same on every machine, so
    /// sketches in the store stay comparable across restarts and versions.
    private static let (flips, multipliers): (
        (SIMD16<UInt32>, SIMD16<UInt32>, SIMD16<UInt32>, SIMD16<UInt32>),
        (SIMD16<UInt32>, SIMD16<UInt32>, SIMD16<UInt32>, SIMD16<UInt32>)
    ) = {
        var state: UInt64 = 0x5EED_F00D_CAFE_D00D
        func vector(odd: Bool) -> SIMD16<UInt32> {
            var vector = SIMD16<UInt32>()
            for lane in 0..<16 {
                state &+= 0x9E37_79B9_7F4A_7C15  // SplitMix64
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                vector[lane] = UInt32(truncatingIfNeeded: z ^ (z >> 31)) | (odd ? 1 : 0)
            }
            return vector
        }
        let flips = (vector(odd: false), vector(odd: false), vector(odd: false), vector(odd: false))
        return (flips, (vector(odd: true), vector(odd: true), vector(odd: true), vector(odd: true)))
    }()

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
    var bytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.count * 4)
        for value in values { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        return bytes
    }

    init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.count * 4 else { return nil }
        var values: [UInt32] = []
        values.reserveCapacity(Self.count)
        var value: UInt32 = 0
        for (index, byte) in bytes.enumerated() {
            value |= UInt32(byte) << (8 * UInt32(index % 4))
            if index % 4 == 3 {
                values.append(value)
                value = 0
            }
        }
        self.values = values
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
}

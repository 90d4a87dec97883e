// SPDX-License-Identifier: MIT

/// Byte tests on eight bytes at once ("SIMD within a register"), for the scanning loops.
enum SWAR {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// High bit set where `word` (little-endian) has `byte`, in the first such byte at least: a later
    /// byte may be marked too (a borrow), an earlier one never; zero exactly when there is none.
    @inline(__always)
    static func bytesEqual(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let x = word ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & highs
    }

    /// High bit set in each byte of `word` below `limit` (at most 0x80), and only there: bytes at or
    /// above 0x80 never count.
    @inline(__always)
    static func bytesBelow(_ word: UInt64, _ limit: UInt8) -> UInt64 {
        (word &- ones &* UInt64(limit)) & ~word & highs
    }

    /// The offset (0…7) of the first byte of `word`, loaded little-endian from memory, that equals `a`,
    /// `b` or `c`; `nil` when none does.
    @inline(__always)
    static func firstByte(_ word: UInt64, _ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int? {
        let found = bytesEqual(word, a) | bytesEqual(word, b) | bytesEqual(word, c)
        return found == 0 ? nil : found.trailingZeroBitCount >> 3
    }
}

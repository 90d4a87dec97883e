// SPDX-License-Identifier: MIT

/// Byte tests on eight bytes at once ("SIMD within a register"), for the scanning loops.
enum SWAR {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// High bit set in the byte of `word` that first equals `byte` (bits above it may be set too: a
    /// borrow can mark a later byte, never an earlier one).
    @inline(__always)
    private static func matches(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let x = word ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & highs
    }

    /// The offset (0…7) of the first byte of `word`, loaded little-endian from memory, that equals `a`
    /// or `b`; `nil` when none does.
    @inline(__always)
    static func firstByte(_ word: UInt64, _ a: UInt8, _ b: UInt8) -> Int? {
        let found = matches(word, a) | matches(word, b)
        return found == 0 ? nil : found.trailingZeroBitCount >> 3
    }

    /// Like ``firstByte(_:_:_:)``, for any of three bytes.
    @inline(__always)
    static func firstByte(_ word: UInt64, _ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int? {
        let found = matches(word, a) | matches(word, b) | matches(word, c)
        return found == 0 ? nil : found.trailingZeroBitCount >> 3
    }

    /// High bit set in each byte of `word` below `limit` (at most 0x80), and only there: bytes at or
    /// above 0x80 never count.
    @inline(__always)
    static func bytesBelow(_ word: UInt64, _ limit: UInt8) -> UInt64 {
        (word &- ones &* UInt64(limit)) & ~word & highs
    }

    /// High bit set where `word` (little-endian) has `byte`, in the first such byte at least: a later
    /// byte may be marked too (a borrow), an earlier one never; zero exactly when there is none.
    @inline(__always)
    static func bytesEqual(_ word: UInt64, _ byte: UInt8) -> UInt64 { matches(word, byte) }
}

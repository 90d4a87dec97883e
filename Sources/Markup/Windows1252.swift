// SPDX-License-Identifier: MIT

/// The windows-1252 code page, which real feeds and pages use far more often than they declare it.
enum Windows1252 {
    /// Code points of bytes 0x80–0x9F; 0 where windows-1252 leaves the byte undefined.
    static let highControls: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]

    /// The code point of one windows-1252 byte, or U+FFFD where the byte is undefined.
    static func scalar(_ byte: UInt8) -> UInt32 {
        if byte < 0x80 || byte >= 0xA0 { return UInt32(byte) }
        let mapped = highControls[Int(byte - 0x80)]
        return mapped == 0 ? 0xFFFD : mapped
    }
}

/// Appends the UTF-8 encoding of a code point.
@inline(__always)
func appendUTF8(_ code: UInt32, to out: inout [UInt8]) {
    switch code {
    case 0..<0x80:
        out.append(UInt8(code))
    case 0x80..<0x800:
        out.append(UInt8(0xC0 | (code >> 6)))
        out.append(UInt8(0x80 | (code & 0x3F)))
    case 0x800..<0x10000:
        out.append(UInt8(0xE0 | (code >> 12)))
        out.append(UInt8(0x80 | ((code >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (code & 0x3F)))
    default:
        out.append(UInt8(0xF0 | (code >> 18)))
        out.append(UInt8(0x80 | ((code >> 12) & 0x3F)))
        out.append(UInt8(0x80 | ((code >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (code & 0x3F)))
    }
}

/// C1 control characters (U+0080–U+009F) in text almost always stand for the windows-1252 characters
/// of the same byte values (a document transcoded as Latin-1, or `&#146;` for an apostrophe).
public enum C1Controls {
    /// The text of UTF-8 `bytes`, with each C1 control that windows-1252 defines replaced by its character.
    public static func decodedAsWindows1252(_ bytes: Span<UInt8>) -> String {
        var found = firstIndex(of: 0xC2, in: bytes)
        while let i = found, i + 1 < bytes.count, !(0x80...0x9F).contains(bytes[i + 1]) {
            found = firstIndex(of: 0xC2, in: bytes, from: i + 1)
        }
        guard let first = found, first + 1 < bytes.count else { return decodeUTF8(bytes) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        appendBytes(bytes.extracting(..<first), to: &out)
        var i = first
        while i < bytes.count {
            let byte = bytes[i]
            if byte == 0xC2, i + 1 < bytes.count, (0x80...0x9F).contains(bytes[i + 1]) {
                let mapped = Windows1252.highControls[Int(bytes[i + 1] - 0x80)]
                appendUTF8(mapped == 0 ? UInt32(bytes[i + 1]) : mapped, to: &out)
                i += 2
            } else {
                out.append(byte)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

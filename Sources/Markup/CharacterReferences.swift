// SPDX-License-Identifier: MIT

/// Decoding of HTML character references (`&amp;`, `&eacute;`, `&#233;`, `&#xE9;`).
public enum CharacterReferences {
    /// `text` with every character reference replaced by its characters, as a browser reads text:
    /// all named references of HTML, numeric ones (windows-1252 for 0x80–0x9F, U+FFFD for invalid code
    /// points), and the legacy names that may omit the `;`. Unknown references stay as written.
    public static func decode(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return text }
        var text = text
        text.makeContiguousUTF8()
        let bytes = text.utf8.span
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            guard byte == UInt8(ascii: "&"), let (replacement, length) = reference(in: bytes, at: i) else {
                out.append(byte)
                i += 1
                continue
            }
            out.append(contentsOf: replacement.utf8)
            i += length
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The reference starting at `bytes[start]` (an `&`): its text and length in bytes.
    static func reference(in bytes: Span<UInt8>, at start: Int) -> (String, Int)? {
        var i = start + 1
        guard i < bytes.count else { return nil }
        if bytes[i] == UInt8(ascii: "#") {
            i += 1
            var hex = false
            if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "x") {
                hex = true
                i += 1
            }
            var value: UInt32 = 0
            let digitsStart = i
            while i < bytes.count, let digit = digitValue(bytes[i], hex: hex), i - digitsStart < 8 {
                value = value * (hex ? 16 : 10) + digit
                i += 1
            }
            guard i > digitsStart else { return nil }
            if i < bytes.count, bytes[i] == UInt8(ascii: ";") { i += 1 }
            return (String(numericScalar(value)), i - start)
        }
        let nameStart = i
        while i < bytes.count, i - nameStart <= HTMLEntityTable.longestName, isNameByte(bytes[i]) { i += 1 }
        guard i > nameStart else { return nil }
        if i < bytes.count, bytes[i] == UInt8(ascii: ";"),
            let value = HTMLEntityTable.byName[decodeUTF8(bytes.extracting(nameStart..<i))]
        {
            return (value, i + 1 - start)
        }
        guard i - nameStart <= 6 else { return nil }  // longest legacy name: "middot", "plusmn"
        // Legacy references without `;`: the longest known prefix of the name.
        var end = i
        while end > nameStart {
            let candidate = decodeUTF8(bytes.extracting(nameStart..<end))
            if HTMLEntityTable.legacyWithoutSemicolon.contains(candidate), let value = HTMLEntityTable.byName[candidate] {
                return (value, end - start)
            }
            end -= 1
        }
        return nil
    }

    /// The character a numeric reference stands for, as browsers read it.
    static func numericScalar(_ value: UInt32) -> Unicode.Scalar {
        if (0x80...0x9F).contains(value) {
            let mapped = Windows1252.highControls[Int(value - 0x80)]
            return Unicode.Scalar(mapped == 0 ? value : mapped)!
        }
        if value == 0 { return "\u{FFFD}" }
        return Unicode.Scalar(value) ?? "\u{FFFD}"
    }

    @inline(__always)
    static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39)
    }

    @inline(__always)
    static func digitValue(_ b: UInt8, hex: Bool) -> UInt32? {
        switch b {
        case 0x30...0x39: return UInt32(b - 0x30)
        case 0x61...0x66 where hex: return UInt32(b - 0x61 + 10)
        case 0x41...0x46 where hex: return UInt32(b - 0x41 + 10)
        default: return nil
        }
    }
}

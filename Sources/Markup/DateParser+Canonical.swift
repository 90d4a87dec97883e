// SPDX-License-Identifier: MIT

extension DateParser {
    /// The two forms nearly every feed writes, read straight from the bytes: RFC 1123
    /// (`Sat, 01 Mar 2025 12:00:00 GMT`, a numeric zone or `UT`/`UTC`/`Z`) and RFC 3339
    /// (`2025-03-01T12:00:00Z`, fractions and `±hh:mm` allowed). `nil` for anything else, which the
    /// general readers then try; for the text it accepts it gives the same instant they do.
    static func canonical(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { bytes in
            var cursor = ByteCursor(bytes)
            if let value = cursor.rfc3339() { return value }
            cursor = ByteCursor(bytes)
            return cursor.rfc1123()
        }
    }
}

/// A forward-only reader over the bytes of one date; every method either consumes what it
/// matched or fails without a partial answer mattering (the caller gives up on failure).
private struct ByteCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }

    mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// Exactly `count` ASCII digits.
    mutating func digits(_ count: Int) -> Int? {
        guard index + count <= bytes.count else { return nil }
        var value = 0
        for offset in 0..<count {
            let digit = bytes[index + offset] &- 0x30
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        index += count
        return value
    }

    /// Three ASCII letters, lowercased into one integer.
    mutating func threeLetters() -> UInt32? {
        guard index + 3 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<3 {
            let letter = bytes[index + offset] | 0x20
            guard letter >= 0x61, letter <= 0x7A else { return nil }
            value = value << 8 | UInt32(letter)
        }
        index += 3
        return value
    }

    /// `hh:mm:ss`, as seconds of the day.
    mutating func clock() -> Int? {
        guard let hour = digits(2), take(0x3A), let minute = digits(2), take(0x3A), let second = digits(2),
              hour < 24, minute < 60, second <= 60 else { return nil }
        return hour * 3600 + minute * 60 + min(second, 59)
    }

    /// `±hhmm`, or `±hh:mm` when `colon`, as seconds east of UTC.
    mutating func numericZone(colon: Bool) -> Int? {
        guard index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D else { return nil }
        let sign = bytes[index] == 0x2D ? -1 : 1
        index += 1
        guard let hours = digits(2), !colon || take(0x3A), let minutes = digits(2), hours <= 14, minutes < 60 else { return nil }
        return sign * (hours * 3600 + minutes * 60)
    }

    mutating func rfc3339() -> Int64? {
        guard let year = digits(4), take(0x2D), let month = digits(2), take(0x2D), let day = digits(2),
              take(0x54) || take(0x74), let seconds = clock() else { return nil }
        if take(0x2E) {
            let start = index
            while index < bytes.count, bytes[index] &- 0x30 < 10 { index += 1 }
            guard index > start, index - start <= 9 else { return nil }
        }
        let offset: Int
        if take(0x5A) || take(0x7A) {
            offset = 0
        } else if let zone = numericZone(colon: true) {
            offset = zone
        } else {
            return nil
        }
        guard atEnd else { return nil }
        return DateParser.instant(year: year, month: month, day: day, seconds: seconds, offset: offset)
    }

    mutating func rfc1123() -> Int64? {
        if let weekday = threeLetters() {
            guard Self.weekdays.contains(weekday), take(0x2C), take(0x20) else { return nil }
        }
        guard let day = digits(2) ?? digits(1), take(0x20), let name = threeLetters(),
              let month = Self.months.firstIndex(of: name), take(0x20), let year = digits(4), take(0x20),
              let seconds = clock(), take(0x20) else { return nil }
        let offset: Int
        if let zone = numericZone(colon: false) {
            offset = zone
        } else {
            let rest = String(decoding: UnsafeBufferPointer(rebasing: bytes[index...]), as: UTF8.self)
            guard ["GMT", "UT", "UTC", "Z"].contains(rest) else { return nil }
            index = bytes.count
            offset = 0
        }
        guard atEnd else { return nil }
        return DateParser.instant(year: year, month: month + 1, day: day, seconds: seconds, offset: offset)
    }

    private static func packed(_ name: String) -> UInt32 { name.utf8.reduce(0) { $0 << 8 | UInt32($1) } }
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].map(packed)
    private static let weekdays = Set(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map(packed))
}

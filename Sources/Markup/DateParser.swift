// SPDX-License-Identifier: MIT
public import Foundation

/// Parses the dates feeds write: RFC 822/1123 and its real-world variants (RFC 850, asctime), ISO 8601/
/// RFC 3339/W3C-DTF and their variants, month and weekday names in the common European languages and
/// Greek, and the forms of Korean blog platforms.
/// A date it cannot read with certainty is `nil`, never a guess.
public enum DateParser {
    /// The instant `text` denotes, or `nil`.
    public static func parse(_ text: String) -> Date? {
        if let seconds = canonical(text) { return Date(timeIntervalSince1970: TimeInterval(seconds)) }
        var s = text.trimmingWhitespace()
        // A trailing comment, as in "… +0000 (UTC)".
        if s.hasSuffix(")"), let open = s.lastIndex(of: "(") { s = s[..<open].trimmingWhitespace() }
        guard !s.isEmpty, s.count < 100 else { return nil }
        let seconds = iso8601(s) ?? rfc822(s) ?? korean(s)
        return seconds.map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    // MARK: ISO 8601 family

    /// `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYY-DDD`, `YYYYMMDD`, `-YYMM`, `-YY-MM`, each optionally followed
    /// by `T` or a space and `hh:mm[:ss[.fff]]` and a zone; months may be names (`2004-július-13`).
    static func iso8601(_ s: String) -> Int64? {
        Scanner.scanning(s, iso8601)
    }

    private static func iso8601(_ start: Scanner) -> Int64? {
        var scanner = start
        var year: Int
        var month = 1
        var day = 1
        if scanner.take("-") {
            // Two-digit year in the current century: `-YYMM`, `-YY-MM`.
            guard let yy = scanner.digits(exactly: 2) else { return nil }
            year = 2000 + yy
            _ = scanner.take("-")
            guard let mm = scanner.digits(exactly: 2) else { return nil }
            month = mm
        } else if let (yy, m, d) = twoDigitYearDate(&scanner) {
            // feedparser's `YY-?MM-?DD` and `YY-?OOO` templates: the year in the current century.
            (year, month, day) = (2000 + yy, m, d)
        } else {
            guard let y = scanner.digits(exactly: 4) else { return nil }
            year = y
            if scanner.take("-") {
                var lookahead = scanner
                if let name = lookahead.letters(), let m = DateNames.month(name) {
                    scanner = lookahead
                    month = m
                    guard scanner.take("-"), let d = scanner.digits(1...2) else { return nil }
                    day = d
                } else if let (value, count) = scanner.number(1...3) {
                    if count == 3 && !scanner.peek("-") {
                        guard let (m, d) = monthDay(ordinal: value, year: year) else { return nil }
                        (month, day) = (m, d)
                    } else {
                        month = value
                        if scanner.take("-") {
                            guard let d = scanner.digits(1...2) else { return nil }
                            day = d
                        }
                    }
                } else {
                    return nil
                }
            } else if let mm = scanner.digits(exactly: 2) {
                month = mm
                guard let dd = scanner.digits(exactly: 2) else { return nil }
                day = dd
            }
        }
        var seconds = 0
        var offset = 0
        if scanner.take("T") || scanner.take("t") || scanner.take(" ") {
            while scanner.take(" ") {}
            guard let (time, zone) = timeAndZone(&scanner, compactAllowed: true) else { return nil }
            seconds = time
            offset = zone ?? 0
        }
        guard scanner.atEnd else { return nil }
        return instant(year: year, month: month, day: day, seconds: seconds, offset: offset)
    }

    /// `YY-MM-DD`, `YYMMDD`, `YY-OOO` or `YYOOO` (an ordinal day) where the date part ends (at the end,
    /// a `T` or a space), as (two-digit year, month, day); the scanner is left after it. Otherwise
    /// `nil`, the scanner untouched: four digits first are a full year.
    private static func twoDigitYearDate(_ scanner: inout Scanner) -> (Int, Int, Int)? {
        var trial = scanner
        guard let yy = trial.digits(exactly: 2) else { return nil }
        let separated = trial.take("-")
        guard let (value, count) = trial.number(1...4) else { return nil }
        var month: Int, day: Int
        if count == 3, !trial.peek("-") {
            guard let (m, d) = monthDay(ordinal: value, year: 2000 + yy) else { return nil }
            (month, day) = (m, d)
        } else if separated, count == 2, trial.take("-"), let dd = trial.digits(exactly: 2) {
            (month, day) = (value, dd)
        } else if !separated, count == 4 {
            (month, day) = (value / 100, value % 100)
        } else {
            return nil
        }
        guard trial.atEnd || trial.peek("T") || trial.peek(" ") else { return nil }
        scanner = trial
        return (yy, month, day)
    }

    /// `hh:mm[:ss[.fff]]` (or `hhmmss`) and an optional zone; returns seconds of day and zone offset.
    private static func timeAndZone(_ scanner: inout Scanner, compactAllowed: Bool) -> (Int, Int?)? {
        guard let hour = scanner.digits(exactly: 2) ?? scanner.digits(1...1) else { return nil }
        var minute = 0
        var second = 0
        if scanner.take(":") {
            guard let m = scanner.digits(exactly: 2) else { return nil }
            minute = m
            if scanner.take(":") {
                guard let sec = scanner.digits(exactly: 2) else { return nil }
                second = sec
            }
        } else if compactAllowed, let m = scanner.digits(exactly: 2) {
            minute = m
            if let sec = scanner.digits(exactly: 2) { second = sec }
        } else {
            return nil
        }
        if scanner.take(".") || scanner.take(",") { _ = scanner.number(1...9) }
        guard hour < 24 || (hour == 24 && minute == 0 && second == 0), minute < 60, second <= 60 else { return nil }
        while scanner.take(" ") {}
        let zone = scanner.atEnd ? nil : zoneOffset(scanner.rest)
        if !scanner.atEnd {
            guard zone != nil else { return nil }
            scanner.skipToEnd()
        }
        return (hour * 3600 + minute * 60 + min(second, 59), zone)
    }

    /// Seconds east of UTC for `Z`, `±hh`, `±hhmm`, `±hh:mm`, `GMT±…`, a zone name, or the tz
    /// database's `Etc/` zones (`Etc/GMT`, `Etc/UTC`; `Etc/GMT+5` is five hours *behind* UTC: POSIX
    /// signs, as the tz database writes them).
    static func zoneOffset(_ text: Substring) -> Int? {
        var t = text.trimmingWhitespace()[...]
        if t.lowercased().hasPrefix("etc/") {
            let zone = t.dropFirst(4)
            if ["gmt", "utc", "uct", "ut", "zulu", "universal", "greenwich"].contains(zone.lowercased()) { return 0 }
            guard zone.uppercased().hasPrefix("GMT"), let offset = zoneOffset(zone), offset % 3600 == 0 else { return nil }
            return -offset
        }
        if let named = DateNames.zone(String(t)) { return named }
        for prefix in ["GMT", "UTC", "UT"] where t.uppercased().hasPrefix(prefix) && t.count > prefix.count {
            t = t.dropFirst(prefix.count)
            break
        }
        guard let sign = t.first, sign == "+" || sign == "-" else { return nil }
        let digits = t.dropFirst().filter { $0 != ":" }
        guard digits.allSatisfy(\.isASCIIDigit), [1, 2, 3, 4].contains(digits.count) else { return nil }
        let value = Int(digits)!
        let (hours, minutes) = digits.count <= 2 ? (value, 0) : (value / 100, value % 100)
        guard hours <= 14, minutes < 60 else { return nil }
        return (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
    }

    // MARK: RFC 822 family

    /// `[Weekday,] DD Mon YYYY [hh:mm[:ss]] [zone]` and its variants: no weekday, two-digit years,
    /// full or foreign month names, `Mon DD YYYY` order, `YYYY/MM/DD`, stray commas, odd spacing.
    static func rfc822(_ s: String) -> Int64? {
        let tokens = s.utf8.split(whereSeparator: { $0 == 0x2C || $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D })
            .flatMap { token -> [String] in
                // RFC 850 writes the date as one token, `04-Jan-04`.
                let hasLetter = token.contains { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A || $0 >= 0x80 }
                let first = token.first ?? 0
                // Only a token that starts with the day: `GMT-01:01` is a zone with its offset.
                if hasLetter, token.contains(UInt8(ascii: "-")), first >= 0x30 && first <= 0x39 {
                    return token.split(separator: UInt8(ascii: "-")).map { String(decoding: $0, as: UTF8.self) }
                }
                return [String(decoding: token, as: UTF8.self)]
            }
        var day: Int?
        var month: Int?
        var year: Int?
        var seconds = 0
        var offset: Int?
        var numbers: [String] = []
        var sawTime = false
        var monthIndex = -1
        for (index, token) in tokens.enumerated() {
            let startsWithDigit = token.utf8.first.map { $0 >= 0x30 && $0 <= 0x39 } ?? false
            if !sawTime, token.utf8.contains(UInt8(ascii: ":")), startsWithDigit {
                let read = Scanner.scanning(token) { start in
                    var scanner = start
                    return timeAndZone(&scanner, compactAllowed: false)
                }
                guard let (time, zone) = read else { return nil }
                seconds = time
                if let zone { offset = zone }
                sawTime = true
            } else if token.utf8.contains(UInt8(ascii: "/")), startsWithDigit {
                let parts = token.split(separator: "/").map { Int($0) }
                guard parts.count == 3, let a = parts[0], let b = parts[1], let c = parts[2], a > 31 else { return nil }
                (year, month, day) = (a, b, c)
            } else if token.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                numbers.append(token)
            } else if let m = DateNames.month(token) {
                // "mar." is Tuesday in French and March in many languages: a first token that is
                // both gives way to a later month.
                guard month == nil || (monthIndex == 0 && DateNames.isWeekday(tokens[0])) else { return nil }
                month = m
                monthIndex = index
            } else if sawTime || numbers.count + (month == nil ? 0 : 1) >= 3, offset == nil, let zone = zoneOffset(token[...]) {
                offset = zone
            } else if offset != nil, ["gmt", "ut", "utc", "z"].contains(token.lowercased()) {
                continue  // "-0800 GMT": the offset says it all
            } else if DateNames.isWeekday(token) && index < 2 {
                continue
            } else {
                return nil
            }
        }
        for number in numbers {
            if number.count == 4, year == nil {
                year = Int(number)
            } else if number.count <= 2, day == nil {
                day = Int(number)
            } else if number.count <= 2, year == nil {
                let yy = Int(number)!
                year = yy < 50 ? 2000 + yy : 1900 + yy
            } else {
                return nil
            }
        }
        guard let year, let month, let day else { return nil }
        return instant(year: year, month: month, day: day, seconds: seconds, offset: offset ?? 0)
    }

    // MARK: Calendar arithmetic

    /// The instant of a civil date and time, `seconds` after midnight (at most a day, for `24:00` and
    /// leap seconds) in a zone `offset` seconds east of UTC (at most a day either way); `nil` for a
    /// date that does not exist, or whose instant falls outside the years 1 to 9999 in UTC (1 January
    /// of the year 1 at 01:00 in Seoul is still the year 0 in UTC), which ISO 8601 cannot write.
    static func instant(year: Int, month: Int, day: Int, seconds: Int, offset: Int) -> Int64? {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              (0...86_400).contains(seconds), (-86_400...86_400).contains(offset)
        else {
            return nil
        }
        let instant = Int64(daysFromCivil(year: year, month: month, day: day)) * 86_400 + Int64(seconds - offset)
        return writableInstants.contains(instant) ? instant : nil
    }

    /// From 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
    private static let writableInstants: ClosedRange<Int64> =
        Int64(daysFromCivil(year: 1, month: 1, day: 1)) * 86_400...Int64(daysFromCivil(year: 9999, month: 12, day: 31)) * 86_400 + 86_399

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func monthDay(ordinal: Int, year: Int) -> (Int, Int)? {
        var remaining = ordinal
        for month in 1...12 {
            let length = daysIn(month: month, year: year)
            if remaining <= length { return remaining >= 1 ? (month, remaining) : nil }
            remaining -= length
        }
        return nil
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// `YYYY-MM-DDThh:mm:ssZ` for an instant.
    public static func iso8601String(_ date: Date) -> String {
        let total = Int64(date.timeIntervalSince1970.rounded(.down))
        var days = Int(total / 86_400)
        var secondsOfDay = Int(total % 86_400)
        if secondsOfDay < 0 {
            secondsOfDay += 86_400
            days -= 1
        }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        if (0...9999).contains(year) {
            // Every log line and alert carries one: written as bytes, not through interpolation.
            return String(unsafeUninitializedCapacity: 20) { out in
                func put(_ value: Int, digits: Int, at offset: Int) {
                    var value = value
                    for k in stride(from: offset + digits - 1, through: offset, by: -1) {
                        out[k] = UInt8(ascii: "0") + UInt8(value % 10)
                        value /= 10
                    }
                }
                put(year, digits: 4, at: 0)
                put(month, digits: 2, at: 5)
                put(day, digits: 2, at: 8)
                put(secondsOfDay / 3600, digits: 2, at: 11)
                put(secondsOfDay / 60 % 60, digits: 2, at: 14)
                put(secondsOfDay % 60, digits: 2, at: 17)
                (out[4], out[7], out[10], out[13], out[16], out[19]) =
                    (UInt8(ascii: "-"), UInt8(ascii: "-"), UInt8(ascii: "T"), UInt8(ascii: ":"), UInt8(ascii: ":"), UInt8(ascii: "Z"))
                return 20
            }
        }
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let yearText = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        return "\(yearText)-\(two(month))-\(two(day))T\(two(secondsOfDay / 3600)):\(two(secondsOfDay / 60 % 60)):\(two(secondsOfDay % 60))Z"
    }
}

/// A cursor over the UTF-8 bytes of a date string.
struct Scanner {
    private let bytes: [UInt8]
    private var i = 0

    /// `body`'s answer from a scanner at the start of `s`.
    static func scanning<T>(_ s: String, _ body: (Scanner) -> T) -> T {
        body(Scanner(bytes: Array(s.utf8)))
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { i >= bytes.count }
    var rest: Substring { Substring(String(decoding: bytes[i...], as: UTF8.self)) }
    mutating func skipToEnd() { i = bytes.count }
    func peek(_ c: Unicode.Scalar) -> Bool { i < bytes.count && bytes[i] == UInt8(c.value) }

    mutating func take(_ c: Unicode.Scalar) -> Bool {
        guard peek(c) else { return false }
        i += 1
        return true
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// A run of 1…9 digits whose length is in `range`, with its length.
    mutating func number(_ range: ClosedRange<Int>) -> (Int, Int)? {
        var j = i
        var value = 0
        while j < bytes.count, j - i < 9, Self.isDigit(bytes[j]) {
            value = value * 10 + Int(bytes[j] - 0x30)
            j += 1
        }
        guard range.contains(j - i) else { return nil }
        defer { i = j }
        return (value, j - i)
    }

    mutating func digits(_ range: ClosedRange<Int>) -> Int? { number(range)?.0 }

    /// Exactly `count` digits (a longer run is left for the next field).
    mutating func digits(exactly count: Int) -> Int? {
        guard i + count <= bytes.count else { return nil }
        var value = 0
        for j in i..<(i + count) {
            guard Self.isDigit(bytes[j]) else { return nil }
            value = value * 10 + Int(bytes[j] - 0x30)
        }
        i += count
        return value
    }

    /// Whether a letter (ASCII, or any non-ASCII character) is at the cursor.
    var peekLetter: Bool { i < bytes.count && Self.isLetter(bytes[i]) }

    /// An ASCII letter, or a byte of a non-ASCII character (names may be written in any script).
    private static func isLetter(_ b: UInt8) -> Bool { b >= 0x80 || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) }

    /// A run of one to four ASCII letters packed into an integer, one byte each, lower-cased when
    /// `folding` (``key(_:)`` of the same letters): `nil`, and the cursor unmoved, for a longer run or
    /// one that goes on with a non-ASCII character. Names are compared without building strings.
    mutating func shortName(folding: Bool) -> UInt32? {
        var j = i
        var key: UInt32 = 0
        while j < bytes.count, Self.isLetter(bytes[j]) {
            guard bytes[j] < 0x80, j - i < 4 else { return nil }
            key = key << 8 | UInt32(folding ? bytes[j] | 0x20 : bytes[j])
            j += 1
        }
        guard j > i else { return nil }
        i = j
        return key
    }

    /// `name` (one to four ASCII letters) as ``shortName(folding:)`` reads it unfolded.
    static func key(_ name: String) -> UInt32 {
        name.utf8.reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// A run of letters (ASCII letters and any non-ASCII character).
    mutating func letters() -> String? {
        var j = i
        while j < bytes.count, Self.isLetter(bytes[j]) { j += 1 }
        guard j > i else { return nil }
        defer { i = j }
        return String(decoding: bytes[i..<j], as: UTF8.self)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

// SPDX-License-Identifier: MIT

extension DateParser {
    /// The two forms nearly every feed writes, read in one pass over the bytes: RFC 1123
    /// (`Sat, 01 Mar 2025 12:00:00 GMT`, a numeric zone or `UT`/`UTC`/`Z`) and RFC 3339
    /// (`2025-03-01T12:00:00Z`, fractions and `±hh:mm` allowed). `nil` for anything else, which the
    /// general readers then try; for the text it accepts it gives the same instant they do.
    static func canonical(_ text: String) -> Int64? {
        Scanner.scanning(text) { scanner in
            var iso = scanner
            if let value = iso.rfc3339() { return value }
            var rfc = scanner
            return rfc.rfc1123()
        }
    }
}

extension Scanner {
    /// `hh:mm:ss`, as seconds of the day.
    fileprivate mutating func clock() -> Int? {
        guard let hour = digits(exactly: 2), take(":"), let minute = digits(exactly: 2), take(":"), let second = digits(exactly: 2),
              hour < 24, minute < 60, second <= 60 else { return nil }
        return hour * 3600 + minute * 60 + min(second, 59)
    }

    /// `±hhmm`, or `±hh:mm` when `colon`, as seconds east of UTC.
    fileprivate mutating func numericZone(colon: Bool) -> Int? {
        let sign: Int
        if take("+") {
            sign = 1
        } else if take("-") {
            sign = -1
        } else {
            return nil
        }
        guard let hours = digits(exactly: 2), !colon || take(":"), let minutes = digits(exactly: 2), hours <= 14, minutes < 60 else { return nil }
        return sign * (hours * 3600 + minutes * 60)
    }

    fileprivate mutating func rfc3339() -> Int64? {
        guard let year = digits(exactly: 4), take("-"), let month = digits(exactly: 2), take("-"), let day = digits(exactly: 2),
              take("T") || take("t"), let seconds = clock() else { return nil }
        if take("."), number(1...9) == nil { return nil }
        let offset: Int
        if take("Z") || take("z") {
            offset = 0
        } else if let zone = numericZone(colon: true) {
            offset = zone
        } else {
            return nil
        }
        guard atEnd else { return nil }
        return DateParser.instant(year: year, month: month, day: day, seconds: seconds, offset: offset)
    }

    fileprivate mutating func rfc1123() -> Int64? {
        var afterWeekday = self
        if afterWeekday.peekLetter {
            guard let weekday = afterWeekday.shortName(folding: true), Self.weekdays.contains(weekday),
                  afterWeekday.take(","), afterWeekday.take(" ") else { return nil }
            self = afterWeekday
        }
        guard let day = digits(exactly: 2) ?? digits(exactly: 1), take(" "), let name = shortName(folding: true),
              let month = Self.months.firstIndex(of: name).map({ $0 + 1 }), take(" "), let year = digits(exactly: 4), take(" "),
              let seconds = clock(), take(" ") else { return nil }
        let offset: Int
        if let zone = numericZone(colon: false) {
            offset = zone
        } else {
            guard let zone = shortName(folding: false), Self.zones.contains(zone) else { return nil }
            offset = 0
        }
        guard atEnd else { return nil }
        return DateParser.instant(year: year, month: month, day: day, seconds: seconds, offset: offset)
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].map(key)
    private static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map(key)
    private static let zones = ["GMT", "UT", "UTC", "Z"].map(key)
}

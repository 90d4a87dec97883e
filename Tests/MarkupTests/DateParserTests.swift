// SPDX-License-Identifier: MIT
import Foundation
import Testing
@testable import Markup

struct DateParserTests {
    @Test(arguments: [
        // RFC 822 / 1123 and real-world variants
        ("Thu, 01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z"),
        ("Thu, 01 Jan 2004 19:48:21 +0000 (UTC)", "2004-01-01T19:48:21Z"),
        ("01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z"),
        ("Thu, 01 Jan 04 19:48:21 GMT", "2004-01-01T19:48:21Z"),
        ("Thu, 01 Jan 99 19:48:21 GMT", "1999-01-01T19:48:21Z"),
        ("Thu, 01 Jan 2004 19:48 EST", "2004-01-02T00:48:00Z"),
        ("Sun, 06 Jul 2025 10:00:00 PDT", "2025-07-06T17:00:00Z"),
        ("Thu,  1 Jan 2004   19:48:21   -0500", "2004-01-02T00:48:21Z"),
        ("Wed, 19 Feb 2012 22:40:00 -01:01", "2012-02-19T23:41:00Z"),
        ("Mon, 13 Feb, 2012 06:28:00 UTC", "2012-02-13T06:28:00Z"),
        ("Thu, 01 Jan 2004", "2004-01-01T00:00:00Z"),
        ("Mon, 26 January 2004 16:31:00 AT", "2004-01-26T20:31:00Z"),
        ("Thu Aug 30 2012 17:26:16 +0200", "2012-08-30T15:26:16Z"),
        ("Fri, 2006/09/15 08:19:53 EDT", "2006-09-15T12:19:53Z"),
        ("Thu, 30 Apr 2015 08:57:00 MET", "2015-04-30T07:57:00Z"),
        ("Fri,24 Nov 2023 18:28:36 -0000", "2023-11-24T18:28:36Z"),
        ("Sun Jan  4 16:29:06 PST 2004", "2004-01-05T00:29:06Z"),
        ("2004년 05월 28일 01:31:15", "2004-05-27T16:31:15Z"),
        ("2004-05-25 오후 11:23:17", "2004-05-25T14:23:17Z"),
        ("2004-05-25 오전 11:23:17", "2004-05-25T02:23:17Z"),
        ("Sunday, 04-Jan-04 16:29:06 GMT", "2004-01-04T16:29:06Z"),
        ("Thu, 01 Jan 2004 19:48:21 -0800 GMT", "2004-01-02T03:48:21Z"),
        ("Thu, 01 Jan 2004 19:48:21 GMT+0100", "2004-01-01T18:48:21Z"),
        ("Κυρ, 11 Ιούλ 2004 12:00:00 EST", "2004-07-11T17:00:00Z"),
        ("Di, 04 März 2025 08:00:00 +0100", "2025-03-04T07:00:00Z"),
        // A zone written as GMT with its offset, and the tz database's Etc/ zones (POSIX signs).
        ("Tue, 03 Mar 2026 08:15:00 GMT+05:30", "2026-03-03T02:45:00Z"),
        ("Tue, 03 Mar 2026 08:15:00 UTC-03:00", "2026-03-03T11:15:00Z"),
        ("Mon, 02 Mar 2026 23:59:00 Etc/GMT", "2026-03-02T23:59:00Z"),
        ("Mon, 02 Mar 2026 23:59:00 Etc/UTC", "2026-03-02T23:59:00Z"),
        ("Mon, 02 Mar 2026 12:00:00 Etc/GMT-3", "2026-03-02T09:00:00Z"),
        ("Mon, 02 Mar 2026 12:00:00 Etc/GMT+5", "2026-03-02T17:00:00Z"),
        ("mar., 04 févr. 2025 08:00:00 +0100", "2025-02-04T07:00:00Z"),
        // ISO 8601 / RFC 3339 / W3C-DTF
        ("2003-12-31T10:14:55Z", "2003-12-31T10:14:55Z"),
        // Two-digit years (feedparser's YY-?MM-?DD and YY-?OOO templates; the current century)
        ("03-12-31", "2003-12-31T00:00:00Z"),
        ("031231", "2003-12-31T00:00:00Z"),
        ("03-12-31T10:14:55Z", "2003-12-31T10:14:55Z"),
        ("031231T101455Z", "2003-12-31T10:14:55Z"),
        ("03-335", "2003-12-01T00:00:00Z"),
        ("03335", "2003-12-01T00:00:00Z"),
        ("2003-12-31T10:14:55.123456Z", "2003-12-31T10:14:55Z"),
        ("2003-12-31T18:14:55+08:00", "2003-12-31T10:14:55Z"),
        ("2003-12-31T10:14:55-0800", "2003-12-31T18:14:55Z"),
        ("2003-12-31T10:14", "2003-12-31T10:14:00Z"),
        ("2003-12-31 10:14:55", "2003-12-31T10:14:55Z"),
        ("2004-07-08 23:56:58.0", "2004-07-08T23:56:58Z"),
        ("2003-12-31", "2003-12-31T00:00:00Z"),
        ("2003-12", "2003-12-01T00:00:00Z"),
        ("2003", "2003-01-01T00:00:00Z"),
        ("20031231T101455Z", "2003-12-31T10:14:55Z"),
        ("2003-365", "2003-12-31T00:00:00Z"),
        ("2000-02-28T18:14:55-08:00", "2000-02-29T02:14:55Z"),
        ("2004-július-13T9:15-05:00", "2004-07-13T14:15:00Z"),
        ("-0312", "2003-12-01T00:00:00Z"),
        ("-03-12", "2003-12-01T00:00:00Z"),
        ("2003-012-31T10:14:55+00:00", "2003-12-31T10:14:55Z"),
    ])
    func parses(input: String, expected: String) {
        #expect(DateParser.parse(input).map(DateParser.iso8601String) == expected)
    }

    @Test(arguments: [
        "", "not a date", "2003-13-01", "2003-02-30", "Thu, 32 Jan 2004 00:00:00 GMT", "Thu, 01 Foo 2004",
        "2003-12-31T25:00:00Z", "Thu, 01 Jan 2004 19:48:21 XYZ", "12/31/2003", "yesterday", "2003-12-31T10:14:55+99:00",
        "2004-W01-1", "03-13-01", "03-02-30", "03-366", "03-12-31x",
    ])
    func rejectsWhatItCannotReadWithCertainty(input: String) {
        #expect(DateParser.parse(input) == nil)
    }

    @Test func iso8601StringsAcrossTheYears() {
        #expect(DateParser.iso8601String(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(DateParser.iso8601String(Date(timeIntervalSince1970: 1_740_830_400.9)) == "2025-03-01T12:00:00Z")
        #expect(DateParser.iso8601String(Date(timeIntervalSince1970: -62_135_596_800)) == "0001-01-01T00:00:00Z")
        #expect(DateParser.iso8601String(Date(timeIntervalSince1970: 253_402_300_799)) == "9999-12-31T23:59:59Z")
        #expect(DateParser.iso8601String(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
    }

    /// The byte-level reader of the two common forms agrees with the general readers on every
    /// date it accepts, and accepts the forms it is for.
    @Test func theCanonicalReaderAgreesWithTheGeneralOnes() {
        var generator = SystemRandomNumberGenerator()
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        for _ in 0..<2_000 {
            let seconds = Int64.random(in: 0...4_102_444_800, using: &generator)
            let iso = DateParser.iso8601String(Date(timeIntervalSince1970: TimeInterval(seconds)))
            let parts = iso.split(whereSeparator: { "-T:Z".contains($0) }).map { Int($0)! }
            let zoneMinutes = [0, 60, -300, 330, -570, 840][Int.random(in: 0..<6, using: &generator)]
            let zone = (zoneMinutes < 0 ? "-" : "+") + two(abs(zoneMinutes) / 60) + two(abs(zoneMinutes) % 60)
            let weekday = weekdays[Int(seconds / 86_400 % 7)]
            let clock = two(parts[3]) + ":" + two(parts[4]) + ":" + two(parts[5])
            let dayMonthYear = two(parts[2]) + " " + months[parts[1] - 1] + " " + String(parts[0])
            let rfc = weekday + ", " + dayMonthYear + " " + clock + " "
            let local = String(iso.dropLast())
            let texts: [String] = [rfc + "GMT", rfc + zone, dayMonthYear + " " + clock + " UT", local + ".25Z",
                                   local + String(zone.prefix(3)) + ":" + String(zone.suffix(2))]
            for text in texts {
                let fast = DateParser.canonical(text)
                #expect(fast != nil, "\(text)")
                #expect(fast == DateParser.rfc822(text) ?? DateParser.iso8601(text), "\(text)")
            }
        }
        for text in ["Sat, 31 Feb 2025 12:00:00 GMT", "Sat, 01 Mar 2025 12:00:00 EST", "2025-03-01 12:00:00Z",
                     "Sat, 01 Mar 2025 12:00 GMT", "2025-02-30T00:00:00Z", " Sat, 01 Mar 2025 12:00:00 GMT",
                     "Saturday, 01 Mar 2025 12:00:00 GMT", "Sat, 01 Mär 2025 12:00:00 GMT", "Sat, 01 Mar 2025 12:00:00 gmt",
                     "Sat, 01 March 2025 12:00:00 GMT", "Sat, 01 Mar 2025 12:00:00 UTCX"] {
            #expect(DateParser.canonical(text) == nil, "\(text) is left to the general readers")
        }
        // Names in any case; the zone as written.
        for text in ["sat, 01 mar 2025 12:00:00 GMT", "SAT, 01 MAR 2025 12:00:00 UTC", "1 Mar 2025 12:00:00 Z"] {
            #expect(DateParser.canonical(text) != nil && DateParser.canonical(text) == DateParser.rfc822(text), "\(text)")
        }
    }
}

// SPDX-License-Identifier: MIT
import Foundation
import TestSupport
import Testing
@testable import Markup

/// Inputs on which the `dates` fuzz target found a date that did not print back as itself.
struct FuzzFindingTests {
    @Test func everyDateThatIsReadPrintsBackAsTheSameInstant() throws {
        let findings = try fuzzFindings(in: .module)
        #expect(!findings.isEmpty)
        for (name, bytes) in findings {
            let text = String(decoding: bytes, as: UTF8.self)
            guard let date = DateParser.parse(text) else { continue }
            #expect(DateParser.parse(DateParser.iso8601String(date)) == date, "\(name): \(text)")
        }
    }

    @Test(arguments: [
        "0001-01-01T00:59:59+01:00", "9999-12-31T23:00:00-01:00", "0001년 1월 1일 01:00:00",
        "2025년 3월 1일 25:00:00", "2025년 3월 1일 10:61:00", "2025년 3월 1일 9223372036854775:00:00",
        "2025년 3월 1일 오전 5555555555555555555z 10:00:00",
    ])
    func timesOutOfRangeAndInstantsBeyondTheYears1To9999AreNotDates(text: String) {
        #expect(DateParser.parse(text) == nil)
    }
}

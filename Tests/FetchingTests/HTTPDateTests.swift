// SPDX-License-Identifier: MIT
import Foundation
import TestSupport
import Testing
@testable import Fetching

/// HTTP-dates (RFC 9110 section 5.6.7): the three forms are read, anything else is not a date.
struct HTTPDateTests {
    private static let instant = Date(timeIntervalSince1970: 784_111_777)

    @Test(arguments: ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
                      "sun, 06 nov 1994 08:49:37 gmt", "Sun, 6 Nov 1994 08:49:37 GMT"])
    func theThreeFormsAreRead(text: String) {
        #expect(HTTPDate.parse(text) == Self.instant)
    }

    @Test(arguments: [
        "Thu, 01 Dec 1994 16:00:0 0 GMT",  // a stray number read as the year 0 (fuzz finding)
        "Thu, 01 Dec 94 1994 16:00:00 GMT", "Thu, 01 Dec 16:00:00 GMT", "Thu, 01 Dec 19945 16:00:00 GMT",
        "Thu, 32 Dec 1994 16:00:00 GMT", "Thu, 01 Foo 1994 16:00:00 GMT", "Thu, 01 Dec 1994 24:00:00 GMT",
        "Thu, 01 Dec 1994 16:00 GMT", "Thu, 01 Dec 1994 16:00:00:00 GMT", "Thu, 001 Dec 1994 16:00:00 GMT",
        "Thu, 01 Dec 1994 16:00:00 GMT 12", "", "now",
    ])
    func anythingElseIsNotADate(text: String) {
        #expect(HTTPDate.parse(text) == nil)
    }

    @Test func everyDateThatIsReadPrintsBackAsTheSameInstant() throws {
        let findings = try fuzzFindings(in: .module)
        #expect(!findings.isEmpty)
        for (name, bytes) in findings {
            let values = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            for value in values.dropFirst().prefix(2) {
                guard let date = HTTPDate.parse(String(value)) else { continue }
                #expect(HTTPDate.parse(HTTPDate.format(date)) == date, "\(name): \(value)")
            }
        }
    }
}

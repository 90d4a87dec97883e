// SPDX-License-Identifier: MIT
import Foundation
import TestSupport
import Testing
@testable import FeedParsing

/// Inputs the `feed` fuzz target failed on (the first two bytes chose its charset and URL). Each is
/// parsed under several charsets and must give JSON that reads back. Leaks (the first finding: libxml2
/// kept a document for an internal subset's entity declarations) show when the suite runs under
/// AddressSanitizer.
struct FuzzFindingTests {
    @Test func findingsParseIntoJSONThatReadsBack() throws {
        let findings = try fuzzFindings(in: .module)
        #expect(!findings.isEmpty)
        for (name, bytes) in findings {
            for charset in [nil, "utf-8", "windows-1252", "utf-16"] {
                let headers = charset.map { ["Content-Type": "application/rss+xml; charset=\($0)"] } ?? [:]
                guard let feed = try? FeedParser.parse(Array(bytes.dropFirst(2)), source: .init(url: nil, headers: headers)) else { continue }
                let object = try? JSONSerialization.jsonObject(with: Data(feed.normalisedJSON())) as? [String: Any]
                #expect(object?["items"] is [Any], "\(name) under \(charset ?? "no charset")")
            }
        }
    }
}

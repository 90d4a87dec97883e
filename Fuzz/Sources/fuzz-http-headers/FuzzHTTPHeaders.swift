// SPDX-License-Identifier: MIT
import Fetching
import Foundation
import FuzzSupport
import Markup

/// Response headers a server chooses: `Content-Type` (its charset), `Retry-After` (seconds or an
/// HTTP-date), `Expires` and `Cache-Control`. An HTTP-date that is read prints back to the same instant.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPHeaders(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let values = String(decoding: input.rest(), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    func value(_ index: Int) -> String { index < values.count ? values[index] : "" }
    let headers = HTTPHeaders([
        ("Content-Type", value(0)), ("Retry-After", value(1)), ("Expires", value(2)), ("Cache-Control", value(3)),
    ])
    let response = FetchResponse(status: 429, url: "https://example.org/feed", redirects: [], headers: headers, body: [])
    _ = response.charset
    _ = Charset.fromContentType(value(0))
    _ = response.cacheControl
    let now = Date(timeIntervalSince1970: 1_764_979_200)
    _ = response.retryAfter(now: now)
    for text in [value(1), value(2)] {
        guard let date = HTTPDate.parse(text) else { continue }
        let printed = HTTPDate.format(date)
        require(HTTPDate.parse(printed) == date, "\(text) read as \(date) prints as \(printed), which reads differently")
    }
    return 0
}

// SPDX-License-Identifier: MIT
import FeedParsing
import Foundation
import FuzzSupport

/// Bytes to a `Feed` and on to the JSON of `feedwatch parse`, as a poll reads a feed: under a chosen
/// `Content-Type` charset (a real one, a wrong one, a bogus one or none) and document URL.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFeed(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let charset = input.pick([nil, "utf-8", "iso-8859-1", "windows-1252", "utf-16", "utf-16le", "shift_jis", "koi8-r", "gb2312", "euc-kr", "x-bogus", ""])
    let url = input.pick([nil, "https://example.org/feed/", "http://[::1]:8080/a/b?c", "not a url", "file:///etc/passwd"])
    let headers = charset.map { ["Content-Type": "application/rss+xml; charset=\($0)"] } ?? [:]
    guard let feed = try? FeedParser.parse(input.rest(), source: FeedParser.Source(url: url, headers: headers)) else { return 0 }
    let json = feed.normalisedJSON()
    let object = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any]
    require(object?["items"] is [Any], "the JSON is not an object with items: \(String(decoding: json.prefix(200), as: UTF8.self))")
    return 0
}

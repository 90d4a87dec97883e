// SPDX-License-Identifier: MIT
import Extraction
import FuzzSupport

/// An article page's bytes to its cleaned text, under a chosen HTTP charset and page URL.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExtract(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let charset = input.pick([nil, "utf-8", "windows-1252", "utf-16", "shift_jis", "x-bogus"])
    let url = input.pick([nil, "https://news.example.org/2026/12/story.html", "relative/path"])
    guard let article = try? ArticleExtractor.extract(input.rest(), url: url, charset: charset) else { return 0 }
    require(!article.text.hasPrefix("\n") && !article.text.hasSuffix("\n"), "the text starts or ends with a blank line")
    return 0
}

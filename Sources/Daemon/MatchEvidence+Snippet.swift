// SPDX-License-Identifier: MIT
import Alerts
public import Rules

extension MatchEvidence {
    /// The alert's snippet: about 200 characters of the body around the words that made the rule
    /// match, or of the title and body when only the title holds them.
    public func snippet(of article: Article) -> String {
        String(decoding: snippetUTF8(of: article), as: UTF8.self)
    }

    /// The same as UTF-8 bytes, for writing straight into JSON.
    public func snippetUTF8(of article: Article) -> [UInt8] {
        bodyRanges.isEmpty && !titleRanges.isEmpty
            ? Snippet.utf8(article.title + " — " + article.body, matches: titleRanges)
            : Snippet.utf8(article.body, matches: bodyRanges)
    }
}

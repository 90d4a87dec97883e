// SPDX-License-Identifier: MIT
import Alerts
public import Rules

extension MatchEvidence {
    /// The alert's snippet: about 200 characters of the body around the words that made the rule
    /// match, or of the title and body when only the title holds them.
    public func snippet(of article: Article) -> String {
        bodyRanges.isEmpty && !titleRanges.isEmpty
            ? Snippet.make(article.title + " — " + article.body, matches: titleRanges)
            : Snippet.make(article.body, matches: bodyRanges)
    }
}

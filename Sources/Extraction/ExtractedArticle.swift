// SPDX-License-Identifier: MIT
public import Foundation

/// The story a page tells, without the page around it.
public struct ExtractedArticle: Sendable, Equatable {
    /// Headline.
    public var title: String?
    /// Who wrote it, as the page says.
    public var byline: String?
    public var published: Date?
    /// The story's paragraphs (headings, list items and quotes included), separated by blank lines.
    public var text: String
    /// The page's language (`<html lang>`, `og:locale`), as written.
    public var language: String?
    /// `<link rel="canonical">` or `og:url`, absolute.
    public var canonicalURL: String?

    public init(title: String? = nil, byline: String? = nil, published: Date? = nil, text: String = "",
                language: String? = nil, canonicalURL: String? = nil) {
        self.title = title
        self.byline = byline
        self.published = published
        self.text = text
        self.language = language
        self.canonicalURL = canonicalURL
    }
}

/// Why a page yielded no article.
public struct ExtractionError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

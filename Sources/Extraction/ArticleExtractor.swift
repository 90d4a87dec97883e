// SPDX-License-Identifier: MIT
import Foundation
import Markup

/// Turns an article page into its story: finds the container of the story's text, drops the chrome
/// around and inside it, and reads the page's own metadata. The page's JSON-LD `articleBody` is used
/// only when the page's visible text yields much less, so a stale or truncated hint cannot win.
public enum ArticleExtractor {
    /// Default cap on a page's size: 32 MiB.
    public static let defaultMaximumBytes = 32 << 20

    /// Extracts the article from a page.
    ///
    /// - Parameters:
    ///   - bytes: the page as received.
    ///   - url: where it came from: the base for its canonical URL.
    ///   - charset: the HTTP `Content-Type` charset, which overrides `<meta charset>`.
    /// - Throws: ``ExtractionError`` for a page over the size cap or with nothing in it.
    public static func extract(
        _ bytes: [UInt8], url: String? = nil, charset: String? = nil, maximumBytes: Int = defaultMaximumBytes
    ) throws(ExtractionError) -> ExtractedArticle {
        guard bytes.count <= maximumBytes else {
            throw ExtractionError(description: "the page has \(bytes.count) bytes, over the limit of \(maximumBytes) bytes")
        }
        let document = HTMLDocumentParser.parse(bytes, charset: charset)
        guard let root = document.root else { throw ExtractionError(description: "the page holds no HTML") }
        let metadata = PageMetadata(root: root, url: url)
        let body = root.elements.first { $0.name == "body" } ?? root
        let count = document.elementCount
        let weights = WeightCache()
        let excluded = Boilerplate.excluded(in: body, elementCount: count, weights: weights)
        let stats = PageStatistics(root: body, elementCount: count, excluded: excluded)
        let containers = ContentScorer(root: body, elementCount: count, excluded: excluded, stats: stats, weights: weights)
            .containers(in: body)
        var assembler = TextAssembler(excluded: excluded)
        var text = assembler.text(of: containers, title: metadata.title)
        if let hint = metadata.jsonLDBody.map(Self.paragraphs), wordCount(hint) > 2 * wordCount(text) + 20 {
            text = hint
        }
        return ExtractedArticle(
            title: metadata.title, byline: metadata.byline, published: metadata.published, text: text,
            language: metadata.language, canonicalURL: metadata.canonicalURL)
    }

    /// JSON-LD bodies are plain text (sometimes with HTML): one paragraph per line.
    private static func paragraphs(_ body: String) -> String {
        let text = HTMLText.looksLikeHTML(body) ? CharacterReferences.decode(body) : body
        return text.split(whereSeparator: \.isNewline).map { HTMLText.collapsingWhitespace(String($0)) }
            .filter { !$0.isEmpty }.joined(separator: "\n\n")
    }

    private static func wordCount(_ text: String) -> Int {
        text.split { $0 == " " || $0 == "\n" }.count
    }
}

// SPDX-License-Identifier: MIT
// What a page says about itself: `<title>`, OpenGraph and article meta tags, `<link rel=canonical>`,
// `<html lang>`, and JSON-LD (`articleBody`, `headline`, `author`, `datePublished`).
import Foundation
import Markup

struct PageMetadata {
    var title: String?
    var byline: String?
    var published: Date?
    var language: String?
    var canonicalURL: String?
    /// The story text a JSON-LD `Article` (or `NewsArticle`, `BlogPosting`…) carries, if any.
    var jsonLDBody: String?
    private var jsonLDHeadline: String?

    init(root: MarkupElement, url: String?) {
        language = root.attribute("lang")
        var metaTitle: String?
        var titleTag: String?
        var firstH1: String?
        func visit(_ element: MarkupElement) {
            switch element.name {
            case "meta":
                let key = (element.attribute("property") ?? element.attribute("name") ?? element.attribute("itemprop") ?? "").lowercased()
                guard let content = element.attribute("content")?.trimmingWhitespace(), !content.isEmpty else { break }
                switch key {
                case "og:title", "twitter:title": metaTitle = metaTitle ?? content
                case "author", "article:author", "byl", "dc.creator", "sailthru.author", "parsely-author":
                    if !content.hasPrefix("http") { byline = byline ?? content }
                case "article:published_time", "datepublished", "date", "dc.date", "pubdate", "publishdate",
                    "sailthru.date", "parsely-pub-date", "og:published_time":
                    published = published ?? DateParser.parse(content)
                case "og:url": canonicalURL = canonicalURL ?? URLReference.resolve(content, against: url)
                case "og:locale": language = language ?? content
                default: break
                }
            case "title":
                titleTag = titleTag ?? HTMLText.collapsingWhitespace(element.textContent)
            case "link":
                if element.attribute("rel")?.lowercased() == "canonical", let href = element.attribute("href") {
                    canonicalURL = URLReference.resolve(href, against: url)
                }
            case "h1":
                firstH1 = firstH1 ?? nonEmpty(HTMLText.collapsingWhitespace(element.textContent))
            case "time":
                if published == nil, let value = element.attribute("datetime") { published = DateParser.parse(value) }
            case "script":
                if element.attribute("type")?.containsASCIICaseInsensitive("ld+json") == true { readJSONLD(element.textContent, url: url) }
                return
            default:
                break
            }
            for child in element.elements { visit(child) }
        }
        visit(root)
        title = metaTitle ?? jsonLDHeadline ?? firstH1 ?? titleTag
    }

    private func nonEmpty(_ s: String) -> String? { s.isEmpty ? nil : s }

    private mutating func readJSONLD(_ text: String, url: String?) {
        guard let data = text.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        else { return }
        for node in Self.nodes(object) {
            let types: [String] = (node["@type"] as? String).map { [$0] } ?? (node["@type"] as? [String] ?? [])
            guard types.contains(where: { $0.hasSuffix("Article") || $0 == "BlogPosting" || $0 == "Report" || $0 == "WebPage" }) else { continue }
            if let body = node["articleBody"] as? String, body.count > (jsonLDBody?.count ?? 0) { jsonLDBody = body }
            if jsonLDHeadline == nil, let headline = node["headline"] as? String { jsonLDHeadline = HTMLText.plainText(headline) }
            if published == nil, let date = node["datePublished"] as? String { published = DateParser.parse(date) }
            if byline == nil { byline = Self.authorName(node["author"]) }
        }
    }

    /// Every JSON object in a JSON-LD document (`@graph` arrays and nested arrays included).
    private static func nodes(_ value: Any) -> [[String: Any]] {
        if let array = value as? [Any] { return array.flatMap(nodes) }
        guard let object = value as? [String: Any] else { return [] }
        return [object] + ((object["@graph"] as? [Any]).map(nodes) ?? [])
    }

    private static func authorName(_ value: Any?) -> String? {
        if let name = value as? String { return name }
        if let object = value as? [String: Any] { return object["name"] as? String }
        if let array = value as? [Any] {
            let names = array.compactMap { authorName($0) }
            return names.isEmpty ? nil : names.joined(separator: ", ")
        }
        return nil
    }
}

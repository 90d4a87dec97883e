// SPDX-License-Identifier: MIT
// JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/).
import Foundation
import Markup

/// Maps a JSON Feed document to a ``Feed``.
struct JSONFeedAdapter {
    let documentBase: String?

    func feed(_ bytes: [UInt8]) throws(FeedError) -> Feed {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            throw .malformedJSON((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "invalid JSON")
        }
        guard let root = object as? [String: Any] else { throw .malformedJSON("the document is not a JSON object") }
        guard root["items"] is [Any] || (root["version"] as? String)?.contains("jsonfeed") == true else {
            throw .notAFeed("a JSON document without \"version\" or \"items\" is not a JSON Feed")
        }
        var feed = Feed(format: .jsonFeed)
        let base = (root["feed_url"] as? String).map { URLReference.resolve($0, against: documentBase) } ?? documentBase
        feed.title = (root["title"] as? String).flatMap { nonEmpty(HTMLText.collapsingWhitespace($0)) }
        feed.link = (root["home_page_url"] as? String).map { URLReference.resolve($0, against: base) }
        feed.language = root["language"] as? String
        feed.entries = (root["items"] as? [Any] ?? []).compactMap { ($0 as? [String: Any]).map { entry($0, base: base) } }
        return feed
    }

    private func entry(_ item: [String: Any], base: String?) -> Entry {
        var entry = Entry()
        if let id = item["id"] as? String {
            entry.id = id
        } else if let id = item["id"] as? NSNumber {
            entry.id = id.stringValue
        }
        entry.link = ((item["url"] ?? item["external_url"]) as? String).map { URLReference.resolve($0, against: base) }
        entry.title = (item["title"] as? String).flatMap { nonEmpty(HTMLText.plainText($0)) }
        if let html = item["content_html"] as? String {
            entry.content = HTMLFragment.resolvingURLs(in: html, base: base)
        } else {
            entry.content = item["content_text"] as? String
        }
        entry.summary = (item["summary"] as? String).flatMap { nonEmpty(HTMLText.plainText($0)) }
        entry.published = (item["date_published"] as? String).flatMap(DateParser.parse)
        entry.updated = (item["date_modified"] as? String).flatMap(DateParser.parse)
        let authors = (item["authors"] as? [[String: Any]]) ?? (item["author"] as? [String: Any]).map { [$0] } ?? []
        if let first = authors.first {
            entry.author = Person(name: first["name"] as? String, email: nil, uri: first["url"] as? String)
        }
        entry.categories = (item["tags"] as? [Any] ?? []).compactMap { $0 as? String }
        for attachment in item["attachments"] as? [[String: Any]] ?? [] {
            guard let url = attachment["url"] as? String else { continue }
            entry.enclosures.append(Enclosure(
                url: URLReference.resolve(url, against: base), type: attachment["mime_type"] as? String,
                length: (attachment["size_in_bytes"] as? NSNumber)?.intValue))
        }
        return entry
    }
}

// SPDX-License-Identifier: MIT
// Atom 1.0 (RFC 4287) and Atom 0.3 (draft-nottingham-atom-format-02).
import Foundation
import Markup

/// Maps an Atom document tree to a ``Feed``.
struct AtomAdapter {
    let format: FeedFormat
    let documentBase: String?

    func feed(root: MarkupElement, language fallbackLanguage: String?) -> Feed {
        var feed = Feed(format: format)
        let base = root.base(inheriting: documentBase)
        var entries: [MarkupElement] = []
        let isAtom = { (element: MarkupElement) in
            // Pre-standard Atom drafts used other namespace URIs; the root's namespace is Atom's here.
            [.atom10, .atom03, .core].contains(element.vocabulary) || element.namespace == root.namespace
        }
        for child in root.elements where isAtom(child) {
            let childBase = child.base(inheriting: base)
            switch child.name {
            case "title":
                feed.title = feed.title ?? nonEmpty(TextConstruct.atom(child, base: childBase).plain)
            case "link":
                if let link = alternateLink(child, base: childBase) { feed.link = feed.link ?? link }
            case "updated", "modified":
                feed.updated = feed.updated ?? DateParser.parse(child.textContent)
            case "entry":
                entries.append(child)
            default:
                continue
            }
        }
        feed.language = root.xmlLang ?? fallbackLanguage
        feed.entries = entries.map { entry($0, base: $0.base(inheriting: base)) }
        return feed
    }

    private func alternateLink(_ link: MarkupElement, base: String?) -> String? {
        guard (link.attribute("rel") ?? "alternate") == "alternate", let href = link.attribute("href") else { return nil }
        return URLReference.resolve(href, against: base)
    }

    private func entry(_ element: MarkupElement, base: String?) -> Entry {
        var entry = Entry()
        var summary: TextValue?
        var content: TextValue?
        var authors: [Person] = []
        for child in element.elements {
            let childBase = child.base(inheriting: base)
            switch (child.vocabulary, child.name) {
            case (.atom10, "id"), (.atom03, "id"), (.core, "id"):
                if entry.id == nil, let id = nonEmpty(child.textContent) {
                    entry.id = URLReference.resolve(id, against: childBase)
                }
            case (.atom10, "title"), (.atom03, "title"), (.core, "title"):
                entry.title = entry.title ?? nonEmpty(TextConstruct.atom(child, base: childBase).plain)
            case (.atom10, "link"), (.atom03, "link"), (.core, "link"):
                guard let href = child.attribute("href") else { continue }
                let url = URLReference.resolve(href, against: childBase)
                switch child.attribute("rel") ?? "alternate" {
                case "alternate": entry.link = entry.link ?? url
                case "enclosure":
                    entry.enclosures.append(Enclosure(
                        url: url, type: child.attribute("type"),
                        length: child.attribute("length").flatMap { Int($0.trimmingWhitespace()) }))
                default: continue
                }
            case (.atom10, "published"), (.atom03, "published"), (.atom03, "issued"), (.atom03, "created"), (.dcTerms, "issued"):
                // Repeated (or Atom 0.3's issued beside published): the last value wins, as for updated.
                entry.published = DateParser.parse(child.textContent) ?? entry.published
            case (.atom10, "updated"), (.atom03, "modified"), (.dublinCore, "date"):
                // A repeated element is invalid Atom; like feedparser, the last value wins.
                entry.updated = DateParser.parse(child.textContent) ?? entry.updated
            case (.atom10, "author"), (.atom03, "author"):
                if let person = Self.person(child) { authors.append(person) }
            case (.dublinCore, "creator"):
                if let person = PersonParser.parse(child.textContent) { authors.append(person) }
            case (.atom10, "summary"), (.atom03, "summary"):
                summary = summary ?? TextConstruct.atom(child, base: childBase)
            case (.atom10, "content"), (.atom03, "content"):
                content = content ?? TextConstruct.atom(child, base: childBase)
            case (.atom10, "category"), (.atom03, "category"):
                if let term = nonEmpty(child.attribute("term") ?? child.attribute("label") ?? child.textContent) {
                    entry.categories.append(term)
                }
            case (.dublinCore, "subject"), (.media, "category"):
                if let term = nonEmpty(child.textContent) { entry.categories.append(term) }
            case (.media, "content"), (.media, "group"):
                for media in MediaRSS.enclosures(child, base: childBase)
                where !entry.enclosures.contains(where: { $0.url == media.url }) {
                    entry.enclosures.append(media)
                }
            default:
                continue
            }
        }
        entry.author = authors.first
        // Without a summary, the content's text is the summary (as feed readers show it).
        entry.summary = (summary ?? content).flatMap { nonEmpty($0.plain) }
        entry.content = content.flatMap { nonEmpty($0.html) }
        return entry
    }

    /// An Atom person construct (`name`, `email`, `uri`).
    static func person(_ element: MarkupElement) -> Person? {
        var person = Person()
        for child in element.elements {
            switch child.name {
            case "name": person.name = nonEmpty(HTMLText.collapsingWhitespace(child.textContent))
            case "email": person.email = nonEmpty(child.textContent)
            case "uri", "url": person.uri = nonEmpty(child.textContent)
            default: continue
            }
        }
        if person.name == nil && person.email == nil && person.uri == nil {
            return PersonParser.parse(element.textContent)
        }
        return person
    }
}

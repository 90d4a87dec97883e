// SPDX-License-Identifier: MIT
// RSS 0.90 (https://www.rssboard.org/rss-0-9-0), 0.91–0.94, 1.0 (https://web.resource.org/rss/1.0/spec),
// 2.0 (https://www.rssboard.org/rss-specification), Microsoft CDF, and the extensions real feeds use:
// Dublin Core, content:encoded, Media RSS, iTunes, the syndication module, and Atom elements in RSS.
import Foundation
import Markup

/// Maps an RSS-family document tree to a ``Feed``.
struct RSSAdapter {
    let format: FeedFormat
    let documentBase: String?
    /// CDF writes element and attribute names in upper case.
    private var caseInsensitive: Bool { format == .cdf }

    private static let rssVocabularies: Set<Vocabulary> = [.core, .rss090, .rss10]

    func feed(root: MarkupElement, language fallbackLanguage: String?) -> Feed {
        var feed = Feed(format: format)
        let rootBase = root.base(inheriting: documentBase)
        let channel = format == .cdf ? root : (root.elements.first { isRSS($0, "channel") } ?? root)
        let base = channel == root ? rootBase : channel.base(inheriting: rootBase)
        var items: [(MarkupElement, String?)] = []
        for child in channel.elements where isRSS(child, "item") { items.append((child, base)) }
        if channel != root {
            // RSS 1.0 and 0.90 put items beside the channel.
            for child in root.elements where isRSS(child, "item") { items.append((child, rootBase)) }
        }
        if format == .cdf {
            // CDF keeps a channel's link and date in attributes (feedparser reads them as link and updated).
            feed.link = attribute(channel, "href").map { URLReference.resolve($0, against: base) }
            feed.updated = attribute(channel, "lastmod").flatMap(DateParser.parse)
        }
        readChannel(channel, base: base, into: &feed)
        feed.language = feed.language ?? channel.xmlLang ?? root.xmlLang ?? fallbackLanguage
        feed.entries = items.map { entry($0.0, base: $0.0.base(inheriting: $0.1)) }
        return feed
    }

    private func name(_ element: MarkupElement) -> String {
        caseInsensitive ? element.name.lowercased() : element.name
    }

    private func isRSS(_ element: MarkupElement, _ local: String) -> Bool {
        name(element) == local && Self.rssVocabularies.contains(element.vocabulary)
    }

    private func attribute(_ element: MarkupElement, _ local: String) -> String? {
        guard caseInsensitive else { return element.attribute(local) }
        return element.attributes.first { $0.name.lowercased() == local.lowercased() }?.value
    }

    private func readChannel(_ channel: MarkupElement, base: String?, into feed: inout Feed) {
        for child in channel.elements {
            let childBase = child.base(inheriting: base)
            switch (child.vocabulary, name(child)) {
            case (.core, "title"), (.rss10, "title"), (.rss090, "title"):
                feed.title = feed.title ?? nonEmpty(TextConstruct.rss(child, base: childBase).plain)
            case (.dublinCore, "title"):
                feed.title = feed.title ?? nonEmpty(TextConstruct.rss(child, base: childBase).plain)
            case (.core, "link"), (.rss10, "link"), (.rss090, "link"):
                if feed.link == nil, let link = nonEmpty(child.textContent) {
                    feed.link = URLReference.resolve(link, against: childBase)
                }
            case (.atom10, "link"), (.atom03, "link"):
                if feed.link == nil, (child.attribute("rel") ?? "alternate") == "alternate", let href = child.attribute("href") {
                    feed.link = URLReference.resolve(href, against: childBase)
                }
            case (.core, "language"), (.dublinCore, "language"):
                feed.language = feed.language ?? nonEmpty(child.textContent.trimmingWhitespace())
            case (.core, "lastbuilddate"), (.core, "lastBuildDate"), (.dublinCore, "date"), (.dcTerms, "modified"),
                (.atom10, "updated"):
                feed.updated = feed.updated ?? DateParser.parse(child.textContent)
            case (.core, "ttl"):
                feed.hints.ttlMinutes = Int(child.textContent.trimmingWhitespace())
            case (.core, "skipHours"), (.core, "skiphours"):
                feed.hints.skipHours = Set(child.elements.compactMap { Int($0.textContent.trimmingWhitespace()) }
                    .filter { (0...24).contains($0) }.map { $0 % 24 })
            case (.core, "skipDays"), (.core, "skipdays"):
                feed.hints.skipDays = Set(child.elements.compactMap { weekday($0.textContent) })
            case (.syndication, "updatePeriod"):
                let frequency = channel.elements.first { $0.vocabulary == .syndication && $0.name == "updateFrequency" }
                feed.hints.updateIntervalSeconds = syndicationInterval(
                    period: child.textContent, frequency: frequency?.textContent)
            default:
                continue
            }
        }
    }

    private func entry(_ item: MarkupElement, base: String?) -> Entry {
        var entry = Entry()
        var guid: (value: String, permalink: Bool)?
        var description: TextValue?
        var summaryElement: TextValue?
        var fallbackTitle: String?
        var fallbackAuthor: Person?
        var mediaEnclosures: [Enclosure] = []
        /// Whether a `<summary>` came before the description: of the two, the first is the summary and
        /// the second the content (feedparser's reading of items that carry both).
        var summaryFirst = false
        if format == .cdf {
            entry.link = attribute(item, "href").map { URLReference.resolve($0, against: base) }
            entry.updated = attribute(item, "lastmod").flatMap(DateParser.parse)
        }
        for child in item.elements {
            let childBase = child.base(inheriting: base)
            switch (child.vocabulary, name(child)) {
            case (.core, "title"), (.rss10, "title"), (.rss090, "title"):
                entry.title = entry.title ?? nonEmpty(TextConstruct.rss(child, base: childBase).plain)
            case (.dublinCore, "title"), (.media, "title"), (.atom10, "title"):
                fallbackTitle = fallbackTitle ?? nonEmpty(TextConstruct.rss(child, base: childBase).plain)
            case (.core, "link"), (.rss10, "link"), (.rss090, "link"):
                if entry.link == nil, let link = nonEmpty(child.textContent) {
                    entry.link = URLReference.resolve(link, against: childBase)
                }
            case (.atom10, "link"), (.atom03, "link"):
                readAtomLink(child, base: childBase, into: &entry)
            case (.core, "guid"):
                if guid == nil, let value = nonEmpty(child.textContent.trimmingWhitespace()) {
                    let permalink = (attribute(child, "isPermaLink") ?? "true").lowercased() != "false"
                    guid = (permalink ? URLReference.resolve(value, against: childBase) : value, permalink)
                }
            case (.atom10, "id"):
                entry.id = entry.id ?? nonEmpty(child.textContent.trimmingWhitespace())
            case (.core, "pubDate"), (.core, "pubdate"), (.dcTerms, "issued"), (.dcTerms, "created"), (.atom10, "published"):
                entry.published = entry.published ?? DateParser.parse(child.textContent)
            case (.dublinCore, "date"), (.dcTerms, "modified"), (.atom10, "updated"):
                entry.updated = entry.updated ?? DateParser.parse(child.textContent)
            case (.core, "author"), (.dublinCore, "creator"), (.dublinCore, "author"), (.atom10, "author"):
                entry.author = entry.author ?? person(child)
            case (.itunes, "author"):
                fallbackAuthor = fallbackAuthor ?? person(child)
            case (.core, "description"), (.rss10, "description"), (.rss090, "description"), (.core, "abstract"):
                description = description ?? TextConstruct.rss(child, base: childBase)
            case (.core, "summary"), (.atom10, "summary"):
                if description == nil && summaryElement == nil { summaryFirst = true }
                summaryElement = summaryElement ?? (child.vocabulary == .atom10
                    ? TextConstruct.atom(child, base: childBase) : TextConstruct.rss(child, base: childBase))
            case (.dublinCore, "description"), (.itunes, "summary"), (.itunes, "subtitle"):
                summaryElement = summaryElement ?? TextConstruct.rss(child, base: childBase)
            case (.content, "encoded"), (.xhtml, "body"), (.core, "body"), (.core, "fullitem"):
                entry.content = entry.content ?? TextConstruct.rss(child, base: childBase).html
            case (.atom10, "content"):
                entry.content = entry.content ?? TextConstruct.atom(child, base: childBase).html
            case (.core, "category"), (.dublinCore, "subject"), (.media, "category"):
                if let term = nonEmpty(TextConstruct.rss(child, base: childBase).plain) { entry.categories.append(term) }
            case (.itunes, "category"), (.atom10, "category"):
                if let term = nonEmpty(child.attribute("text") ?? child.attribute("term") ?? "") {
                    entry.categories.append(term)
                }
            case (.core, "tags"), (.core, "keywords"), (.itunes, "keywords"):
                entry.categories += child.textContent.split(separator: ",").compactMap { nonEmpty(String($0)) }
            case (.core, "enclosure"):
                if let url = nonEmpty(attribute(child, "url") ?? "") {
                    entry.enclosures.append(Enclosure(
                        url: URLReference.resolve(url, against: childBase), type: attribute(child, "type"),
                        length: attribute(child, "length").flatMap { Int($0.trimmingWhitespace()) }))
                }
            case (.media, "content"), (.media, "group"):
                mediaEnclosures += MediaRSS.enclosures(child, base: childBase)
            default:
                continue
            }
        }
        entry.title = entry.title ?? fallbackTitle
        entry.author = entry.author ?? fallbackAuthor
        if let summaryElement, let description, !summaryFirst {
            entry.summary = nonEmpty(description.plain)
            if entry.content == nil { entry.content = nonEmpty(summaryElement.html) }
        } else if let summaryElement {
            entry.summary = nonEmpty(summaryElement.plain)
            if entry.content == nil, let description { entry.content = nonEmpty(description.html) }
        } else if let description {
            entry.summary = nonEmpty(description.plain)
        } else if let content = entry.content {
            // Without a description, the content's text is the summary (as feed readers show it).
            entry.summary = nonEmpty(HTMLText.plainText(content))
        }
        // An RSS 1.0 item is a resource: its rdf:about is its identity until a guid says otherwise.
        if entry.id == nil, let about = item.rdfAbout.flatMap(nonEmpty) {
            entry.id = about
        }
        if let guid {
            entry.id = guid.value
            if entry.link == nil, guid.permalink, URLReference.scheme(of: guid.value) != nil { entry.link = guid.value }
        }
        for media in mediaEnclosures where !entry.enclosures.contains(where: { $0.url == media.url }) {
            entry.enclosures.append(media)
        }
        return entry
    }

    private func readAtomLink(_ link: MarkupElement, base: String?, into entry: inout Entry) {
        guard let href = link.attribute("href") else { return }
        let url = URLReference.resolve(href, against: base)
        switch link.attribute("rel") ?? "alternate" {
        case "alternate": entry.link = entry.link ?? url
        case "enclosure":
            entry.enclosures.append(Enclosure(url: url, type: link.attribute("type"), length: link.attribute("length").flatMap { Int($0) }))
        default: break
        }
    }

    private func person(_ element: MarkupElement) -> Person? {
        if element.vocabulary == .atom10 { return AtomAdapter.person(element) }
        return PersonParser.parse(CharacterReferences.decode(element.textContent))
    }

    private func weekday(_ text: String) -> Int? {
        let names = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
        return names.firstIndex(of: text.trimmingWhitespace().lowercased()).map { $0 + 1 }
    }

    private func syndicationInterval(period: String, frequency: String?) -> Int? {
        let seconds: Int
        switch period.trimmingWhitespace().lowercased() {
        case "hourly": seconds = 3600
        case "daily": seconds = 86_400
        case "weekly": seconds = 604_800
        case "monthly": seconds = 2_592_000
        case "yearly": seconds = 31_536_000
        default: return nil
        }
        let times = frequency.flatMap { Int($0.trimmingWhitespace()) } ?? 1
        return times > 0 ? seconds / times : nil
    }
}

/// Media RSS (https://www.rssboard.org/media-rss): `media:content`, possibly inside `media:group`.
enum MediaRSS {
    static func enclosures(_ element: MarkupElement, base: String?) -> [Enclosure] {
        if element.name == "group" {
            return element.elements.filter { $0.vocabulary == .media && $0.name == "content" }
                .flatMap { enclosures($0, base: base) }
        }
        guard let url = element.attribute("url"), !url.isEmpty else { return [] }
        return [Enclosure(
            url: URLReference.resolve(url, against: base), type: element.attribute("type"),
            length: element.attribute("fileSize").flatMap { Int($0) })]
    }
}

/// Non-empty text, or `nil`.
func nonEmpty(_ text: String) -> String? {
    let trimmed = text.trimmingWhitespace()
    return trimmed.isEmpty ? nil : trimmed
}

// SPDX-License-Identifier: MIT
import Markup

/// The XML vocabularies a feed element can belong to.
enum Vocabulary: Hashable {
    case core  // no namespace: RSS 0.9x/2.0, CDF
    case rss090, rss10, atom10, atom03, dublinCore, dcTerms, content, media, itunes, syndication, xhtml
    case other

    private static let byURI: [String: Vocabulary] = [
        "http://my.netscape.com/rdf/simple/0.9/": .rss090,
        "http://purl.org/rss/1.0/": .rss10,
        "http://www.w3.org/2005/Atom": .atom10,
        "http://purl.org/atom/ns#": .atom03,
        "http://purl.org/dc/elements/1.1/": .dublinCore,
        "http://purl.org/dc/elements/1.0/": .dublinCore,
        "http://purl.org/dc/terms/": .dcTerms,
        "http://purl.org/rss/1.0/modules/content/": .content,
        "http://search.yahoo.com/mrss/": .media,
        "http://search.yahoo.com/mrss": .media,
        "http://www.itunes.com/dtds/podcast-1.0.dtd": .itunes,
        "http://www.itunes.com/DTDs/Podcast-1.0.dtd": .itunes,
        "http://purl.org/rss/1.0/modules/syndication/": .syndication,
        "http://www.w3.org/1999/xhtml": .xhtml,
        "http://backend.userland.com/rss2": .core,
        "http://blogs.law.harvard.edu/tech/rss": .core,
    ]

    /// Conventional prefixes, for feeds that use a prefix without declaring its namespace.
    private static let byPrefix: [String: Vocabulary] = [
        "dc": .dublinCore, "dcterms": .dcTerms, "content": .content, "media": .media, "itunes": .itunes,
        "sy": .syndication, "atom": .atom10, "xhtml": .xhtml, "rdf": .rss10,
    ]

    static func of(_ element: MarkupElement) -> Vocabulary {
        if let uri = element.namespace { return byURI[uri] ?? .other }
        if let prefix = element.prefix { return byPrefix[prefix.lowercased()] ?? .other }
        return .core
    }
}

extension MarkupElement {
    /// The vocabulary this element belongs to.
    var vocabulary: Vocabulary { Vocabulary.of(self) }

    /// The `xml:base` of this element resolved against the base in force at its parent.
    func base(inheriting parent: String?) -> String? {
        guard let declared = attribute("base", namespace: xmlNamespaceURI) else { return parent }
        let resolved = URLReference.resolve(declared, against: parent)
        return URLReference.scheme(of: resolved) != nil ? resolved : parent
    }

    /// `xml:lang`, if declared here.
    /// `rdf:about`: the resource an RSS 1.0 element describes.
    var rdfAbout: String? { attribute("about", namespace: "http://www.w3.org/1999/02/22-rdf-syntax-ns#") }

    var xmlLang: String? { attribute("lang", namespace: xmlNamespaceURI) }
}

// SPDX-License-Identifier: MIT
import Markup

/// Parses any feed document: RSS 0.90–2.0, RSS 1.0 (RDF), Atom 0.3 and 1.0, JSON Feed 1.x, CDF.
/// The format is detected from the content, never from a file name or Content-Type.
public enum FeedParser {
    /// Default cap on a document's size: 64 MiB.
    public static let defaultMaximumBytes = 64 << 20

    /// What the transport knew about the document.
    public struct Source: Sendable {
        /// The URL the document was retrieved from: the base for relative links.
        public var url: String?
        /// Response headers (names case-insensitive): `Content-Type` charset overrides the XML
        /// declaration; `Content-Location` is a base; `Content-Language` a fallback language.
        public var headers: [String: String]

        public init(url: String? = nil, headers: [String: String] = [:]) {
            self.url = url
            self.headers = headers
        }

        /// The headers the parser reads.
        public static let headerNames = ["Content-Type", "Content-Location", "Content-Language"]

        /// The source of a document fetched from `url`, its headers found by `header` (a response's
        /// lookup): only ``headerNames`` are asked for.
        public init(url: String?, header: (String) -> String?) {
            var headers: [String: String] = [:]
            for name in Self.headerNames { headers[name] = header(name) }
            self.init(url: url, headers: headers)
        }

        func header(_ name: String) -> String? {
            if let exact = headers[name] { return exact }
            // Names of another length cannot match: only a few are lower-cased (a feed costs three lookups).
            let length = name.utf8.count, lowered = name.lowercased()
            return headers.first { $0.key.utf8.count == length && $0.key.lowercased() == lowered }?.value
        }
    }

    /// Parses `bytes` into a ``Feed``.
    ///
    /// - Throws: ``FeedError`` when nothing usable remains: an empty or oversized document, one that is
    ///   not a feed, or one so broken that no feed element could be recovered.
    public static func parse(
        _ bytes: [UInt8], source: Source = Source(), maximumBytes: Int = defaultMaximumBytes
    ) throws(FeedError) -> Feed {
        guard bytes.count <= maximumBytes else { throw .tooLarge(size: bytes.count, limit: maximumBytes) }
        guard let first = bytes.first(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }) else {
            throw .empty()
        }
        let base = documentBase(source)
        if first == UInt8(ascii: "{") { return try JSONFeedAdapter(documentBase: base).feed(bytes) }

        do {
            return try parseXML(bytes, source: source, base: base)
        } catch {
            // Servers sometimes print junk (a PHP warning, a stray line) before the feed: try again from
            // where the feed starts, if it starts somewhere later.
            guard let start = feedStart(in: bytes), let feed = try? parseXML(Array(bytes[start...]), source: source, base: base)
            else { throw error }
            return feed
        }
    }

    /// Offset of an XML declaration or a feed's document element after the first byte, if any.
    static func feedStart(in bytes: [UInt8]) -> Int? {
        let markers = ["<?xml", "<rss", "<feed", "<rdf:RDF", "<RDF"].map { Array($0.utf8) }
        let limit = min(bytes.count, 64 * 1024)
        var i = 1
        while i < limit {
            if bytes[i] == UInt8(ascii: "<"),
                markers.contains(where: { marker in
                    // The name must end there (`<feed>`, `<rss version=…>`, not `<feedback>`).
                    let end = i + marker.count
                    guard end < bytes.count, bytes[i..<end].elementsEqual(marker) else { return false }
                    let next = bytes[end]
                    return next == 0x20 || next == 0x09 || next == 0x0A || next == 0x0D || next == UInt8(ascii: ">")
                        || next == UInt8(ascii: "/")
                })
            {
                return i
            }
            i += 1
        }
        return nil
    }

    private static func parseXML(_ bytes: [UInt8], source: Source, base: String?) throws(FeedError) -> Feed {
        let document = XMLDocumentParser.parse(bytes, charset: Charset.fromContentType(source.header("Content-Type")))
        guard let root = document.root else {
            throw .notAFeed("no XML document element" + (document.firstError.map { " (\($0))" } ?? ""))
        }
        let language = source.header("Content-Language")
        var feed: Feed
        switch (root.name.lowercased(), root.vocabulary) {
        case ("feed", .atom03):
            feed = AtomAdapter(format: .atom03, documentBase: base).feed(root: root, language: language)
        case ("feed", .other) where root.attribute("version") == "0.3":
            // Pre-release Atom 0.3 drafts used other namespace URIs.
            feed = AtomAdapter(format: .atom03, documentBase: base).feed(root: root, language: language)
        case ("feed", _):
            feed = AtomAdapter(format: .atom10, documentBase: base).feed(root: root, language: language)
        case ("rdf", _):
            let format: FeedFormat = root.elements.contains { $0.vocabulary == .rss090 } ? .rss090 : .rss10
            feed = RSSAdapter(format: format, documentBase: base).feed(root: root, language: language)
        case ("rss", _):
            let version = root.attribute("version") ?? "2.0"
            let format: FeedFormat = version.hasPrefix("0.9") ? .rss091 : .rss20
            feed = RSSAdapter(format: format, documentBase: base).feed(root: root, language: language)
        case ("channel", _) where root.name == "CHANNEL" || root.elements.contains { $0.name == "ITEM" }:
            feed = RSSAdapter(format: .cdf, documentBase: base).feed(root: root, language: language)
        default:
            if root.elements.contains(where: { $0.name == "channel" }) {
                feed = RSSAdapter(format: .rss20, documentBase: base).feed(root: root, language: language)
            } else {
                throw .notAFeed("the document element <\(root.name)> is not RSS, Atom, RDF or CDF")
            }
        }
        if let error = document.firstError { feed.recoveredError = error.description }
        // `en_US` as written by locale-minded software is the language tag `en-US` (BCP 47; feedparser too).
        feed.language = feed.language.map { String($0.map { $0 == "_" ? "-" : $0 }) }
        return feed
    }

    /// The base for relative URLs: `Content-Location` resolved against the retrieval URL, if it is
    /// http(s); else the retrieval URL.
    private static func documentBase(_ source: Source) -> String? {
        if let location = source.header("Content-Location") {
            let resolved = URLReference.resolve(location, against: source.url)
            if URLReference.isWebURL(resolved) { return resolved }
        }
        return source.url
    }
}

// SPDX-License-Identifier: MIT
import Foundation
import Markup

/// OPML 2.0 subscription lists, the format feed readers import and export.
public enum OPML {
    /// A feed an OPML file lists.
    public struct Outline: Sendable, Equatable {
        public var url: String
        public var title: String?
        public init(url: String, title: String?) {
            self.url = url
            self.title = title
        }
    }

    /// Every `<outline xmlUrl=…>`, nested folders included, in document order.
    public static func outlines(_ bytes: [UInt8]) -> [Outline] {
        guard let root = XMLDocumentParser.parse(bytes).root else { return [] }
        var found: [Outline] = []
        func walk(_ element: MarkupElement) {
            if element.name.lowercased() == "outline", let url = element.attribute("xmlUrl") ?? element.attribute("xmlurl"), !url.isEmpty {
                let title = element.attribute("title") ?? element.attribute("text")
                found.append(Outline(url: url, title: title.flatMap { $0.isEmpty ? nil : $0 }))
            }
            element.elements.forEach(walk)
        }
        walk(root)
        return found
    }

    /// An OPML document listing `feeds`.
    public static func document(_ feeds: [Outline], title: String = "Feedwatch feeds") -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head><title>\(escape(title))</title></head>\n  <body>\n"
        for feed in feeds {
            let name = escape(feed.title ?? feed.url)
            out += "    <outline type=\"rss\" text=\"\(name)\" title=\"\(name)\" xmlUrl=\"\(escape(feed.url))\"/>\n"
        }
        return out + "  </body>\n</opml>\n"
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

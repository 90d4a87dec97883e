// SPDX-License-Identifier: MIT
import Foundation
import Markup

/// The content of a text-bearing element, as its feed typed it.
struct TextValue {
    enum Kind { case text, html }
    var kind: Kind
    /// Plain text for `.text`; HTML markup for `.html`.
    var value: String
    /// Base for relative URLs inside HTML.
    var base: String?

    /// What a reader sees, on one line.
    var plain: String {
        kind == .text ? HTMLText.collapsingWhitespace(value) : HTMLText.plainText(value)
    }

    /// HTML with absolute URLs; text-typed content is given as its text.
    var html: String {
        kind == .text ? value : HTMLFragment.resolvingURLs(in: value, base: base)
    }
}

/// Reading text constructs: RSS elements (HTML by convention) and Atom's typed text.
enum TextConstruct {
    /// An RSS element: HTML by convention; child elements are inline markup.
    static func rss(_ element: MarkupElement, base: String?) -> TextValue {
        if element.hasElementChildren {
            return TextValue(kind: .html, value: HTMLFragment.serialize(childrenOf: element, base: base), base: nil)
        }
        return TextValue(kind: .html, value: element.textContent, base: base)
    }

    /// An Atom text construct: 1.0 `type="text|html|xhtml"` or a MIME type; 0.3 `mode="xml|escaped|base64"`.
    static func atom(_ element: MarkupElement, base: String?) -> TextValue {
        let type = (element.attribute("type") ?? "text").lowercased().trimmingWhitespace()
        let mode = element.attribute("mode")?.lowercased()
        var raw = element.textContent
        if mode == "base64" || (mode == nil && isBase64Typed(type) && !element.hasElementChildren) {
            raw = decodeBase64(raw) ?? raw
        }
        if element.hasElementChildren {
            let wrapper = soleDiv(element)
            if ["html", "text/html", "escaped"].contains(type), let wrapper, !wrapper.hasElementChildren {
                // HTML-typed content in a div (TypePad writes it so): the div is ignored, its text is the HTML.
                return TextValue(kind: .html, value: wrapper.textContent, base: base)
            }
            // RFC 4287 makes the div of `type="xhtml"` a wrapper, not content; Atom 0.3's inline XML
            // (`mode="xml"`) has no such rule, and its div stays (as in feedparser).
            if let wrapper, element.vocabulary != .atom03 {
                return TextValue(kind: .html, value: HTMLFragment.serialize(childrenOf: wrapper, base: wrapper.base(inheriting: base)), base: nil)
            }
            return TextValue(kind: .html, value: HTMLFragment.serialize(childrenOf: element, base: base), base: nil)
        }
        switch type {
        case "html", "text/html", "escaped": return TextValue(kind: .html, value: raw, base: base)
        case "xhtml", "application/xhtml+xml": return TextValue(kind: .html, value: raw, base: base)
        default:
            // Atom 0.3 `mode="escaped"` with a non-HTML type is still escaped markup.
            if mode == "escaped" && type != "text/plain" && type != "text" {
                return TextValue(kind: .html, value: raw, base: base)
            }
            return TextValue(kind: .text, value: raw, base: base)
        }
    }

    /// Atom 1.0: content of a non-text, non-XML media type is base64.
    private static func isBase64Typed(_ type: String) -> Bool {
        guard type.contains("/") else { return false }
        return !(type.hasPrefix("text/") || type.hasSuffix("+xml") || type.hasSuffix("/xml"))
    }

    /// The XHTML `div` that is an element's only child (around it, white space at most), if it is one.
    private static func soleDiv(_ element: MarkupElement) -> MarkupElement? {
        let elements = Array(element.elements)
        let onlyWhitespaceText = element.children.allSatisfy {
            if case .text(let t) = $0 { t.allSatisfy(\.isWhitespace) } else { true }
        }
        guard elements.count == 1, onlyWhitespaceText, elements[0].name == "div", elements[0].vocabulary == .xhtml else { return nil }
        return elements[0]
    }

    private static func decodeBase64(_ text: String) -> String? {
        let compact = text.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: compact, options: .ignoreUnknownCharacters) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

// SPDX-License-Identifier: MIT

/// HTML fragments inside feeds: serialising inline (XHTML) markup, and making the URLs in a fragment
/// absolute.
public enum HTMLFragment {
    /// Attributes whose value is a URL (the HTML 4 and HTML5 lists).
    static let urlAttributes: Set<String> = [
        "href", "src", "action", "background", "cite", "codebase", "data", "longdesc", "poster", "usemap",
        "profile", "formaction", "icon", "manifest",
    ]
    private static let voidElements: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    ]
    private static let xhtmlNamespace = "http://www.w3.org/1999/xhtml"

    /// The children of `element` as an HTML string, with relative URLs resolved against `base`.
    public static func serialize(childrenOf element: MarkupElement, base: String?) -> String {
        var out = ""
        for child in element.children { append(child, base: base, to: &out) }
        return out
    }

    private static func append(_ node: MarkupNode, base: String?, to out: inout String) {
        switch node {
        case .text(let text):
            out += escape(text, quotes: false)
        case .element(let element):
            let name = qualifiedName(element.name, prefix: element.prefix, namespace: element.namespace)
            out += "<" + name
            for attribute in element.attributes {
                var value = attribute.value
                if let base, urlAttributes.contains(attribute.name) { value = URLReference.resolve(value, against: base) }
                let attributeName = attribute.prefix.map { $0 + ":" + attribute.name } ?? attribute.name
                out += " " + attributeName + "=\"" + escape(value, quotes: true) + "\""
            }
            if element.children.isEmpty && voidElements.contains(element.name) {
                out += " />"
                return
            }
            out += ">"
            for child in element.children { append(child, base: base, to: &out) }
            out += "</" + name + ">"
        }
    }

    private static func qualifiedName(_ name: String, prefix: String?, namespace: String?) -> String {
        guard let prefix, namespace != xhtmlNamespace else { return name }
        return prefix + ":" + name
    }

    /// `text` with `&`, `<`, `>` (and `"` in attribute values) escaped.
    public static func escape(_ text: String, quotes: Bool) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || (quotes && $0 == 0x22) }) else {
            return text
        }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where quotes: out += "&quot;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// `html` with every relative URL in a URL attribute resolved against `base`.
    public static func resolvingURLs(in html: String, base: String?) -> String {
        guard let base, html.utf8.contains(UInt8(ascii: "<")), html.utf8.contains(UInt8(ascii: "=")) else { return html }
        var html = html
        html.makeContiguousUTF8()
        return resolvingURLs(in: html.utf8.span, base: base) ?? html
    }

    private static func resolvingURLs(in s: Span<UInt8>, base: String) -> String? {
        var out = [UInt8]()
        var copied = 0
        var i = 0
        while i < s.count {
            guard s[i] == UInt8(ascii: "<"), i + 1 < s.count, CharacterReferences.isNameByte(s[i + 1]) else {
                i += 1
                continue
            }
            let end = HTMLText.tagEnd(s, from: i + 1)
            for value in urlValues(s, tag: i..<end) {
                let raw = decodeUTF8(s.extracting(value.range))
                let decoded = CharacterReferences.decode(raw)
                guard URLReference.scheme(of: decoded) == nil else { continue }
                let resolved = URLReference.resolve(decoded, against: base)
                appendBytes(s.extracting(copied..<value.range.lowerBound), to: &out)
                if !value.quoted { out.append(UInt8(ascii: "\"")) }
                out.append(contentsOf: escape(resolved, quotes: true).utf8)
                if !value.quoted { out.append(UInt8(ascii: "\"")) }
                copied = value.range.upperBound
            }
            i = end
        }
        guard copied > 0 else { return nil }
        appendBytes(s.extracting(copied...), to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Ranges of the values of URL attributes inside one tag.
    private static func urlValues(_ s: Span<UInt8>, tag: Range<Int>) -> [(range: Range<Int>, quoted: Bool)] {
        var found: [(range: Range<Int>, quoted: Bool)] = []
        var i = tag.lowerBound + 1
        while i < tag.upperBound, CharacterReferences.isNameByte(s[i]) || s[i] == UInt8(ascii: ":") { i += 1 }
        while i < tag.upperBound {
            while i < tag.upperBound, !isAttributeNameByte(s[i]) { i += 1 }
            let nameStart = i
            while i < tag.upperBound, isAttributeNameByte(s[i]) { i += 1 }
            let name = decodeUTF8(s.extracting(nameStart..<i)).lowercased()
            while i < tag.upperBound, s[i] == 0x20 { i += 1 }
            guard i < tag.upperBound, s[i] == UInt8(ascii: "=") else { continue }
            i += 1
            while i < tag.upperBound, s[i] == 0x20 { i += 1 }
            guard i < tag.upperBound else { break }
            let quote = s[i]
            let range: Range<Int>
            if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                let start = i + 1
                var j = start
                while j < tag.upperBound, s[j] != quote { j += 1 }
                range = start..<j
                i = j + 1
            } else {
                let start = i
                while i < tag.upperBound, s[i] != 0x20, s[i] != UInt8(ascii: ">") { i += 1 }
                range = start..<i
            }
            if urlAttributes.contains(name) { found.append((range, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'"))) }
        }
        return found
    }

    @inline(__always)
    private static func isAttributeNameByte(_ b: UInt8) -> Bool {
        CharacterReferences.isNameByte(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ":")
    }
}

// SPDX-License-Identifier: MIT

/// One attribute of a ``MarkupElement``.
public struct MarkupAttribute: Sendable {
    /// Local name (lower-cased for HTML).
    public let name: String
    /// Namespace prefix as written (`xml` for `xml:base`), or `nil`.
    public let prefix: String?
    /// Namespace URI (XML only), or `nil`.
    public let namespace: String?
    /// Decoded value.
    public let value: String
}

/// A node of a parsed document: an element or a run of text.
public enum MarkupNode {
    case element(MarkupElement)
    case text(String)
}

/// An element of a document parsed by ``XMLDocumentParser`` or ``HTMLDocumentParser``.
///
/// Built once by the parser and not changed afterwards by the library; stages walk it read-only.
public final class MarkupElement {
    /// Local name; lower-cased for HTML.
    public let name: String
    /// Namespace prefix as written, or `nil`.
    public let prefix: String?
    /// Namespace URI (XML only), or `nil` when the element has none or its prefix was undeclared.
    public let namespace: String?
    /// Attributes in document order.
    public let attributes: [MarkupAttribute]
    /// Position in document order among the elements of its document (0, 1, 2, …): lets callers keep
    /// per-element data in arrays instead of dictionaries.
    public let index: Int
    /// Children in document order. Adjacent text is merged into one ``MarkupNode/text(_:)``.
    public internal(set) var children: [MarkupNode] = []

    init(name: String, prefix: String?, namespace: String?, attributes: [MarkupAttribute], index: Int) {
        self.name = name
        self.prefix = prefix
        self.namespace = namespace
        self.attributes = attributes
        self.index = index
    }

    /// The value of the first attribute with this local name (any namespace unless one is given).
    public func attribute(_ name: String, namespace: String? = nil) -> String? {
        for attribute in attributes where attribute.name == name {
            if namespace == nil || attribute.namespace == namespace { return attribute.value }
        }
        return nil
    }

    /// Child elements in document order.
    public var elements: [MarkupElement] {
        children.compactMap { if case .element(let e) = $0 { e } else { nil } }
    }

    /// True when some child is an element (the content is markup, not just text).
    public var hasElementChildren: Bool {
        children.contains { if case .element = $0 { true } else { false } }
    }

    /// All text below this element, concatenated in document order.
    public var textContent: String {
        if children.count == 1, case .text(let s) = children[0] { return s }
        var out = ""
        appendText(to: &out)
        return out
    }

    private func appendText(to out: inout String) {
        for child in children {
            switch child {
            case .text(let s): out += s
            case .element(let e): e.appendText(to: &out)
            }
        }
    }
}

/// The namespace URI of the `xml:` prefix (`xml:base`, `xml:lang`).
public let xmlNamespaceURI = "http://www.w3.org/XML/1998/namespace"

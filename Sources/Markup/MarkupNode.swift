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
public enum MarkupNode: Sendable {
    case element(MarkupElement)
    case text(String)
}

/// The storage of one parsed document: its elements, text runs and attributes in flat arrays, linked
/// by position. A document is one allocation per array, not one object per element, so building and
/// freeing it costs little; text becomes a `String` only when someone reads it.
public final class MarkupTree: Sendable {
    /// A link to a child or sibling: an element's index (≥ 0), a text run's index `i` as `~i` (< 0),
    /// or ``none``.
    typealias Link = Int32
    static let none: Link = .min

    struct Element {
        /// Positions in ``MarkupTree/names`` (-1: absent).
        var name: Int32, prefix: Int32, namespace: Int32
        /// The element's attributes: ``MarkupTree/attributes``[firstAttribute..<endAttribute].
        var firstAttribute: Int32, endAttribute: Int32
        var firstChild: Link = MarkupTree.none, lastChild: Link = MarkupTree.none, nextSibling: Link = MarkupTree.none
        /// All text below the element, in document order: ``MarkupTree/text``[textStart..<textEnd].
        var textStart: Int32, textEnd: Int32
    }

    struct TextRun {
        var start: Int32, end: Int32
        var nextSibling: Link = MarkupTree.none
    }

    let names: [String]
    let elements: [Element]
    let runs: [TextRun]
    let attributes: [MarkupAttribute]
    /// The document's text, UTF-8, in document order.
    let text: [UInt8]

    init(names: [String], elements: [Element], runs: [TextRun], attributes: [MarkupAttribute], text: [UInt8]) {
        self.names = names
        self.elements = elements
        self.runs = runs
        self.attributes = attributes
        self.text = text
    }

    func name(_ position: Int32) -> String? { position < 0 ? nil : names[Int(position)] }

    func string(_ start: Int32, _ end: Int32) -> String {
        guard start < end else { return "" }
        let text = self.text
        return C1Controls.decodedAsWindows1252(text.span.extracting(Int(start)..<Int(end)))
    }

    func node(_ link: Link) -> MarkupNode {
        if link >= 0 { return .element(MarkupElement(tree: self, index: Int(link))) }
        let run = runs[Int(~link)]
        return .text(string(run.start, run.end))
    }

    func nextSibling(_ link: Link) -> Link {
        link >= 0 ? elements[Int(link)].nextSibling : runs[Int(~link)].nextSibling
    }
}

/// An element of a document parsed by ``XMLDocumentParser`` or ``HTMLDocumentParser``: a position in
/// its ``MarkupTree``, which it keeps alive.
///
/// Built once by the parser and not changed afterwards; stages walk it read-only.
public struct MarkupElement: Sendable, Equatable {
    let tree: MarkupTree
    /// Position in document order among the elements of its document (0, 1, 2, …): lets callers keep
    /// per-element data in arrays instead of dictionaries.
    public let index: Int

    private var record: MarkupTree.Element { tree.elements[index] }

    /// Local name; lower-cased for HTML.
    public var name: String { tree.name(record.name) ?? "" }
    /// Namespace prefix as written, or `nil`.
    public var prefix: String? { tree.name(record.prefix) }
    /// Namespace URI (XML only), or `nil` when the element has none or its prefix was undeclared.
    public var namespace: String? { tree.name(record.namespace) }

    /// Attributes in document order.
    public var attributes: ArraySlice<MarkupAttribute> {
        let record = record
        return tree.attributes[Int(record.firstAttribute)..<Int(record.endAttribute)]
    }

    /// The value of the first attribute with this local name (any namespace unless one is given).
    public func attribute(_ name: String, namespace: String? = nil) -> String? {
        for attribute in attributes where attribute.name == name {
            if namespace == nil || attribute.namespace == namespace { return attribute.value }
        }
        return nil
    }

    /// Children in document order. Adjacent text is one ``MarkupNode/text(_:)``.
    public var children: Children { Children(tree: tree, cursor: record.firstChild) }

    /// Child elements in document order (text is skipped without being read).
    public var elements: Elements { Elements(tree: tree, cursor: record.firstChild) }

    /// True when some child is an element (the content is markup, not just text).
    public var hasElementChildren: Bool { elements.first != nil }

    /// All text below this element, concatenated in document order.
    public var textContent: String {
        let record = record
        return tree.string(record.textStart, record.textEnd)
    }

    public static func == (a: MarkupElement, b: MarkupElement) -> Bool { a.tree === b.tree && a.index == b.index }

    /// The children of an element, walked in place.
    public struct Children: Sequence, IteratorProtocol {
        let tree: MarkupTree
        var cursor: MarkupTree.Link

        public var isEmpty: Bool { cursor == MarkupTree.none }

        public mutating func next() -> MarkupNode? {
            guard cursor != MarkupTree.none else { return nil }
            defer { cursor = tree.nextSibling(cursor) }
            return tree.node(cursor)
        }
    }

    /// The child elements of an element, walked in place.
    public struct Elements: Sequence, IteratorProtocol {
        let tree: MarkupTree
        var cursor: MarkupTree.Link

        /// The first child element, if any.
        public var first: MarkupElement? {
            var copy = self
            return copy.next()
        }

        public mutating func next() -> MarkupElement? {
            while cursor != MarkupTree.none {
                let current = cursor
                cursor = tree.nextSibling(current)
                if current >= 0 { return MarkupElement(tree: tree, index: Int(current)) }
            }
            return nil
        }
    }
}

/// The namespace URI of the `xml:` prefix (`xml:base`, `xml:lang`).
public let xmlNamespaceURI = "http://www.w3.org/XML/1998/namespace"

// SPDX-License-Identifier: MIT

/// Parses XML documents (feeds) safely: charset detection and repair, entity handling that can
/// neither reach the network or the file system nor expand exponentially, and libxml2's recovery
/// mode so that the content before a fatal error is kept.
public enum XMLDocumentParser {
    /// Parses a whole XML document.
    ///
    /// - Parameters:
    ///   - bytes: the document as received.
    ///   - charset: the charset of an HTTP `Content-Type` header, which overrides the XML declaration
    ///     (a byte-order mark overrides both).
    public static func parse(_ bytes: [UInt8], charset: String? = nil) -> MarkupDocument {
        let repaired = Charset.repairedIfNeeded(bytes.span, declared: charset ?? Charset.xmlDeclaration(bytes.span))
        let utf8 = repaired ?? bytes
        return LibXML.parseXML(utf8: XMLEntityRewriter.rewrite(utf8) ?? utf8)
    }
}

/// Parses HTML pages with libxml2's HTML parser, which accepts any tag soup.
public enum HTMLDocumentParser {
    /// Parses a whole HTML page.
    ///
    /// - Parameters:
    ///   - bytes: the page as received.
    ///   - charset: the charset of an HTTP `Content-Type` header; it overrides `<meta>` (a byte-order
    ///     mark overrides both).
    public static func parse(_ bytes: [UInt8], charset: String? = nil) -> MarkupDocument {
        LibXML.parseHTML(utf8: Charset.utf8(from: bytes.span, declared: charset ?? Charset.htmlMeta(bytes.span)))
    }
}

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
        let repaired = bytes.withUnsafeBytes { raw in
            Charset.repairedIfNeeded(raw, declared: charset ?? Charset.xmlDeclaration(raw))
        }
        let utf8 = repaired ?? bytes
        let safe = XMLEntityRewriter.rewrite(utf8) ?? utf8
        return safe.withUnsafeBytes { LibXML.parseXML(utf8: $0) }
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
        let utf8 = bytes.withUnsafeBytes { raw in
            Charset.utf8(from: raw, declared: charset ?? Charset.htmlMeta(raw))
        }
        return utf8.withUnsafeBytes { LibXML.parseHTML(utf8: $0) }
    }
}

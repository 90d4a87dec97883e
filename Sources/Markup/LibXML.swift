// SPDX-License-Identifier: MIT
// The only file that touches libxml2. Documents are parsed with the SAX interface straight into a
// ``MarkupTree``, so no libxml2 pointer outlives a parse call.
//
// Safety: XML is parsed with XML_PARSE_NONET | XML_PARSE_RECOVER and never with NOENT or DTDLOAD;
// no getEntity handler is installed and userData is not the parser context, so libxml2 never looks
// up or expands an entity declared in a DTD (`XMLEntityRewriter` has already turned every reference
// that is safe to expand into a character reference). HTML is parsed with HTML_PARSE_NONET.
import CLibXML2
import Foundation

/// The first problem libxml2 reported while parsing, with its position.
public struct MarkupDiagnostic: Sendable, CustomStringConvertible {
    /// 1-based line in the parsed text.
    public let line: Int
    /// libxml2's message, trimmed.
    public let message: String
    public var description: String { "line \(line): \(message)" }
}

/// What a parse returns: the document element (if any) and how the parse went.
public struct MarkupDocument {
    /// The document element, or `nil` when the input held none.
    public let root: MarkupElement?
    /// How many elements the document has: every ``MarkupElement/index`` is below it.
    public let elementCount: Int
    /// The first error libxml2 reported, or `nil` for a well-formed document.
    public let firstError: MarkupDiagnostic?
    /// How many errors libxml2 reported in total.
    public let errorCount: Int
}

private let libxmlInitialised: Void = { xmlInitParser() }()

/// Deepest element nesting kept as structure; deeper elements are flattened into their ancestor at
/// this depth, so that recursive walks over the tree stay bounded whatever the input.
let maximumTreeDepth = 512

/// Receives SAX events for one parse. Its state is one struct, so that each callback makes one
/// exclusive access to it (checked at run time, as for any class property) rather than one per field it
/// touches. Lives for one parse only; not shared across threads.
final class TreeBuilder {
    var state: TreeState

    init(html: Bool, capacity: Int) { state = TreeState(html: html, capacity: capacity) }
}

/// The tree under construction.
struct TreeState {
    private var names: [String] = []
    private var elements: [MarkupTree.Element] = []
    private var runs: [MarkupTree.TextRun] = []
    private var attributes: [MarkupAttribute] = []
    private var text: [UInt8] = []
    /// Open elements, innermost last.
    private var stack: [Int32] = []
    private var ignoredDepth = 0
    private var recentNames = [(key: UnsafeRawPointer?, position: Int32)](repeating: (nil, -1), count: 64)
    private let isHTML: Bool
    /// HTML only: open `script` and `style` elements whose text nobody reads (everything but JSON-LD);
    /// their text is dropped at once instead of being kept.
    private var ignoredTextDepth = 0
    private(set) var firstError: MarkupDiagnostic?
    private(set) var errorCount = 0

    init(html: Bool, capacity: Int) {
        isHTML = html
        stack.reserveCapacity(64)
        text.reserveCapacity(capacity)
        elements.reserveCapacity(capacity / 64)
        runs.reserveCapacity(capacity / 64)
    }

    var attributeCount: Int { attributes.count }

    /// An interned libxml2 string as a position in the tree's names (-1 for none). A document uses few
    /// names many times: a small table by address answers most lookups; the rest are converted (names
    /// are short: no allocation).
    mutating func name(_ pointer: UnsafePointer<xmlChar>?) -> Int32 {
        guard let pointer else { return -1 }
        let key = UnsafeRawPointer(pointer)
        let slot = Int(truncatingIfNeeded: ((UInt(bitPattern: key) >> 3) &* 0x9E37_79B9_7F4A_7C15) >> 58)
        if recentNames[slot].key == key { return recentNames[slot].position }
        var converted = String(cString: pointer)
        if isHTML { converted = converted.lowercased() }
        let position = Int32(names.count)
        names.append(converted)
        recentNames[slot] = (key, position)
        return position
    }

    mutating func addAttribute(name: Int32, prefix: Int32, namespace: Int32, value: String) {
        attributes.append(
            MarkupAttribute(
                name: name < 0 ? "" : names[Int(name)], prefix: prefix < 0 ? nil : names[Int(prefix)],
                namespace: namespace < 0 ? nil : names[Int(namespace)], value: value))
    }

    mutating func appendText(_ bytes: UnsafePointer<xmlChar>?, _ count: Int32) {
        guard let bytes, count > 0, ignoredTextDepth == 0, let parent = stack.last.map(Int.init) else { return }
        let end = Int32(text.count) + count
        let last = elements[parent].lastChild
        if last < 0, last != MarkupTree.none, runs[Int(~last)].end == Int32(text.count) {
            runs[Int(~last)].end = end  // adjacent text is one run
        } else {
            let link = ~Int32(runs.count)
            runs.append(MarkupTree.TextRun(start: Int32(text.count), end: end))
            attach(link, to: parent)
        }
        text.append(contentsOf: UnsafeBufferPointer(start: bytes, count: Int(count)))
    }

    /// Opens an element whose attributes are those added since `attributeCount` was `firstAttribute`.
    mutating func open(name: Int32, prefix: Int32, namespace: Int32, firstAttribute: Int) {
        if stack.count >= maximumTreeDepth {
            ignoredDepth += 1
            attributes.removeSubrange(firstAttribute...)
            return
        }
        let index = Int32(elements.count)
        elements.append(
            MarkupTree.Element(
                name: name, prefix: prefix, namespace: namespace, firstAttribute: Int32(firstAttribute),
                endAttribute: Int32(attributes.count), textStart: Int32(text.count), textEnd: Int32(text.count)))
        if let parent = stack.last { attach(index, to: Int(parent)) }
        stack.append(index)
        if isHTML && hidesText(Int(index)) { ignoredTextDepth += 1 }
    }

    private mutating func attach(_ link: MarkupTree.Link, to parent: Int) {
        let last = elements[parent].lastChild
        if last == MarkupTree.none {
            elements[parent].firstChild = link
        } else if last >= 0 {
            elements[Int(last)].nextSibling = link
        } else {
            runs[Int(~last)].nextSibling = link
        }
        elements[parent].lastChild = link
    }

    /// HTML `style`, and `script` other than JSON-LD: text nobody reads.
    private func hidesText(_ index: Int) -> Bool {
        let record = elements[index]
        guard record.name >= 0 else { return false }
        let name = names[Int(record.name)]
        guard name == "style" || name == "script" else { return false }
        let type = attributes[Int(record.firstAttribute)..<Int(record.endAttribute)].first { $0.name == "type" }
        return name == "style" || type?.value.containsASCIICaseInsensitive("json") != true
    }

    mutating func close() {
        if ignoredDepth > 0 {
            ignoredDepth -= 1
        } else if let index = stack.popLast().map(Int.init) {
            elements[index].textEnd = Int32(text.count)
            if isHTML && hidesText(index) { ignoredTextDepth = max(0, ignoredTextDepth - 1) }
        }
    }

    mutating func error(line: Int, message: String) {
        errorCount += 1
        if firstError == nil { firstError = MarkupDiagnostic(line: line, message: message) }
    }

    mutating func finish() -> MarkupDocument {
        for index in stack { elements[Int(index)].textEnd = Int32(text.count) }  // left open by a broken document
        stack.removeAll()
        let tree = MarkupTree(names: names, elements: elements, runs: runs, attributes: attributes, text: text)
        return MarkupDocument(
            root: elements.isEmpty ? nil : MarkupElement(tree: tree, index: 0), elementCount: elements.count,
            firstError: firstError, errorCount: errorCount)
    }
}

private func builder(_ context: UnsafeMutableRawPointer?) -> TreeBuilder {
    Unmanaged<TreeBuilder>.fromOpaque(context!).takeUnretainedValue()
}

private let onCharacters: charactersSAXFunc = { context, bytes, count in
    builder(context).state.appendText(bytes, count)
}

private let onStructuredError: xmlStructuredErrorFunc = { context, error in
    guard let context, let error else { return }
    let raw = error.pointee.message.map { String(cString: $0) } ?? "unknown error"
    let message = raw.trimmingWhitespace()
    builder(context).state.error(line: Int(error.pointee.line), message: message)
}

/// libxml2 keeps `&#38;` in attribute values when it does not replace entities; undo that.
private func attributeValue(_ start: UnsafePointer<xmlChar>?, _ end: UnsafePointer<xmlChar>?) -> String {
    guard let start, let end, end > start else { return "" }
    let bytes = UnsafeBufferPointer(start: start, count: end - start)
    guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
    return String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "&#38;", with: "&")
}

private let onStartElementNs: startElementNsSAX2Func = {
    context, localname, prefix, uri, _, _, attributeCount, _, attributeValues in
    builder(context).state.startElementNs(localname, prefix, uri, attributeCount, attributeValues)
}

extension TreeState {
    /// An XML element with its attributes: `values` holds five pointers per attribute (local name,
    /// prefix, namespace, value start, value end).
    mutating func startElementNs(
        _ localname: UnsafePointer<xmlChar>?, _ prefix: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?,
        _ count: Int32, _ values: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) {
        let first = attributeCount
        if count > 0, let values {
            for index in 0..<Int(count) {
                let base = values + index * 5
                addAttribute(
                    name: name(base[0]), prefix: name(base[1]), namespace: name(base[2]), value: attributeValue(base[3], base[4]))
            }
        }
        open(name: name(localname), prefix: name(prefix), namespace: name(uri), firstAttribute: first)
    }

    /// An HTML element with its attributes: `pairs` holds name and value pointers, then a null.
    mutating func startHTMLElement(_ elementName: UnsafePointer<xmlChar>?, _ pairs: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        let first = attributeCount
        if var cursor = pairs {
            while let attributeName = cursor[0] {
                let value = cursor[1].map { String(cString: $0) } ?? ""
                addAttribute(name: name(attributeName), prefix: -1, namespace: -1, value: value)
                cursor += 2
            }
        }
        open(name: name(elementName), prefix: -1, namespace: -1, firstAttribute: first)
    }
}

private let onEndElementNs: endElementNsSAX2Func = { context, _, _, _ in
    builder(context).state.close()
}

private let onHTMLStartElement: startElementSAXFunc = { context, name, pairs in
    builder(context).state.startHTMLElement(name, pairs)
}

private let onHTMLEndElement: endElementSAXFunc = { context, _ in
    builder(context).state.close()
}

/// Parses XML that is already UTF-8 into a ``MarkupDocument``.
///
/// Use ``XMLDocumentParser`` instead: it also detects the charset and makes entities safe.
enum LibXML {
    static func parseXML(utf8 bytes: [UInt8]) -> MarkupDocument {
        _ = libxmlInitialised
        var handler = xmlSAXHandler()
        handler.initialized = XML_SAX2_MAGIC
        handler.startElementNs = onStartElementNs
        handler.endElementNs = onEndElementNs
        handler.characters = onCharacters
        handler.cdataBlock = onCharacters
        handler.serror = onStructuredError
        let options = Int32(
            XML_PARSE_RECOVER.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue
                | XML_PARSE_NOWARNING.rawValue | XML_PARSE_IGNORE_ENC.rawValue | XML_PARSE_COMPACT.rawValue)
        return run(bytes: bytes, html: false, handler: handler) { context in
            xmlCtxtUseOptions(context, options)
            return xmlParseDocument(context)
        }
    }

    static func parseHTML(utf8 bytes: [UInt8]) -> MarkupDocument {
        _ = libxmlInitialised
        var handler = xmlSAXHandler()
        handler.initialized = XML_SAX2_MAGIC
        handler.startElement = onHTMLStartElement
        handler.endElement = onHTMLEndElement
        handler.characters = onCharacters
        handler.cdataBlock = onCharacters
        handler.ignorableWhitespace = onCharacters
        // No error handler: tag soup makes libxml2 report hundreds of errors per page, and nobody reads
        // them (HTML_PARSE_NOERROR keeps them off stderr).
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
                | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_IGNORE_ENC.rawValue | HTML_PARSE_COMPACT.rawValue)
        return run(bytes: bytes, html: true, handler: handler) { context in
            htmlCtxtUseOptions(context, options)
            xmlSwitchEncoding(context, XML_CHAR_ENCODING_UTF8)
            return htmlParseDocument(context)
        }
    }

    private static func run(
        bytes array: [UInt8], html: Bool, handler: xmlSAXHandler, parse: (xmlParserCtxtPtr) -> Int32
    ) -> MarkupDocument {
        array.withUnsafeBytes { run(bytes: $0, html: html, handler: handler, parse: parse) }
    }

    private static func run(
        bytes: UnsafeRawBufferPointer, html: Bool, handler: xmlSAXHandler, parse: (xmlParserCtxtPtr) -> Int32
    ) -> MarkupDocument {
        let builder = TreeBuilder(html: html, capacity: bytes.count)
        guard let base = bytes.baseAddress, bytes.count > 0, bytes.count < Int(Int32.max) else {
            return builder.state.finish()
        }
        let pointer = base.assumingMemoryBound(to: CChar.self)
        let created = html
            ? htmlCreateMemoryParserCtxt(pointer, Int32(bytes.count))
            : xmlCreateMemoryParserCtxt(pointer, Int32(bytes.count))
        guard let context = created else { return builder.state.finish() }
        defer {
            // SAX parsing builds no document, except that libxml2 keeps the entity declarations of an
            // internal subset in a document of its own making (its "SAX compatibility mode"), which the
            // context does not free.
            if let document = context.pointee.myDoc {
                xmlFreeDoc(document)
                context.pointee.myDoc = nil
            }
            html ? htmlFreeParserCtxt(context) : xmlFreeParserCtxt(context)
        }
        context.pointee.sax.pointee = handler
        withExtendedLifetime(builder) {
            context.pointee.userData = Unmanaged.passUnretained(builder).toOpaque()
            _ = parse(context)
        }
        return builder.state.finish()
    }
}

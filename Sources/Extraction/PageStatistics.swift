// SPDX-License-Identifier: MIT
import Markup

/// Text measurements of every element of a page, computed once bottom-up: how much text it holds,
/// how much of that is link text, and how many paragraphs.
struct PageStatistics {
    struct Entry {
        var textLength = 0
        var linkTextLength = 0
        var commas = 0
        var paragraphs = 0
    }

    private var entries: [Entry]

    init(root: MarkupElement, elementCount: Int, excluded: ElementSet) {
        entries = Array(repeating: Entry(), count: elementCount)
        _ = measure(root, excluded: excluded, insideLink: false)
    }

    subscript(element: MarkupElement) -> Entry {
        element.index >= 0 && element.index < entries.count ? entries[element.index] : Entry()
    }

    func linkDensity(_ element: MarkupElement) -> Double {
        let entry = self[element]
        return entry.textLength == 0 ? 0 : Double(entry.linkTextLength) / Double(entry.textLength)
    }

    private mutating func measure(_ element: MarkupElement, excluded: ElementSet, insideLink: Bool) -> Entry {
        var entry = Entry()
        let link = insideLink || element.name == "a"
        for child in element.children {
            switch child {
            case .text(let text):
                let (length, commas) = Self.measure(text)
                entry.textLength += length
                if link { entry.linkTextLength += length }
                entry.commas += commas
            case .element(let child):
                guard !excluded.contains(child) else { continue }
                let inner = measure(child, excluded: excluded, insideLink: link)
                entry.textLength += inner.textLength
                entry.linkTextLength += inner.linkTextLength
                entry.commas += inner.commas
                entry.paragraphs += inner.paragraphs
            }
        }
        if element.name == "p" && entry.textLength >= 25 { entry.paragraphs += 1 }
        if element.index >= 0 && element.index < entries.count { entries[element.index] = entry }
        return entry
    }

    /// Bytes other than white space, and commas, in one pass.
    static func measure(_ text: String) -> (visible: Int, commas: Int) {
        var text = text
        return text.withUTF8 { bytes in
            var visible = 0
            var commas = 0
            for b in bytes {
                if b > 0x20 {
                    visible += 1
                    if b == 0x2C { commas += 1 }
                } else if b != 0x20 && b != 0x0A && b != 0x09 && b != 0x0D {
                    visible += 1
                }
            }
            return (visible, commas)
        }
    }
}

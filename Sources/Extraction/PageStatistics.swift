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
                let length = visibleLength(text)
                entry.textLength += length
                if link { entry.linkTextLength += length }
                entry.commas += text.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: ",") ? 1 : 0) }
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

    /// Characters other than white space.
    private func visibleLength(_ text: String) -> Int {
        text.utf8.reduce(0) { $0 + ($1 == 0x20 || $1 == 0x0A || $1 == 0x09 || $1 == 0x0D ? 0 : 1) }
    }
}

// SPDX-License-Identifier: MIT
// Turning the story's containers into paragraphs: block elements start new paragraphs, `<br>` breaks
// lines, inline text flows; then paragraphs that are chrome after all are dropped — link lists, short
// "Related:", "Advertisement", "Reporting by…" and "Share this" lines, the headline repeated.
import Foundation
import Markup

struct TextAssembler {
    private let excluded: ElementSet
    private var paragraphs: [(text: String, linkLength: Int, links: Int)] = []
    private var current = ""
    private var currentLinkLength = 0
    private var currentLinks = 0

    private static let blockTags: Set<String> = [
        "p", "div", "section", "article", "main", "ul", "ol", "li", "table", "tr", "blockquote", "pre", "h1", "h2",
        "h3", "h4", "h5", "h6", "dl", "dt", "dd", "center", "address", "hr", "body", "header", "footer",
    ]

    init(excluded: ElementSet) {
        self.excluded = excluded
    }

    /// The paragraphs of `containers`, chrome lines removed, separated by blank lines.
    mutating func text(of containers: [MarkupElement], title: String?) -> String {
        for container in containers { walk(container, inLink: false, preformatted: false) }
        flush()
        let normalizedTitle = title.map(Self.normalized)
        var kept: [String] = []
        for paragraph in paragraphs {
            let text = paragraph.text
            if let normalizedTitle, text.utf8.count < 2 * normalizedTitle.utf8.count + 16,
                Self.normalized(text) == normalizedTitle
            {
                continue
            }
            if Self.isChromeLine(text) { continue }
            let length = text.utf8.count
            // Lines of links are navigation or "related" lists; a bare URL written out, or one link
            // in a line of text ("Source: New York Times"), is story text.
            let linkShare = Double(paragraph.linkLength) / Double(max(1, length))
            let linkList = paragraph.links >= 2 || linkShare > 0.8
            if linkShare > 0.5 && linkList && length < 300 && !Self.isBareURL(text) { continue }
            kept.append(text)
        }
        return kept.joined(separator: "\n\n")
    }

    private mutating func walk(_ element: MarkupElement, inLink: Bool, preformatted: Bool) {
        let name = element.name
        let block = Self.blockTags.contains(name)
        if block { flush() }
        if name == "br" {
            flush()
            return
        }
        let link = inLink || name == "a"
        if name == "a" && !inLink { currentLinks += 1 }
        let pre = preformatted || name == "pre"
        for child in element.children {
            switch child {
            case .text(let text):
                append(text, link: link, preformatted: pre)
            case .element(let child):
                guard !excluded.contains(child) else { continue }
                walk(child, inLink: link, preformatted: pre)
            }
        }
        if block { flush() }
    }

    private mutating func append(_ text: String, link: Bool, preformatted: Bool) {
        let piece = preformatted ? text : Self.collapsed(text)
        guard !piece.isEmpty else { return }
        if !preformatted, current.last == " ", piece.first == " " {
            current += piece.dropFirst()
        } else {
            current += piece
        }
        if link { currentLinkLength += piece.utf8.count }
    }

    private mutating func flush() {
        let text = current.trimmingWhitespace()
        if !text.isEmpty { paragraphs.append((text, currentLinkLength, currentLinks)) }
        current = ""
        currentLinkLength = 0
        currentLinks = 0
    }

    /// Runs of white space (ASCII and no-break spaces) as one space, keeping a leading and trailing
    /// one: words of neighbouring text nodes must not glue.
    private static func collapsed(_ text: String) -> String {
        HTMLText.collapsingWhitespace(text, keepingEdges: true, noBreakSpaces: true)
    }

    private static func normalized(_ text: String) -> String {
        String(text.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || $0.properties.numericType != nil })
    }

    /// Short lines that are page furniture, not story.
    private static let chromePrefixes = [
        "related:", "related stories", "related articles", "read more", "read also", "see also", "also read",
        "advertisement", "sponsored", "share this", "share on", "follow us", "sign up", "subscribe", "click here",
        "reporting by", "additional reporting", "editing by", "writing by", "compiled by", "photo:", "image:",
        "photograph:", "(photo", "copyright", "©", "all rights reserved", "leave a reply", "leave a comment",
        "comments", "you are commenting", "fill in your details", "connecting to %s", "notify me of",
        "post navigation", "previous post", "next post", "filed under", "posted in", "tagged", "like this:",
        "loading...", "story continues below", "continue reading", "recommended", "more from", "watch:",
        "listen:", "download the", "get the app", "like this story", "share it with", "tell us what you think",
        "this slideshow requires javascript", "please enable javascript", "javascript is disabled",
    ]

    static func isBareURL(_ text: String) -> Bool {
        (text.hasPrefix("http://") || text.hasPrefix("https://")) && !text.utf8.contains(0x20)
    }

    static func isChromeLine(_ text: String) -> Bool {
        guard text.utf8.count < 200 else { return false }
        let lower = text.lowercased()
        if chromePrefixes.contains(where: { lower.hasPrefix($0) }) { return true }
        if isShortcode(lower) { return true }
        return ["advertisement", "advert", "ad", "share", "print", "email"].contains(lower)
    }

    /// A CMS shortcode the site failed to render, `[button link="…"]Send us yours[/button]`: markup
    /// for a widget, never story text.
    static func isShortcode(_ line: String) -> Bool {
        guard line.hasPrefix("["), line.hasSuffix("]"), let close = line.range(of: "[/", options: .backwards) else { return false }
        let name = line.dropFirst().prefix { $0.isLetter || $0 == "_" || $0 == "-" }
        return !name.isEmpty && line[close.upperBound...].hasPrefix(name)
    }
}

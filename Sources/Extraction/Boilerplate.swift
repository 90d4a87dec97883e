// SPDX-License-Identifier: MIT
// What is not the story: removed by structure (scripts, navigation, forms, asides, hidden elements) and
// by the class, id and role vocabulary pages use for chrome (comments, share and like widgets, related
// posts, newsletters, cookie banners, advertising). An element whose name says "chrome" but that holds
// most of the page's text is kept: a page wrapped in `<div class="has-sidebar">` must not vanish.
import Foundation
import Markup

enum Boilerplate {
    /// Elements that never hold story text.
    static let droppedTags: Set<String> = [
        "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed", "video", "audio",
        "button", "select", "input", "textarea", "label", "nav", "aside", "figcaption", "figure", "menu", "dialog",
        "map", "link", "meta", "head", "title", "picture", "img", "source", "option", "fieldset", "legend",
    ]
    /// Elements that are chrome unless they hold most of the page (some sites put everything in them).
    static let structuralChrome: Set<String> = ["header", "footer", "form"]

    static let chromeRoles: Set<String> = [
        "navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog", "menu", "menubar", "search",
        "toolbar", "alert", "tablist", "note",
    ]

    /// Words in class and id values that mark chrome.
    static let negativeWords: [String] = [
        "comment", "disqus", "respond", "reply", "share", "sharing", "social", "sociable", "related", "recommend",
        "newsletter", "subscribe", "subscription", "signup", "sign-up", "cookie", "consent", "gdpr", "banner",
        "advert", "sponsor", "promo", "outbrain", "taboola", "widget", "sidebar", "side-bar", "breadcrumb", "menu",
        "navbar", "navigation", "masthead", "footer", "header", "pagination", "pager", "popup", "modal", "overlay",
        "byline", "dateline", "author-bio", "author-info", "authorbox", "about-author", "caption", "credit",
        "tags", "tag-list", "taglist", "keywords", "toolbar", "print", "trending", "popular", "most-read",
        "more-stories", "read-more", "readmore", "see-also", "jp-relatedposts", "sharedaddy", "wp-caption",
        "post-meta", "entry-meta", "article-meta", "meta-info", "timestamp", "skip", "sr-only", "screen-reader",
        "visually-hidden", "hidden", "rating", "feedback", "login", "paywall", "inline-ad", "ad-container",
        "ad-slot", "adsbygoogle", "dfp", "teaser", "nav-", "-nav", "shoutbox", "combx", "community", "supplemental",
        "like", "follow", "donate", "playlist", "video-player", "gallery", "slideshow", "carousel", "infobox",
        "alert", "disclaimer", "copyright", "legal", "contact", "corrections", "newsletter-signup",
    ]
    /// Chrome words so specific that a content word in the same value does not save the element
    /// (`sharedaddy` beside `jp-post-flair`, `comments-area` beside `entry`).
    static let strongNegativeWords: [String] = [
        "comment", "disqus", "respond", "share", "sharing", "social", "related", "recommend", "newsletter",
        "subscribe", "cookie", "consent", "gdpr", "advert", "sponsor", "outbrain", "taboola", "sidebar",
        "breadcrumb", "popup", "modal", "sharedaddy", "jp-relatedposts",
    ]
    /// Words that mark content; they outweigh a negative word in the same value.
    static let positiveWords: [String] = [
        "article", "body", "content", "entry", "hentry", "main", "post", "text", "story", "blog", "prose", "paragraph",
    ]
    /// Bare words (whole tokens of a class or id) that mark advertising.
    static let adTokens: Set<String> = ["ad", "ads", "advertisement", "advertising", "adv"]

    /// Elements to skip, given the page's text statistics before pruning.
    /// First the elements that are never text (scripts, styles, hidden ones); then, measured on what
    /// remains, the chrome by structure and vocabulary.
    static func excluded(in root: MarkupElement, elementCount: Int, weights: WeightCache) -> ElementSet {
        var excluded = ElementSet(elementCount: elementCount)
        mark(root, excluded: &excluded) { element in droppedTags.contains(element.name) || isHidden(element) }
        let stats = PageStatistics(root: root, elementCount: elementCount, excluded: excluded)
        let total = max(1, stats[root].textLength)
        mark(root, excluded: &excluded) { isChrome($0, stats: stats, total: total, weights: weights) }
        return excluded
    }

    private static func mark(_ element: MarkupElement, excluded: inout ElementSet, _ test: (MarkupElement) -> Bool) {
        for child in element.elements where !excluded.contains(child) {
            if test(child) {
                excluded.insert(child)
            } else {
                mark(child, excluded: &excluded, test)
            }
        }
    }

    static func isChrome(_ element: MarkupElement, stats: PageStatistics, total: Int, weights: WeightCache) -> Bool {
        let name = element.name
        let share = Double(stats[element].textLength) / Double(total)
        if structuralChrome.contains(name) { return share < 0.4 || (name == "form" && hasFormControls(element) && share < 0.15) }
        if let role = element.attribute("role")?.lowercased(), chromeRoles.contains(role), share < 0.4 { return true }
        if name == "body" || name == "html" || name == "main" || name == "article" { return false }
        return share < 0.4 && weights.weight(element) < 0
    }

    /// The weight of a class and id value, given as lower-cased bytes.
    static func weight(lowercasedASCII value: [UInt8]) -> Int {
        guard value.count > 1 else { return 0 }
        var start = 0
        for i in 0...value.count {
            if i == value.count || !(isAlphanumeric(value[i])) {
                if i > start, adTokenBytes.contains(Array(value[start..<i])) { return -1 }
                start = i + 1
            }
        }
        // Every vocabulary word that occurs anywhere in the value, found through the words that
        // start with each byte (a few candidates per position instead of the whole vocabulary).
        var strong = false
        var negative = false
        var positive = false
        let index = vocabularyByFirstByte
        for i in value.indices {
            for (word, kind) in index[Int(value[i])] where value.count - i >= word.count {
                var k = 1
                while k < word.count && value[i + k] == word[k] { k += 1 }
                guard k == word.count else { continue }
                switch kind {
                case .strongNegative: strong = true
                case .negative: negative = true
                case .positive: positive = true
                }
            }
        }
        if strong { return -1 }
        if negative && !positive { return -1 }
        if positive && !negative { return 1 }
        return 0
    }

    private enum WordKind { case strongNegative, negative, positive }

    /// The vocabulary, bucketed by first byte.
    private static let vocabularyByFirstByte: [[([UInt8], WordKind)]] = {
        var buckets = [[([UInt8], WordKind)]](repeating: [], count: 256)
        let all = strongNegativeWords.map { ($0, WordKind.strongNegative) } + negativeWords.map { ($0, WordKind.negative) }
            + positiveWords.map { ($0, WordKind.positive) }
        for (word, kind) in all {
            let bytes = Array(word.utf8)
            buckets[Int(bytes[0])].append((bytes, kind))
        }
        return buckets
    }()

    private static func isAlphanumeric(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b >= 0x80 }
    private static let adTokenBytes = Set(adTokens.map { Array($0.utf8) })

    static func isHidden(_ element: MarkupElement) -> Bool {
        if element.attribute("hidden") != nil { return true }
        if element.attribute("aria-hidden")?.lowercased() == "true" { return true }
        guard let style = element.attribute("style") else { return false }
        var compact: [UInt8] = []
        compact.reserveCapacity(style.utf8.count)
        for b in style.utf8 where b != 0x20 { compact.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b) }
        return compact.containsBytes(Array("display:none".utf8)) || compact.containsBytes(Array("visibility:hidden".utf8))
    }

    private static func hasFormControls(_ element: MarkupElement) -> Bool {
        for child in element.elements {
            if child.name == "input" || child.name == "textarea" || child.name == "select" || child.name == "button" { return true }
            if hasFormControls(child) { return true }
        }
        return false
    }
}

/// Class and id weights of one page, each distinct value computed once: pages repeat the same few
/// hundred class values over thousands of elements. Used by one extraction at a time.
final class WeightCache {
    private var weights: [String: Int] = [:]

    /// +1 for a content-like class or id, -1 for a chrome-like one, 0 otherwise.
    func weight(_ element: MarkupElement) -> Int {
        let classValue = element.attribute("class")
        let idValue = element.attribute("id")
        if classValue == nil && idValue == nil { return 0 }
        let key = (classValue ?? "") + " " + (idValue ?? "")
        if let known = weights[key] { return known }
        var bytes = Array(key.utf8)
        for i in bytes.indices where bytes[i] >= 0x41 && bytes[i] <= 0x5A { bytes[i] |= 0x20 }
        let weight = Boilerplate.weight(lowercasedASCII: bytes)
        weights[key] = weight
        return weight
    }
}

extension Array where Element == UInt8 {
    /// True when `needle` occurs in the array.
    func containsBytes(_ needle: [UInt8]) -> Bool {
        guard needle.count <= count, let first = needle.first else { return needle.isEmpty }
        var i = 0
        let last = count - needle.count
        while i <= last {
            if self[i] == first {
                var k = 1
                while k < needle.count && self[i + k] == needle[k] { k += 1 }
                if k == needle.count { return true }
            }
            i += 1
        }
        return false
    }
}

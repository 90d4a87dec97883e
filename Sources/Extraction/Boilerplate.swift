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
    static func excluded(in root: MarkupElement) -> Set<ObjectIdentifier> {
        var excluded = Set<ObjectIdentifier>()
        mark(root, excluded: &excluded) { element in droppedTags.contains(element.name) || isHidden(element) }
        let stats = PageStatistics(root: root, excluded: excluded)
        let total = max(1, stats[root].textLength)
        mark(root, excluded: &excluded) { isChrome($0, stats: stats, total: total) }
        return excluded
    }

    private static func mark(_ element: MarkupElement, excluded: inout Set<ObjectIdentifier>, _ test: (MarkupElement) -> Bool) {
        for child in element.elements where !excluded.contains(ObjectIdentifier(child)) {
            if test(child) {
                excluded.insert(ObjectIdentifier(child))
            } else {
                mark(child, excluded: &excluded, test)
            }
        }
    }

    static func isChrome(_ element: MarkupElement, stats: PageStatistics, total: Int) -> Bool {
        let name = element.name
        let share = Double(stats[element].textLength) / Double(total)
        if structuralChrome.contains(name) { return share < 0.4 || (name == "form" && hasFormControls(element) && share < 0.15) }
        if let role = element.attribute("role")?.lowercased(), chromeRoles.contains(role), share < 0.4 { return true }
        if name == "body" || name == "html" || name == "main" || name == "article" { return false }
        return share < 0.4 && weight(element) < 0
    }

    /// +1 for a content-like class or id, -1 for a chrome-like one, 0 otherwise.
    static func weight(_ element: MarkupElement) -> Int {
        let value = ((element.attribute("class") ?? "") + " " + (element.attribute("id") ?? "")).lowercased()
        guard value.count > 1 else { return 0 }
        let tokens = value.split { !$0.isLetter && !$0.isNumber }
        if tokens.contains(where: { adTokens.contains(String($0)) }) { return -1 }
        if strongNegativeWords.contains(where: { value.contains($0) }) { return -1 }
        let negative = negativeWords.contains { value.contains($0) }
        let positive = positiveWords.contains { value.contains($0) }
        if negative && !positive { return -1 }
        if positive && !negative { return 1 }
        return 0
    }

    static func isHidden(_ element: MarkupElement) -> Bool {
        if element.attribute("hidden") != nil { return true }
        if element.attribute("aria-hidden")?.lowercased() == "true" { return true }
        if let style = element.attribute("style")?.lowercased().replacingOccurrences(of: " ", with: ""),
            style.contains("display:none") || style.contains("visibility:hidden")
        {
            return true
        }
        return false
    }

    private static func hasFormControls(_ element: MarkupElement) -> Bool {
        for child in element.elements {
            if child.name == "input" || child.name == "textarea" || child.name == "select" || child.name == "button" { return true }
            if hasFormControls(child) { return true }
        }
        return false
    }
}

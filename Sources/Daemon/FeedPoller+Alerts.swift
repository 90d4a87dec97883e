// SPDX-License-Identifier: MIT
import Alerts
import Extraction
import FeedParsing
import Fetching
import Foundation
import Logging
import Markup
import Rules
import Store

/// What every alert of one poll shares.
struct AlertSource: Sendable {
    var feedURL: String
    var feedTitle: String?
    var mode: EntryIdentity
    var routing: SinkRouting
}

/// What a new entry raised: its alerts, the sketch of its text when stories are on, and the entry
/// as the rules saw it, for the archive.
struct MatchedEntry: Sendable {
    var alerts: [PendingAlert]
    var sketch: StorySketch?
    var archived: ArchivedEntry
}

extension FeedPoller {
    /// The alerts a new entry raises: its article text (the cleaned page, or the item's own text when
    /// the page cannot be had), matched against the rules in force; and, with `sketch`, the sketch of
    /// that text, which places the entry in a story.
    func matches(
        for entry: Entry, _ fingerprint: EntryFingerprint, _ feed: FeedConfiguration, _ source: AlertSource,
        _ rules: RuleSet, _ sketch: Bool, _ now: Date
    ) async -> MatchedEntry {
        let text = await articleText(entry, fullText: feed.settings.fullText)
        let article = Self.article(entry, body: text.body, source)
        await rules.compiled()  // the match histogram times matching, not the one-off build
        let matchStart = ContinuousClock.now
        let matched = await rules.match(article)
        metrics.observe(.match, since: matchStart)
        let identity = fingerprint.identity(source.mode)
        let published = (entry.published ?? entry.updated).map(Alert.timestamp)
        let alerts = matched.map { rule in
            let evidence = MatchEvidence(rule.expression, in: article)
            let alert = Alert(
                id: PendingAlert.id(rule: rule.name, feedURL: source.feedURL, entry: identity),
                ts: now, rule: rule.name, feed: .init(url: source.feedURL, title: source.feedTitle),
                entry: .init(id: entry.id, url: entry.link, title: entry.title, published: published),
                matched: evidence.words, snippet: evidence.snippet(of: article), source: text.source, sourceError: text.problem)
            return PendingAlert(id: alert.id, rule: rule.name, json: alert.jsonLine, sinks: source.routing.sinks(for: rule.name))
        }
        var archived = Self.archived(entry, key: identity, body: text.body, source: text.source.rawValue, matched: matched)
        archived.sourceError = text.problem
        return MatchedEntry(alerts: alerts, sketch: sketch ? StorySketch(text: text.body) : nil, archived: archived)
    }

    /// An entry already in the feed at its first fetch, for the archive alone (for `rules test` and
    /// `trace`): no page fetched, not matched, nothing alerted, and its feed text kept as the feed
    /// wrote it (``ArchivedEntry/body`` makes it plain when read): a new feed's first fetch brings a
    /// hundred entries, and matching or converting them all would double the cycle that adds it.
    static func firstFetchArchive(_ entry: Entry, _ fingerprint: EntryFingerprint, _ source: AlertSource) -> ArchivedEntry {
        archived(entry, key: fingerprint.identity(source.mode), body: entry.content ?? entry.summary ?? "", source: ArchivedEntry.firstFetch, matched: [])
    }

    private static func article(_ entry: Entry, body: String, _ source: AlertSource) -> Article {
        Article(id: entry.id ?? entry.link ?? "", title: entry.title ?? "", body: body, author: entry.author?.name ?? "",
                feed: source.feedTitle ?? "", url: entry.link ?? "", categories: entry.categories)
    }

    private static func archived(_ entry: Entry, key: String, body: String, source: String, matched: [Rule]) -> ArchivedEntry {
        ArchivedEntry(
            key: key, entryID: entry.id, url: entry.link, title: entry.title, published: (entry.published ?? entry.updated).map(Alert.timestamp),
            author: entry.author?.name, categories: entry.categories, source: source, text: body, rules: matched.map(\.name))
    }

    /// The text rules see as `body`.
    private func articleText(_ entry: Entry, fullText: Bool) async -> (body: String, source: Alert.Source, problem: String?) {
        let own = Self.feedText(entry)
        guard fullText else { return (own, .feed, nil) }
        guard let link = entry.link, link.lowercased().hasPrefix("http://") || link.lowercased().hasPrefix("https://") else {
            return (own, .feed, "the entry has no http(s) link to fetch")
        }
        var request = FetchRequest(url: link)
        request.purpose = .article
        let fetched = await client.outcome(of: request)
        guard case .fresh(let response) = fetched else {
            let problem = fetched.error?.description ?? "\(link): the server answered without the page"
            logger.info("article page unavailable; matching the feed's own text", metadata: ["entry.url": "\(link)", "error": "\(problem)"])
            return (own, .feed, problem)
        }
        do {
            let extractStart = ContinuousClock.now
            let page = try ArticleExtractor.extract(response.bodyBytes, url: response.url, charset: response.charset)
            metrics.observe(.extract, since: extractStart)
            guard !page.text.isEmpty else { return (own, .feed, "\(link): the page holds no article text") }
            return (page.text, .page, nil)
        } catch {
            return (own, .feed, "\(link): \(error)")
        }
    }

    /// The item's content, else its summary, as plain text.
    static func feedText(_ entry: Entry) -> String {
        plainText(feed: entry.content ?? entry.summary ?? "")
    }

    /// A feed's summary or content as plain text.
    static func plainText(feed raw: String) -> String {
        HTMLText.looksLikeHTML(raw) ? HTMLText.plainText(raw) : raw
    }
}

// SPDX-License-Identifier: MIT
public import Rules
public import Store

extension ArchivedEntry {
    /// The text rules see: as archived, but for an entry of a feed's first fetch, whose feed text is
    /// kept as the feed wrote it and made plain text here, when read.
    public var body: String {
        source == Self.firstFetch ? FeedPoller.plainText(feed: text) : text
    }
}

extension ArchiveRecord {
    /// The archived entry as the rules see it (`rules test`, `trace`).
    public var article: Article {
        Article(id: entry.key, title: entry.title ?? "", body: entry.body, author: entry.author ?? "",
                feed: feedTitle ?? "", url: entry.url ?? "", categories: entry.categories)
    }
}

// SPDX-License-Identifier: MIT
public import Store

extension ArchivedEntry {
    /// The text rules see: as archived, but for an entry of a feed's first fetch, whose feed text is
    /// kept as the feed wrote it and made plain text here, when read.
    public var body: String {
        source == Self.firstFetch ? FeedPoller.plainText(feed: text) : text
    }
}

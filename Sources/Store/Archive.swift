// SPDX-License-Identifier: MIT
import CCompression
public import Foundation

/// How long and how much the archive keeps; `nil` where the archive is off.
public struct ArchivePolicy: Sendable, Equatable {
    public var keep: TimeInterval
    public var maximumBytes: Int

    public init(keep: TimeInterval, maximumBytes: Int) {
        self.keep = keep
        self.maximumBytes = maximumBytes
    }
}

/// A new entry as the rules saw it, for the archive.
public struct ArchivedEntry: Sendable, Equatable {
    /// The entry's identity (what alert ids are made from).
    public var key: String
    public var entryID: String?
    public var url: String?
    public var title: String?
    /// ISO 8601, as in the alert.
    public var published: String?
    public var author: String?
    public var categories: [String]
    /// `page` or `feed`, or ``firstFetch``.
    public var source: String
    /// Why the page was not used when the source is `feed` with `full_text` on (as in the alert).
    public var sourceError: String?
    /// The body the rules matched; for ``firstFetch``, the feed's own text as it came (HTML or not).
    public var text: String
    /// The rules that matched it.
    public var rules: [String]

    /// The source of an entry that was already in a feed at its first fetch: its feed text as it
    /// came, archived but never matched or alerted (and no page fetched for it).
    public static let firstFetch = "first-fetch"

    public init(
        key: String, entryID: String?, url: String?, title: String?, published: String?, author: String?,
        categories: [String], source: String, sourceError: String? = nil, text: String, rules: [String]
    ) {
        self.key = key
        self.entryID = entryID
        self.url = url
        self.title = title
        self.published = published
        self.author = author
        self.categories = categories
        self.source = source
        self.sourceError = sourceError
        self.text = text
        self.rules = rules
    }
}

/// An archived entry read back, with its feed and when it was seen.
public struct ArchiveRecord: Sendable {
    public var entry: ArchivedEntry
    public var feedURL: String
    public var feedTitle: String?
    public var seen: Date
}

/// The archive's size.
public struct ArchiveUsage: Sendable, Equatable {
    public var entries: Int
    /// Compressed text bytes.
    public var bytes: Int
}

extension PollResult {
    /// The poll with its archive's texts compressed (``archiveTexts``): done on the polling task, so
    /// that the write transaction, which other polls wait for, only inserts.
    func archiveCompressed() -> PollResult {
        guard archivePolicy != nil else { return self }
        var poll = self
        poll.archiveTexts = ArchiveText.compress(archive.map(\.text))
        return poll
    }
}

extension ArchivedEntry {
    /// The categories as both stores keep them: one a line (none: NULL).
    var storedCategories: String? { categories.isEmpty ? nil : categories.joined(separator: "\n") }
    /// The rules that matched, one a line.
    var storedRules: String { rules.joined(separator: "\n") }
}

extension ArchiveRecord {
    /// A record as both stores keep it: categories and rules one a line, the text compressed.
    init(
        seen: Double, key: String, entryID: String?, url: String?, title: String?, published: String?, author: String?,
        categories: String?, source: String, sourceError: String?, compressedText: Data, rules: String, feedURL: String, feedTitle: String?
    ) {
        let entry = ArchivedEntry(
            key: key, entryID: entryID, url: url, title: title, published: published, author: author,
            categories: categories?.split(separator: "\n").map(String.init) ?? [], source: source, sourceError: sourceError,
            text: ArchiveText.decompress(compressedText) ?? "", rules: rules.split(separator: "\n").map(String.init))
        self.init(entry: entry, feedURL: feedURL, feedTitle: feedTitle, seen: Date(timeIntervalSince1970: seen))
    }
}

/// Where a record stands in the archive's order (newest first): when it was seen, then its row.
public struct ArchivePosition: Sendable, Equatable {
    public var seen: Double
    public var row: Int64

    /// Before every record.
    static let newest = ArchivePosition(seen: .greatestFiniteMagnitude, row: .max)
}

extension Store {
    /// The archive seen since `since`, newest first, `batchSize` records at a time handed to `body`
    /// (which returns false to stop): the whole archive is never in memory. The next batch is read
    /// and its text decompressed while `body` works on the current one.
    public func archive(since: Date, batchSize: Int = 2000, _ body: ([ArchiveRecord]) async throws -> Bool) async throws {
        var next = Task { try await archiveBatch(since: since, before: .newest, size: batchSize) }
        while true {
            let batch = try await next.value
            guard let last = batch.last else { return }
            let more = batch.count == batchSize
            if more {
                next = Task { try await archiveBatch(since: since, before: last.position, size: batchSize) }
            }
            guard try await body(batch.map(\.record)), more else {
                next.cancel()
                return
            }
        }
    }
}

/// The archive's text, zstd-compressed (level 3: a news article shrinks to about a third).
enum ArchiveText {
    /// The texts compressed through one zstd context: making a context costs more than compressing
    /// a feed item's text, and a feed's first fetch brings a hundred of them.
    static func compress(_ texts: [String]) -> [[UInt8]] {
        guard !texts.isEmpty, let context = ZSTD_createCCtx() else { return [] }
        defer { ZSTD_freeCCtx(context) }
        return texts.map { compress($0, context) }
    }

    private static func compress(_ text: String, _ context: OpaquePointer) -> [UInt8] {
        var text = text
        return text.withUTF8 { source in
            var output = [UInt8](repeating: 0, count: ZSTD_compressBound(source.count))
            let written = output.withUnsafeMutableBytes { ZSTD_compressCCtx(context, $0.baseAddress, $0.count, source.baseAddress, source.count, 3) }
            guard ZSTD_isError(written) == 0 else { return Array(source) }
            output.removeSubrange(written...)
            return output
        }
    }

    static func decompress(_ data: Data) -> String? {
        data.withUnsafeBytes { source -> String? in
            let size = ZSTD_getFrameContentSize(source.baseAddress, source.count)
            guard size != ZSTD_CONTENTSIZE_ERROR, size != ZSTD_CONTENTSIZE_UNKNOWN, size < 64 << 20 else { return nil }
            var output = [UInt8](repeating: 0, count: Int(size))
            let read = output.withUnsafeMutableBytes { ZSTD_decompress($0.baseAddress, $0.count, source.baseAddress, source.count) }
            guard ZSTD_isError(read) == 0 else { return nil }
            return String(decoding: output[..<read], as: UTF8.self)
        }
    }
}

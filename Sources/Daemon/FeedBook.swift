// SPDX-License-Identifier: MIT
import Fetching
import Foundation
import Store

/// The configured feeds' records, which of them are being polled, and when each of the others is due
/// next: a heap of due times, so that finding the due feeds costs their number (times log n), not a
/// pass over every feed, and an idle daemon knows when to wake without looking.
struct FeedBook {
    /// The configured feeds in configuration order.
    private(set) var feeds: [FeedConfiguration]
    private(set) var records: [String: FeedRecord]
    private(set) var inFlight: Set<String> = []
    private var heap = DueHeap()
    /// Each configured URL's first place in `feeds`.
    private var positions: [String: Int] = [:]
    /// The host key of each URL polled (HostKey.of parses it): due feeds are put in host turns at
    /// every scheduling round.
    private var hostKeys: [String: String] = [:]

    /// `records` by configured URL; a feed without one is not polled.
    init(feeds: [FeedConfiguration], records: [String: FeedRecord]) {
        self.feeds = []
        self.records = [:]
        reload(feeds: feeds, records: records)
    }

    /// Takes a new configuration's feeds and their records. The polls running go on: their feeds stay
    /// out of the schedule until they end.
    mutating func reload(feeds: [FeedConfiguration], records: [String: FeedRecord]) {
        self.feeds = feeds
        self.records = records
        heap = DueHeap()
        positions = [:]
        for (position, feed) in feeds.enumerated() where positions[feed.url] == nil {
            positions[feed.url] = position
            if let record = records[feed.url], record.retiredAt == nil, !inFlight.contains(feed.url) {
                heap.push(.init(due: record.nextDue, position: position))
            }
        }
    }

    /// Takes the feeds due at `now` (each marked as being polled), at most `limit`, in the order
    /// `order` gives them (they come to it by due time); the others stay due.
    mutating func takeDue(
        at now: Date, limit: Int,
        order: ([(feed: (FeedConfiguration, FeedRecord), host: String)]) -> [(FeedConfiguration, FeedRecord)]
    ) -> [(FeedConfiguration, FeedRecord)] {
        guard limit > 0 else { return [] }
        var due: [(FeedConfiguration, FeedRecord)] = []
        var entries: [String: DueHeap.Entry] = [:]
        while let top = heap.peek(), top.due <= now {
            heap.pop()
            let feed = feeds[top.position]
            guard let record = records[feed.url], isCurrent(top, record), entries[feed.url] == nil else { continue }
            entries[feed.url] = top
            due.append((feed, record))
        }
        let keyed = due.map { due in (feed: due, host: hostKey(due.1.url)) }
        let taken = order(keyed).prefix(limit)
        for (feed, _) in taken {
            inFlight.insert(feed.url)
            entries[feed.url] = nil
        }
        for entry in entries.values { heap.push(entry) }
        return Array(taken)
    }

    private mutating func hostKey(_ url: String) -> String {
        if let key = hostKeys[url] { return key }
        let key = HostKey.of(url)
        hostKeys[url] = key
        return key
    }

    /// Every feed neither retired nor being polled, each marked as being polled, in configuration order.
    mutating func takeAll() -> [(FeedConfiguration, FeedRecord)] {
        let all = feeds.enumerated().compactMap { position, feed -> (FeedConfiguration, FeedRecord)? in
            guard positions[feed.url] == position, let record = records[feed.url], record.retiredAt == nil, !inFlight.contains(feed.url) else { return nil }
            return (feed, record)
        }
        for (feed, _) in all { inFlight.insert(feed.url) }
        return all
    }

    /// The poll of `url` ended, leaving `record` (nil: the record stays as it was).
    mutating func finished(_ url: String, record: FeedRecord?) {
        inFlight.remove(url)
        if let record { records[url] = record }
        guard let record = records[url], record.retiredAt == nil, let position = positions[url] else { return }
        heap.push(.init(due: record.nextDue, position: position))
    }

    /// When the next feed not being polled is due.
    var nextDue: Date? {
        mutating get {
            while let top = heap.peek() {
                if let record = records[feeds[top.position].url], isCurrent(top, record) { return top.due }
                heap.pop()
            }
            return nil
        }
    }

    /// An entry is stale once its feed was polled since it was pushed (a newer entry holds its time).
    private func isCurrent(_ entry: DueHeap.Entry, _ record: FeedRecord) -> Bool {
        record.nextDue == entry.due && record.retiredAt == nil && !inFlight.contains(record.configuredURL)
    }
}

/// A binary min-heap of due times; ties go to the feed listed first.
struct DueHeap {
    struct Entry {
        var due: Date
        /// The feed's place in the configuration.
        var position: Int

        func precedes(_ other: Entry) -> Bool { (due, position) < (other.due, other.position) }
    }

    private var entries: [Entry] = []

    func peek() -> Entry? { entries.first }

    mutating func push(_ entry: Entry) {
        entries.append(entry)
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].precedes(entries[parent]) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    @discardableResult
    mutating func pop() -> Entry? {
        guard !entries.isEmpty else { return nil }
        entries.swapAt(0, entries.count - 1)
        let top = entries.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var first = parent
            if left < entries.count, entries[left].precedes(entries[first]) { first = left }
            if right < entries.count, entries[right].precedes(entries[first]) { first = right }
            guard first != parent else { return top }
            entries.swapAt(parent, first)
            parent = first
        }
    }
}

// SPDX-License-Identifier: MIT
public import FeedParsing
public import Foundation

/// When to poll a feed next: pure arithmetic over what the configuration, the server and the feed say.
public enum PollSchedule {
    /// No hint from a server or feed pushes a poll further out than this (nor does backoff).
    public static let maximumDelay: TimeInterval = 24 * 3600

    /// What a successful response said about caching.
    public struct CacheHints: Sendable, Equatable {
        /// `Cache-Control: max-age`, in seconds (0 for `no-cache`/`no-store`).
        public var maxAge: Int?
        public var expires: Date?
        public init(maxAge: Int? = nil, expires: Date? = nil) {
            self.maxAge = maxAge
            self.expires = expires
        }
    }

    /// After a successful poll at `now`: the configured interval, never sooner than the cache headers,
    /// `<ttl>` or `sy:updatePeriod` allow (unless `respectCache` is off), then out of `skipHours` and
    /// `skipDays`.
    public static func afterSuccess(
        now: Date, settings: FeedSettings, cache: CacheHints, feed: PollingHints
    ) -> Date {
        var delay = settings.interval.seconds
        if settings.respectCache {
            var floor: TimeInterval = 0
            if let maxAge = cache.maxAge { floor = TimeInterval(maxAge) } else if let expires = cache.expires {
                floor = expires.timeIntervalSince(now)
            }
            if let ttl = feed.ttlMinutes { floor = max(floor, TimeInterval(ttl) * 60) }
            if let period = feed.updateIntervalSeconds { floor = max(floor, TimeInterval(period)) }
            delay = max(delay, min(floor, maximumDelay))
        }
        return outOfSkipped(now.addingTimeInterval(delay), hours: feed.skipHours, days: feed.skipDays)
    }

    /// After the `failures`-th failure in a row: the interval doubled per failure with ±20% jitter
    /// (`jitter` in 0...1), capped at a day, and never before `retryAfter`.
    public static func afterFailure(
        now: Date, settings: FeedSettings, failures: Int, retryAfter: Date?, jitter: Double
    ) -> Date {
        let base = max(settings.interval.seconds, 1)
        let doubled = base * pow(2, Double(min(max(failures - 1, 0), 30)))
        let delay = min(doubled, maximumDelay) * (0.8 + 0.4 * min(max(jitter, 0), 1))
        var due = now.addingTimeInterval(min(delay, maximumDelay))
        if let retryAfter { due = max(due, min(retryAfter, now.addingTimeInterval(maximumDelay))) }
        return due
    }

    /// `date`, or the start of the first hour after it that is neither a skipped hour nor on a skipped
    /// day (RSS 2.0: hours 0–23 and day names, in GMT). Unchanged when everything is skipped.
    static func outOfSkipped(_ date: Date, hours: Set<Int>, days: Set<Int>) -> Date {
        guard !hours.isEmpty || !days.isEmpty else { return date }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        var candidate = date
        for _ in 0..<(8 * 24) {
            let parts = calendar.dateComponents([.hour, .weekday], from: candidate)
            if !hours.contains(parts.hour ?? -1) && !days.contains(parts.weekday ?? -1) { return candidate }
            let hourStart = calendar.dateInterval(of: .hour, for: candidate)?.start ?? candidate
            candidate = hourStart.addingTimeInterval(3600)
        }
        return date
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}

// SPDX-License-Identifier: MIT
import FeedParsing
import Fetching
import Store

/// Why a poll did not bring a feed's news. Kept typed up to where it is shown: the log, the feed's
/// `last_error` in the store (`feedwatch status`), and `once`'s count of failures.
enum PollFailure: Error, Sendable, CustomStringConvertible {
    /// The fetch failed, or the server answered with something other than the feed (it names the URL
    /// and the cause, `Retry-After` included).
    case fetch(FetchError)
    /// `410 Gone`: the feed is retired.
    case gone
    /// The answer from `url` is not a feed.
    case unparsable(url: String, FeedError)
    /// The store could not keep what the poll learnt.
    case store(StoreError)

    var description: String {
        switch self {
        case .fetch(let error): error.description
        case .gone: "HTTP 410 Gone: the feed was removed for good"
        case .unparsable(let url, let error): "\(url): not a usable feed: \(error)"
        case .store(let error): error.description
        }
    }
}

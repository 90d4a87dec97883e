// SPDX-License-Identifier: MIT

/// Why a document could not be read as a feed at all.
public struct FeedError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable { case empty, tooLarge, notAFeed, malformedJSON }
    /// Which way the document failed, for callers that act on it (a daemon backs off the same way,
    /// but reports "not a feed" differently from "too large").
    public let kind: Kind
    /// What the parser saw, for the user.
    public let detail: String

    public static func empty() -> FeedError { FeedError(kind: .empty, detail: "the document is empty") }
    public static func tooLarge(size: Int, limit: Int) -> FeedError {
        FeedError(kind: .tooLarge, detail: "the document has \(size) bytes, over the limit of \(limit) bytes")
    }
    public static func notAFeed(_ detail: String) -> FeedError { FeedError(kind: .notAFeed, detail: detail) }
    public static func malformedJSON(_ detail: String) -> FeedError {
        FeedError(kind: .malformedJSON, detail: "not a JSON Feed: \(detail)")
    }

    public var description: String { detail }
}

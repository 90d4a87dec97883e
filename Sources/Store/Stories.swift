// SPDX-License-Identifier: MIT
public import Foundation

/// How entries are grouped into stories; `nil` where stories are off.
public struct StoryPolicy: Sendable, Equatable {
    /// How long a story stays joinable after its last copy.
    public var window: TimeInterval
    /// The estimated shingle overlap (Jaccard) at or above which a new entry is a copy.
    public var similarity: Double

    public init(window: TimeInterval, similarity: Double) {
        self.window = window
        self.similarity = similarity
    }
}

/// A new entry's text, placed in a story when its poll is recorded.
public struct StoryCopy: Sendable {
    /// The id the story takes if this entry begins it: 16 hex digits.
    public var key: String
    public var sketch: StorySketch

    public init(key: String, sketch: StorySketch) {
        self.key = key
        self.sketch = sketch
    }
}

/// The story a copy joined or began.
public struct StoryJoin: Sendable, Equatable {
    public var key: String
    /// Copies seen so far, this one included.
    public var copies: Int
    /// The similarity to the story it joined; `nil` when it began one.
    public var similarity: Double?
}

/// What a story looks like now.
public struct StoryStanding: Sendable, Equatable {
    public var copies: Int
    public var feeds: Int
}

// SPDX-License-Identifier: MIT
import Foundation
@testable import Store
import TestSupport
import Testing

/// The in-memory index of stories by band key follows the database: it grows past its first table,
/// is built again after a restart, forgets stories that leave the window and what a failed transaction
/// wrote.
@Suite struct StoryIndexTests {
    let directory = NSTemporaryDirectory() + "feedwatch-story-index-\(UUID().uuidString)"
    let policy = StoryPolicy(window: 3600, similarity: 0.5)

    /// `texts` placed by polls of `feed`, ten a poll; the stories they joined or began.
    private func place(_ texts: [String], _ store: SQLiteStore, feed: FeedRecord, at now: Date) async throws -> [StoryJoin] {
        var joins: [StoryJoin] = []
        for start in stride(from: 0, to: texts.count, by: 10) {
            var poll = PollResult(of: feed, url: feed.url, nextDue: now, now: now)
            poll.storyPolicy = policy
            poll.stories = texts[start..<min(start + 10, texts.count)].enumerated().map {
                StoryCopy(key: "k\(start + $0.offset)-\(now.timeIntervalSince1970)", sketch: StorySketch(text: $0.element)!)
            }
            joins += try await store.record(poll).stories
        }
        return joins
    }

    @Test func growsIsRebuiltAfterARestartAndForgetsWhatLeavesTheWindow() async throws {
        var generator = StoryGenerator(seed: 3)
        let stories = (0..<600).map { StoryGenerator.story(generator.story(subject: $0 % 12)) }
        let copies = stories.prefix(100).enumerated().map { StoryGenerator.text(generator.copy(of: $0.element.paragraphs, subject: $0.offset % 12)) }
        let start = Date(timeIntervalSince1970: 1_800_000_000)

        var store = try SQLiteStore(directory: directory)
        let feeds = try await store.register(["https://a.example/rss", "https://b.example/rss"])
        let began = try await place(stories.map(\.text), store, feed: feeds[0], at: start)
        #expect(began.allSatisfy { $0.similarity == nil }, "600 different stories")
        #expect(store.storyIndex.count == 600, "past the first table (4,096 entries: 217 stories at 0.85)")

        store = try SQLiteStore(directory: directory)  // a restart: the index is built from the database
        let joined = try await place(copies, store, feed: feeds[1], at: start + 60)
        #expect(zip(joined, began).allSatisfy { $0.key == $1.key && $0.similarity != nil }, "every copy joins its story")
        #expect(store.storyIndex.count == 600)

        // Two hours on, the window is one hour: each poll forgets up to 64 of the old stories.
        let later = try await place(stories.suffix(50).map(\.text), store, feed: feeds[0], at: start + 7200)
        #expect(later.allSatisfy { $0.similarity == nil }, "the old copies are gone: these begin stories again")
        #expect(store.storyIndex.count == 600 - 5 * 64 + 50)
    }

    @Test func aFailedTransactionLeavesNothingInTheIndex() async throws {
        var generator = StoryGenerator(seed: 4)
        let store = try SQLiteStore(directory: directory)
        let feed = try await store.register(["https://a.example/rss"])[0]
        _ = try await place([StoryGenerator.text(generator.story(subject: 1))], store, feed: feed, at: Date())
        #expect(store.storyIndex.count == 1)
        // A poll of a feed the database no longer has: its transaction fails after placing the story.
        try await store.remove(configuredURL: feed.configuredURL)
        await #expect(throws: StoreError.self) {
            _ = try await place([StoryGenerator.text(generator.story(subject: 2))], store, feed: feed, at: Date())
        }
        #expect(store.storyIndex.count == 1)
    }
}

extension StoryGenerator {
    /// A story and its text.
    static func story(_ paragraphs: Story) -> (paragraphs: Story, text: String) { (paragraphs, text(paragraphs)) }
}

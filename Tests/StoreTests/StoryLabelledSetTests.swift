// SPDX-License-Identifier: MIT
import Foundation
@testable import Store
import TestSupport
import Testing

/// The sketch and the store's story placement on a labelled set of our own: 240 wire stories on 12
/// subjects, two syndicated copies of each (edited as sites edit them) and one follow-up that quotes up
/// to 40% of the story's sentences. Copies must join their story; follow-ups and other stories on the
/// same subject must not. The measured similarities are what the default threshold (0.5) rests on.
@Suite struct StoryLabelledSetTests {
    struct Labelled {
        var originals: [String] = []
        var copies: [(text: String, of: Int)] = []
        var followUps: [(text: String, of: Int)] = []
    }

    static func labelledSet(seed: UInt64) -> Labelled {
        var generator = StoryGenerator(seed: seed)
        var set = Labelled()
        for index in 0..<240 {
            let subject = index % StoryGenerator.subjects.count
            let story = generator.story(subject: subject)
            set.originals.append(StoryGenerator.text(story))
            for _ in 0..<2 { set.copies.append((StoryGenerator.text(generator.copy(of: story, subject: subject)), index)) }
            set.followUps.append((StoryGenerator.text(generator.followUp(of: story, subject: subject)), index))
        }
        return set
    }

    /// The exact Jaccard similarity of two texts' word 4-shingles.
    static func jaccard(_ a: String, _ b: String) -> Double {
        func shingles(_ text: String) -> Set<[UInt64]> {
            let words = StorySketch.wordHashes(text)
            return Set((0...(words.count - 4)).map { Array(words[$0..<($0 + 4)]) })
        }
        let (x, y) = (shingles(a), shingles(b))
        return Double(x.intersection(y).count) / Double(x.union(y).count)
    }

    @Test func theSketchEstimatesTheOverlap() throws {
        let set = Self.labelledSet(seed: 7)
        var worst = 0.0
        for (text, of) in set.copies.prefix(100) + set.followUps.prefix(100) {
            let estimate = try #require(StorySketch(text: text)).similarity(to: try #require(StorySketch(text: set.originals[of])))
            worst = max(worst, abs(estimate - Self.jaccard(text, set.originals[of])))
        }
        #expect(worst < 0.2, "largest error of the 64-value estimate: \(worst)")
        let text = set.originals[0]
        #expect(StorySketch(text: text)?.similarity(to: StorySketch(text: text.uppercased())!) == 1)
        #expect(StorySketch(text: "Too short to tell: a headline and a line.") == nil)
        let sketch = try #require(StorySketch(text: text))
        #expect(StorySketch(bytes: sketch.bytes) == sketch)
    }

    @Test(arguments: StoreKind.allCases, [2026, 4711] as [UInt64])
    func copiesJoinTheirStoryAndFollowUpsDoNot(kind: StoreKind, seed: UInt64) async throws {
        let set = Self.labelledSet(seed: seed)
        let sketches = set.originals.map { StorySketch(text: $0)! }
        let copySimilarity = set.copies.map { StorySketch(text: $0.text)!.similarity(to: sketches[$0.of]) }.sorted()
        let followUpSimilarity = set.followUps.map { StorySketch(text: $0.text)!.similarity(to: sketches[$0.of]) }.sorted()

        let store = try await kind.make()
        let sites = try await store.register((0..<6).map { "https://site\($0).example/feed.xml" })
        let policy = StoryPolicy(window: 72 * 3600, similarity: 0.5)
        var now = Date()
        func place(_ text: String, key: String, site: Int) async throws -> StoryJoin {
            now += 1
            var poll = PollResult(of: sites[site], url: sites[site].url, nextDue: now, now: now)
            poll.stories = [StoryCopy(key: key, sketch: StorySketch(text: text)!)]
            poll.storyPolicy = policy
            return try await store.record(poll).stories[0]
        }
        // Each story, then its copies and follow-up and the next stories, interleaved as feeds deliver them.
        var began: [Int: String] = [:]
        var truePositives = 0, falseNegatives = 0, falsePositives = 0
        for (index, original) in set.originals.enumerated() {
            let join = try await place(original, key: "story-\(index)", site: 0)
            if join.similarity != nil { falsePositives += 1 } else { began[index] = join.key }
            for (number, copy) in set.copies.enumerated() where (copy.of == index && number % 2 == 0) || (copy.of == index - 1 && number % 2 == 1) {
                let join = try await place(copy.text, key: "copy-\(number)", site: 1 + number % 5)
                if join.key == began[copy.of] { truePositives += 1 } else { falseNegatives += 1 }
            }
            if index > 0 {
                let followUp = set.followUps[index - 1]
                if try await place(followUp.text, key: "follow-up-\(index - 1)", site: 1 + index % 5).similarity != nil { falsePositives += 1 }
            }
        }
        let precision = Double(truePositives) / Double(truePositives + falsePositives)
        let recall = Double(truePositives) / Double(truePositives + falseNegatives)
        print("stories \(kind) seed \(seed): copies similarity min \(copySimilarity.first!) p1 \(copySimilarity[copySimilarity.count / 100]) median \(copySimilarity[copySimilarity.count / 2]); follow-ups max \(followUpSimilarity.last!) p99 \(followUpSimilarity[followUpSimilarity.count * 99 / 100]); precision \(precision) recall \(recall) (\(truePositives) merged, \(falseNegatives) missed, \(falsePositives) wrongly merged)")
        #expect(precision >= 0.99 && recall >= 0.99)
        let counts = try await store.storyCounts()
        #expect(counts.merged == truePositives + falsePositives)
    }
}

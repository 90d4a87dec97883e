// SPDX-License-Identifier: MIT
// The story index at scale: what sketching costs beside extraction, and the store's story index for
// 72 hours of 10,000 feeds (500,000 stories by default) — resident memory and the time to place a copy.
//
//     swift run -c release story-bench [stories] [directory]
//
// Run by Benchmarks/stories.py, which prints the figures against the targets.
import Extraction
import Foundation
import Store

func residentMegabytes() -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
    return Double(line.split(separator: " ").dropFirst().first ?? "0").map { $0 / 1024 } ?? 0
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// Seeded words: a vocabulary of 20,000 made-up words drawn with a skew, as news text is.
struct Words {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        return z ^ (z >> 27)
    }
    mutating func text(words: Int) -> String {
        (0..<words).map { _ in
            let rank = Int(Double(next() % 1_000_000) / 1_000_000 * Double(next() % 20_000 + 1))
            return "w\(String(rank, radix: 36))"
        }.joined(separator: " ")
    }
}

let arguments = CommandLine.arguments
let storyCount = arguments.count > 1 ? Int(arguments[1]) ?? 500_000 : 500_000
let directory = arguments.count > 2 ? arguments[2] : NSTemporaryDirectory() + "story-bench-\(getpid())"
var words = Words(state: 42)

// 1. Sketching beside extraction, on a news page of ~700 words with chrome.
let body = (0..<12).map { _ in "<p>\(words.text(words: 60)).</p>" }.joined()
let page = Array("""
    <html><head><title>A story</title></head><body><nav><a href=/>Home</a> <a href=/world>World</a></nav>
    <div class=cookie>We use cookies. <button>Accept</button></div><article><h1>A story</h1>\(body)</article>
    <aside><h3>Most read</h3><ul><li><a href=/a>Markets</a></li><li><a href=/b>Weather</a></li></ul></aside>
    <footer>© News · Privacy</footer></body></html>
    """.utf8)
let rounds = 300
var text = ""
let extraction = try seconds { for _ in 0..<rounds { text = try ArticleExtractor.extract(page, url: "https://example.org/a").text } }
var sketch: StorySketch?
let sketching = seconds { for _ in 0..<rounds { sketch = StorySketch(text: text) } }
precondition(sketch != nil)
print("extract_us \(extraction / Double(rounds) * 1e6)")
print("sketch_us \(sketching / Double(rounds) * 1e6)")

// 2. The index: stories from 10,000 feeds, 50 per poll, as the daemon records them.
let store = try Store(directory: directory)
let feeds = try await store.register((0..<10_000).map { "https://feed\($0).example/rss" })
let policy = StoryPolicy(window: 72 * 3600, similarity: 0.45)
var kept: [String] = []
let start = Date()
let building = try await {
    let began = ContinuousClock.now
    var made = 0
    while made < storyCount {
        let feed = feeds[made / 50 % feeds.count]
        var poll = PollResult(of: feed, url: feed.url, nextDue: start, now: start.addingTimeInterval(Double(made) / 2))
        poll.storyPolicy = policy
        for _ in 0..<min(50, storyCount - made) {
            let story = words.text(words: 120)
            if made % 1000 == 0 { kept.append(story) }
            poll.stories.append(StoryCopy(key: String(made, radix: 16), sketch: StorySketch(text: story)!))
            made += 1
        }
        try await store.record(poll)
    }
    return ContinuousClock.now - began
}()
print("stories \(storyCount)")
print("build_s \(Double(building.components.seconds) + Double(building.components.attoseconds) / 1e18)")

// 3. Placing new entries: half copies of stories in the index (a word changed), half new stories.
let later = start.addingTimeInterval(Double(storyCount) / 2 + 60)
var probes: [StoryCopy] = []
for (index, story) in kept.enumerated() {
    var copy = story.split(separator: " ")
    copy[copy.count / 2] = "changed"
    probes.append(StoryCopy(key: "copy-\(index)", sketch: StorySketch(text: copy.joined(separator: " "))!))
    probes.append(StoryCopy(key: "new-\(index)", sketch: StorySketch(text: words.text(words: 120))!))
}
var joined = 0
let placing = try await {
    let began = ContinuousClock.now
    for batch in stride(from: 0, to: probes.count, by: 50) {
        let feed = feeds[batch % feeds.count]
        var poll = PollResult(of: feed, url: feed.url, nextDue: later, now: later)
        poll.storyPolicy = policy
        poll.stories = Array(probes[batch..<min(batch + 50, probes.count)])
        joined += try await store.record(poll).stories.filter { $0.similarity != nil }.count
    }
    return ContinuousClock.now - began
}()
let placeSeconds = Double(placing.components.seconds) + Double(placing.components.attoseconds) / 1e18
print("place_us \(placeSeconds / Double(probes.count) * 1e6)")
print("copies_found \(joined) of \(probes.count / 2)")
print("rss_mb \(residentMegabytes())")
let size = (try? FileManager.default.attributesOfItem(atPath: Store.databasePath(in: directory))[.size] as? Int) ?? 0
print("database_mb \(Double(size) / 1e6)")
try? FileManager.default.removeItem(atPath: directory)

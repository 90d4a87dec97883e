// SPDX-License-Identifier: MIT
// The story index at scale: what sketching costs beside extraction, and the store's story index for
// 72 hours of 10,000 feeds (500,000 stories by default) — resident memory and the time to place a copy.
//
//     swift run -c release story-bench [stories] [pages-directory]
//
// Run by Benchmarks/stories.py, which prints the figures against the issue's targets.
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
let directory = NSTemporaryDirectory() + "story-bench-\(getpid())"
var words = Words(state: 42)

// 1. Sketching beside extraction: each page of the directory (Benchmarks/stories.py writes workload.py's
// news pages there), else one made-up page of ~700 words with a little chrome; each 20 times.
var pages: [[UInt8]] = []
if arguments.count > 2 {
    for name in try FileManager.default.contentsOfDirectory(atPath: arguments[2]).sorted() where name.hasSuffix(".html") {
        pages.append(Array(try Data(contentsOf: URL(fileURLWithPath: arguments[2] + "/" + name))))
    }
} else {
    let body = (0..<12).map { _ in "<p>\(words.text(words: 60)).</p>" }.joined()
    pages.append(Array("""
        <html><head><title>A story</title></head><body><nav><a href=/>Home</a> <a href=/world>World</a></nav>
        <article><h1>A story</h1>\(body)</article><footer>© News · Privacy</footer></body></html>
        """.utf8))
}
let rounds = 20
var texts: [String] = []
let extraction = try seconds {
    for _ in 0..<rounds { texts = try pages.map { try ArticleExtractor.extract($0, url: "https://example.org/a").text } }
}
var sketched = 0
let sketching = seconds { for _ in 0..<rounds { sketched = texts.compactMap { StorySketch(text: $0) }.count } }
print("pages \(pages.count) sketched \(sketched) words \(texts.map { $0.split(separator: " ").count }.reduce(0, +) / max(1, texts.count))")
print("extract_us \(extraction / Double(rounds * pages.count) * 1e6)")
print("sketch_us \(sketching / Double(rounds * pages.count) * 1e6)")

// 2. The index: stories from 10,000 feeds, 50 per poll, as the daemon records them.
let store = try SQLiteStore(directory: directory)
print("rss_before_mb \(residentMegabytes())")
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

// 3. Placing new entries, 50 per poll as the daemon records them: near-duplicates of indexed stories (a
// word changed: the lookup, the similarity of the candidates, the story's count), then new stories (the
// lookup finding nothing, and the story's rows: its sketch and 16 band keys).
let later = start.addingTimeInterval(Double(storyCount) / 2 + 60)
var copies: [StoryCopy] = []
var fresh: [StoryCopy] = []
for (index, story) in kept.enumerated() {
    var copy = story.split(separator: " ")
    copy[copy.count / 2] = "changed"
    copies.append(StoryCopy(key: "copy-\(index)", sketch: StorySketch(text: copy.joined(separator: " "))!))
    fresh.append(StoryCopy(key: "new-\(index)", sketch: StorySketch(text: words.text(words: 120))!))
}
func place(_ probes: [StoryCopy]) async throws -> (microseconds: Double, joined: Int) {
    var joined = 0
    let began = ContinuousClock.now
    for batch in stride(from: 0, to: probes.count, by: 50) {
        let feed = feeds[batch % feeds.count]
        var poll = PollResult(of: feed, url: feed.url, nextDue: later, now: later)
        poll.storyPolicy = policy
        poll.stories = Array(probes[batch..<min(batch + 50, probes.count)])
        joined += try await store.record(poll).stories.filter { $0.similarity != nil }.count
    }
    let elapsed = ContinuousClock.now - began
    return ((Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) / Double(probes.count) * 1e6, joined)
}
// The lookup alone (band keys, candidates, their similarity), all in one read transaction.
let lookupBegan = ContinuousClock.now
let found = try await store.stories(similarTo: (copies + fresh).map(\.sketch), at: later, policy).compactMap { $0 }.count
let lookupElapsed = ContinuousClock.now - lookupBegan
let lookupSeconds = Double(lookupElapsed.components.seconds) + Double(lookupElapsed.components.attoseconds) / 1e18
print("lookup_us \(lookupSeconds / Double(copies.count + fresh.count) * 1e6)")
print("lookup_found \(found) of \(copies.count)")
let placedCopies = try await place(copies)
let placedNew = try await place(fresh)
print("place_copy_us \(placedCopies.microseconds)")
print("place_new_us \(placedNew.microseconds)")
print("copies_found \(placedCopies.joined) of \(copies.count), new joined \(placedNew.joined)")
print("rss_mb \(residentMegabytes())")
let size = (try? FileManager.default.attributesOfItem(atPath: SQLiteStore.databasePath(in: directory))[.size] as? Int) ?? 0
print("database_mb \(Double(size) / 1e6)")
try? FileManager.default.removeItem(atPath: directory)

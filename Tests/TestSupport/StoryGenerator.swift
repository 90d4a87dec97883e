// SPDX-License-Identifier: MIT

/// News stories and what syndication does to them, seeded so every failure can be replayed: a wire
/// story; its copies on other sites (a paragraph cut, a credit line or an "updated" note added, a
/// sentence reworded, a stray line of page chrome); and follow-ups — a new story on the same subject
/// that reuses at most 40% of an earlier one's sentences, with the subject's names and stock phrases
/// throughout, as real follow-ups and analyses do.
public struct StoryGenerator {
    public typealias Story = [[String]]  // paragraphs of sentences

    private var state: UInt64

    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    public mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }

    private mutating func pick<T>(_ items: [T]) -> T { items[next(items.count)] }

    static let function = ["the", "the", "the", "of", "of", "in", "and", "and", "to", "a", "a", "on", "for", "with", "that", "was",
                           "is", "by", "as", "at", "from", "its", "their", "it", "has", "have", "were", "after", "over"]
    static let common = [
        "government", "officials", "said", "people", "year", "week", "country", "city", "report", "told", "reporters",
        "statement", "police", "president", "minister", "plan", "time", "day", "public", "state", "groups", "law",
        "court", "cost", "million", "billion", "percent", "area", "region", "local", "national", "international",
        "early", "late", "new", "former", "senior", "several", "many", "more", "most", "than", "would", "could",
        "expected", "announced", "according", "agency", "spokesperson", "meeting", "decision", "support", "talks",
        "agreement", "crisis", "workers", "companies", "market", "prices", "services", "schools", "families",
        "residents", "emergency", "response", "investigation", "evidence", "members", "leaders", "opposition",
        "parliament", "vote", "election", "campaign", "economy", "budget", "tax", "health", "hospital", "patients",
        "water", "power", "roads", "bridge", "train", "flights", "airport", "border", "troops", "forces", "attack",
    ]
    public static let subjects: [[String]] = [
        ["earthquake", "magnitude", "aftershocks", "epicentre", "rescue teams", "collapsed buildings", "the coastal province"],
        ["wildfire", "evacuation orders", "firefighters", "hectares", "the northern hills", "containment", "smoke"],
        ["central bank", "interest rates", "inflation", "basis points", "the governor", "bond yields", "the currency"],
        ["election", "ballots", "turnout", "the electoral commission", "polling stations", "the incumbent", "exit polls"],
        ["strike", "the transport union", "rail services", "pay offer", "commuters", "the labour ministry", "walkout"],
        ["vaccine", "clinical trial", "the health regulator", "doses", "efficacy", "side effects", "the drugmaker"],
        ["merger", "shareholders", "the acquisition", "regulators", "the chief executive", "synergies", "the deal"],
        ["flood", "river levels", "sandbags", "the weather service", "rainfall", "the dam", "displaced families"],
        ["ceasefire", "negotiators", "the mediators", "hostilities", "humanitarian corridor", "the envoy", "the truce"],
        ["cyberattack", "ransomware", "the hospital network", "data breach", "hackers", "encryption", "the security agency"],
        ["space launch", "the rocket", "orbit", "the satellite", "mission control", "the launch pad", "the space agency"],
        ["trade talks", "tariffs", "exports", "the trade minister", "quotas", "the customs union", "steel imports"],
    ]

    /// One sentence about `subject`: common and function words, the subject's terms, now and then a
    /// stock phrase of the subject.
    public mutating func sentence(subject: Int) -> String {
        let terms = Self.subjects[subject]
        var words: [String] = []
        for _ in 0..<(12 + next(14)) {
            switch next(10) {
            case 0...3: words.append(pick(Self.function))
            case 4...7: words.append(pick(Self.common))
            default: words.append(pick(terms))
            }
        }
        if next(3) == 0 { words.insert(contentsOf: ["officials", "said", "on", pick(["Monday", "Tuesday", "Friday"])], at: 0) }
        return words.joined(separator: " ").prefix(1).uppercased() + words.joined(separator: " ").dropFirst() + "."
    }

    /// A story of 6 to 12 paragraphs of 2 to 4 sentences.
    public mutating func story(subject: Int) -> Story {
        (0..<(6 + next(7))).map { _ in (0..<(2 + next(3))).map { _ in sentence(subject: subject) } }
    }

    /// The story as another site publishes it: one to three of the edits syndication makes, keeping
    /// most of the text (syndicated copies keep 85% or more of it): at most one paragraph cut, and
    /// only from a story of eight or more.
    public mutating func copy(of story: Story, subject: Int) -> Story {
        var copy = story
        var cut = false
        for _ in 0..<(1 + next(3)) {
            switch next(5) {
            case 0 where copy.count >= 8 && !cut:  // trimmed near the end, as editors do
                copy.remove(at: copy.count - 1 - next(2))
                cut = true
            case 1: copy.append(["Reporting by \(pick(["Ana Souza", "Tom Berg", "Li Wei"])); editing by \(pick(["Sam Ortiz", "Jo Park"]))."])
            case 2: copy.insert(["Updated at \(10 + next(12)):\(10 + next(49)) GMT with \(pick(["details", "official figures", "reaction"]))."], at: 0)
            case 3:
                let p = next(copy.count)
                copy[p][next(copy[p].count)] = sentence(subject: subject)  // one sentence rewritten
            default: copy.append(["Read more: \(pick(["Markets wrap", "Weather outlook", "Sport results"])) | \(pick(["Opinion", "Most read"]))."])
            }
        }
        return copy
    }

    /// A new story on the same subject that quotes some of `story`'s sentences: at most `share` of them.
    public mutating func followUp(of story: Story, subject: Int, share: Double = 0.4) -> Story {
        let sentences = story.flatMap { $0 }
        let quoted = Int(Double(sentences.count) * share * Double(1 + next(10)) / 10)
        let start = next(max(1, sentences.count - quoted + 1))
        var followUp = self.story(subject: subject)
        let background = Array(sentences[start..<(start + quoted)])
        // The background in paragraphs of three, after the news.
        for paragraph in stride(from: 0, to: background.count, by: 3) {
            followUp.append(Array(background[paragraph..<min(paragraph + 3, background.count)]))
        }
        return followUp
    }

    public static func text(_ story: Story) -> String { story.map { $0.joined(separator: " ") }.joined(separator: "\n\n") }
}

// SPDX-License-Identifier: MIT
// Finding the container of the story, in the manner of readability: every paragraph-like element
// scores by its length and commas, and passes that score to its parent, grandparent and
// great-grandparent; containers also score by their class and id and lose by their link density.
// The best container wins, with those of its siblings that look like more of the story.
import Markup

struct ContentScorer {
    private let excluded: ElementSet
    private let stats: PageStatistics
    private let weights: WeightCache
    /// Scores of the elements that received any, by element index (`nil`: none).
    private var scores: [Double?]
    private var candidates: [MarkupElement] = []
    private var parents: [MarkupElement?]

    private static let paragraphTags: Set<String> = ["p", "pre", "td", "blockquote", "li", "dd", "h2", "h3", "h4"]
    /// Elements that can hold a story's text directly.
    private static let containerTags: Set<String> = ["div", "section", "article", "main", "td", "body", "center"]
    private static let blockTags: Set<String> = [
        "p", "div", "section", "article", "main", "ul", "ol", "table", "blockquote", "pre", "h1", "h2", "h3", "h4",
        "h5", "h6", "li", "dl", "figure", "header", "footer", "form", "aside", "nav", "tr", "td",
    ]

    init(root: MarkupElement, elementCount: Int, excluded: ElementSet, stats: PageStatistics, weights: WeightCache) {
        self.excluded = excluded
        self.stats = stats
        self.weights = weights
        scores = Array(repeating: nil, count: elementCount)
        parents = Array(repeating: nil, count: elementCount)
        score(root, parent: nil)
    }

    /// The elements that hold the story, in document order: the best container, its siblings that look
    /// like more of the story, and other chunks of the same kind (pages that split the body into
    /// several blocks with the same class, advertising between them).
    func containers(in root: MarkupElement) -> [MarkupElement] {
        let chosen = bestWithSiblings(in: root)
        guard chosen.count >= 1, let best = chosen.first(where: { scores[$0.index] != nil }) ?? chosen.first,
            let classValue = best.attribute("class"), !classValue.isEmpty
        else { return chosen }
        var all = chosen
        var covered = Set(chosen.map(\.index))
        collectChunks(root, like: best, classValue: classValue, into: &all, covered: &covered)
        return all.sorted { $0.index < $1.index }
    }

    /// Elements of the same tag and class as `best`, outside the chosen ones, that read like story text.
    private func collectChunks(
        _ element: MarkupElement, like best: MarkupElement, classValue: String, into all: inout [MarkupElement],
        covered: inout Set<Int>
    ) {
        for child in element.elements where !excluded.contains(child) && !covered.contains(child.index) {
            if child.name == best.name, child.attribute("class") == classValue {
                let entry = stats[child]
                if entry.textLength >= 100 && stats.linkDensity(child) < 0.3 {
                    all.append(child)
                    covered.insert(child.index)
                }
                continue
            }
            collectChunks(child, like: best, classValue: classValue, into: &all, covered: &covered)
        }
    }

    private func bestWithSiblings(in root: MarkupElement) -> [MarkupElement] {
        guard let best = candidates.max(by: { final($0) < final($1) }) else { return [root] }
        let top = final(best)
        guard let parent = parents[best.index] else { return [best] }
        // Siblings that look like more of the story (split article bodies, continued text).
        let threshold = max(10, top * 0.2)
        var chosen: [MarkupElement] = []
        for sibling in parent.elements where !excluded.contains(sibling) {
            if sibling == best {
                chosen.append(sibling)
                continue
            }
            if scores[sibling.index] != nil, final(sibling) >= threshold, weights.weight(sibling) >= 0 {
                chosen.append(sibling)
                continue
            }
            // A paragraph, or a block of running text (a lead, a summary), beside the best container.
            if sibling.name == "p" || isParagraphLike(sibling), weights.weight(sibling) >= 0 {
                let entry = stats[sibling]
                let density = stats.linkDensity(sibling)
                if entry.textLength > 80 && density < 0.25 { chosen.append(sibling) }
            }
        }
        return chosen
    }

    /// A candidate's score, less its share of link text.
    private func final(_ element: MarkupElement) -> Double {
        (scores[element.index] ?? 0) * (1 - stats.linkDensity(element))
    }

    private mutating func score(_ element: MarkupElement, parent: MarkupElement?) {
        if let parent { parents[element.index] = parent }
        for child in element.elements where !excluded.contains(child) {
            score(child, parent: element)
        }
        guard isParagraphLike(element) else {
            // Text a container holds directly, between its blocks (a story written as bare text and
            // <br>s beside a heading and a byline), scores as the paragraphs it would be.
            if Self.containerTags.contains(element.name) {
                for run in looseTextRuns(element) { award(run, from: element) }
            }
            return
        }
        let entry = stats[element]
        guard entry.textLength >= 25 else { return }
        award((entry.textLength, entry.commas), from: parents[element.index])
    }

    /// Runs of text and inline elements directly inside `element`, cut by its block children: their
    /// visible length and commas.
    private func looseTextRuns(_ element: MarkupElement) -> [(length: Int, commas: Int)] {
        var runs: [(length: Int, commas: Int)] = []
        var run = (length: 0, commas: 0)
        for child in element.children {
            switch child {
            case .text(let text):
                let measured = PageStatistics.measure(text)
                run.length += measured.visible
                run.commas += measured.commas
            case .element(let child):
                if Self.blockTags.contains(child.name) {
                    if run.length >= 25 { runs.append(run) }
                    run = (0, 0)
                } else if !excluded.contains(child) {
                    let entry = stats[child]
                    run.length += entry.textLength
                    run.commas += entry.commas
                }
            }
        }
        if run.length >= 25 { runs.append(run) }
        return runs
    }

    /// A paragraph's points, to the element that holds it (`holder`) and two more ancestors.
    private mutating func award(_ paragraph: (length: Int, commas: Int), from holder: MarkupElement?) {
        let points = 1 + Double(paragraph.commas) + min(Double(paragraph.length) / 100, 3)
        var ancestor = holder
        var level = 0
        while let current = ancestor, level < 3 {
            if scores[current.index] == nil {
                scores[current.index] = initialScore(current)
                candidates.append(current)
            }
            scores[current.index]! += points / Double(level + 1)
            ancestor = parents[current.index]
            level += 1
        }
    }

    /// Paragraphs, and divisions that hold text directly rather than in child blocks.
    private func isParagraphLike(_ element: MarkupElement) -> Bool {
        if Self.paragraphTags.contains(element.name) { return true }
        guard element.name == "div" || element.name == "section" else { return false }
        return !element.elements.contains { Self.blockTags.contains($0.name) }
    }

    private func initialScore(_ element: MarkupElement) -> Double {
        var score: Double
        switch element.name {
        case "article": score = 10
        case "div", "main", "section": score = 5
        case "pre", "td", "blockquote": score = 3
        case "address", "ol", "ul", "dl", "dd", "dt", "li", "form": score = -3
        case "h1", "h2", "h3", "h4", "h5", "h6", "th": score = -5
        default: score = 0
        }
        if element.attribute("itemprop")?.containsASCIICaseInsensitive("articlebody") == true { score += 30 }
        return score + Double(weights.weight(element)) * 25
    }
}

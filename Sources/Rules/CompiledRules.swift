// SPDX-License-Identifier: MIT

/// A rule set compiled once into flat arrays: the words and prefix stems of all rules get dense ids,
/// and every rule becomes a small tree of ``Node``s evaluated per article. Immutable and shared by
/// all matching threads.
final class CompiledRules: @unchecked Sendable {
    // Safe: every property is a constant set in `init`.
    /// A node in 16 bytes. A rule's nodes lie together, root first, and the children of every AND and
    /// OR (and the leaves of a NEAR) are consecutive, so evaluating a rule touches one or two cache lines.
    struct Node: Sendable {
        enum Kind: UInt8, Sendable { case term, prefix, phrase, and, or, not, near }
        var kind: Kind
        /// Field bits of a leaf's scope.
        var scope: UInt8 = 0
        /// term: word id; prefix: prefix id; phrase: start of its word ids in `pool`; and/or: first
        /// child node; not: the child node; near: first leaf node (left leaves, then right leaves).
        var a: Int32 = 0
        /// phrase: word count; and/or: child count; near: left leaf count.
        var b: Int32 = 0
        /// near: index in `pool` of the right leaf count, followed by the distance.
        var c: Int32 = 0
    }

    /// Rule names in byte order; a rule's index is its place here.
    let names: [String]
    /// The rules as parsed, in the same order.
    let rules: [Rule]
    let words: ByteTable
    let prefixes: ByteTable
    /// Distinct byte lengths of the prefix stems, ascending.
    let prefixLengths: [Int]
    /// Bit per hash of the first three bytes of every stem: a cheap first test for a word.
    let prefixFilter: [UInt64]
    let nodes: [Node]
    let pool: [Int32]
    /// Root node of each rule.
    let roots: [Int32]

    init(_ input: [Rule]) {
        let sorted = input.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        var builder = Builder()
        let roots = sorted.map { builder.compile($0.expression) }
        names = sorted.map(\.name)
        rules = sorted
        words = builder.words
        prefixes = builder.prefixes
        nodes = builder.nodes
        pool = builder.pool
        self.roots = roots
        var lengths = Set<Int>()
        var filter = [UInt64](repeating: 0, count: CompiledRules.filterWords)
        for id in 0..<builder.prefixes.count {
            var stem = builder.prefixes.string(Int32(id))
            stem.makeContiguousUTF8()
            lengths.insert(stem.utf8.count)
            let bit = CompiledRules.filterBit(stem.utf8.span)
            filter[bit >> 6] |= 1 << UInt64(bit & 63)
        }
        prefixLengths = lengths.sorted()
        prefixFilter = filter
    }

    var featureCount: Int { words.count + prefixes.count }

    static let filterWords = 1024

    /// Bit index for the first three bytes of a word (all stems have at least three code points).
    @inline(__always)
    static func filterBit(_ bytes: Span<UInt8>) -> Int {
        let key = UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16
        return Int((key &* 0x9E37_79B1) >> 16) & (filterWords * 64 - 1)
    }

    private struct Builder {
        var words = ByteTable()
        var prefixes = ByteTable()
        var nodes: [Node] = []
        var pool: [Int32] = []

        /// Lays out a rule: its root, then each node's children block, recursively.
        mutating func compile(_ rule: RuleNode) -> Int32 {
            let root = allocate(1)
            nodes[Int(root)] = build(rule)
            return root
        }

        private mutating func allocate(_ count: Int) -> Int32 {
            let start = Int32(nodes.count)
            nodes.append(contentsOf: repeatElement(Node(kind: .term), count: count))
            return start
        }

        private mutating func fill(_ children: [RuleNode]) -> Int32 {
            let start = allocate(children.count)
            for (offset, child) in children.enumerated() { nodes[Int(start) + offset] = build(child) }
            return start
        }

        private mutating func build(_ node: RuleNode) -> Node {
            switch node {
            case .term(let word, let scope):
                return Node(kind: .term, scope: scope.rawValue, a: words.insert(word))
            case .prefix(let stem, let scope):
                return Node(kind: .prefix, scope: scope.rawValue, a: prefixes.insert(stem))
            case .phrase(let phrase, let scope):
                let ids = phrase.map { words.insert($0) }
                let start = Int32(pool.count)
                pool.append(contentsOf: ids)
                return Node(kind: .phrase, scope: scope.rawValue, a: start, b: Int32(ids.count))
            case .and(let children), .or(let children):
                return Node(kind: node.isAnd ? .and : .or, a: fill(children), b: Int32(children.count))
            case .not(let child):
                return Node(kind: .not, a: fill([child]))
            case .near(let n, let left, let right):
                let leftLeaves = leaves(left)
                let rightLeaves = leaves(right)
                let first = fill(leftLeaves + rightLeaves)
                let c = Int32(pool.count)
                pool.append(Int32(rightLeaves.count))
                pool.append(Int32(clamping: n))
                return Node(kind: .near, a: first, b: Int32(leftLeaves.count), c: c)
            }
        }

        /// The leaves of a NEAR operand (a leaf, or an OR of leaves and ORs).
        private func leaves(_ node: RuleNode) -> [RuleNode] {
            if case .or(let children) = node { return children.flatMap(leaves) }
            return [node]
        }
    }
}

extension RuleNode {
    var isAnd: Bool { if case .and = self { true } else { false } }
}

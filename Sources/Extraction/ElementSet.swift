// SPDX-License-Identifier: MIT
import Markup

/// A set of a page's elements, as one flag per element index (no hashing in the hot loops).
struct ElementSet {
    private var flags: [Bool]

    init(elementCount: Int) { flags = Array(repeating: false, count: elementCount) }

    func contains(_ element: MarkupElement) -> Bool { element.index >= 0 && element.index < flags.count && flags[element.index] }

    mutating func insert(_ element: MarkupElement) {
        if element.index >= 0 && element.index < flags.count { flags[element.index] = true }
    }
}

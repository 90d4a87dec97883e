// SPDX-License-Identifier: MIT

/// A lexical token of a rule expression, with its place in the expression (in code points).
struct Token: Equatable {
    enum Kind: Equatable {
        case openParen, closeParen
        case phrase(String)
        case prefix(String)
        case term(String)
        case field(Field)
        case and, or, not
        case near(Int)
    }

    let kind: Kind
    /// Offsets of the token's first code point and the one after its last.
    let range: Range<Int>
    /// The token as written.
    let text: String

    /// Can this token begin a unary expression (and so join an implicit AND)?
    var startsOperand: Bool {
        switch kind {
        case .openParen, .phrase, .prefix, .term, .field, .not: true
        default: false
        }
    }
}

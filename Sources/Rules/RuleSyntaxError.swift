// SPDX-License-Identifier: MIT

/// What is wrong with a rule expression, and where (offsets in code points of the expression).
public struct RuleSyntaxError: Error, Sendable, Equatable {
    public enum Problem: Sendable, Equatable {
        case emptyRule
        case unterminatedPhrase
        case unexpectedCharacter(String)
        case unknownField(String)
        case noWords(String)
        case prefixTooShort(String)
        case prefixNotOneWord(String)
        case nearOperand
        case unexpectedToken(String)
        case unexpectedEnd
        case unclosedParenthesis(openedAt: Int)
        case trailingToken(String)
        case tooDeep
    }

    public let problem: Problem
    /// Offset of the first code point the error is about.
    public let offset: Int

    /// The message, with offsets in the expression turned into `line:column` by `position`.
    public func message(position: (Int) -> String) -> String {
        switch problem {
        case .emptyRule: return "empty rule: write an expression after '='"
        case .unterminatedPhrase: return "unterminated phrase: add the closing '\"'"
        case .unexpectedCharacter(let c):
            return c == "*"
                ? "unexpected '*': a prefix needs a word right before it, as in syri*"
                : "unexpected ':': a field scope needs a field name right before it, as in title:syria"
        case .unknownField(let name):
            return "unknown field '\(name)': fields are title, body, author, feed, url, category"
        case .noWords(let text): return "'\(text)' has no word in it: words are runs of letters and digits"
        case .prefixTooShort(let stem): return "prefix '\(stem)*' is too short: write at least 3 letters or digits before '*'"
        case .prefixNotOneWord(let stem): return "prefix '\(stem)*' must be a single word before '*'"
        case .nearOperand:
            return "NEAR joins terms, prefixes, phrases or a parenthesised OR of those; AND, NOT and NEAR cannot be inside it"
        case .unexpectedToken(let text): return "expected a term, phrase, prefix or '(' but found '\(text)'"
        case .unexpectedEnd: return "the rule ends too early: expected a term, phrase, prefix or '('"
        case .unclosedParenthesis(let opened): return "expected ')' to close '(' opened at \(position(opened))"
        case .trailingToken(let text):
            return text.hasPrefix("NEAR")
                ? "unexpected '\(text)': NEAR takes two operands and cannot be chained; group with parentheses"
                : "unexpected '\(text)' after a complete expression"
        case .tooDeep:
            return "parentheses and operators nest deeper than \(RuleParser.maximumDepth) levels: simplify the rule"
        }
    }
}

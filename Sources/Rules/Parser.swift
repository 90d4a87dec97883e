// SPDX-License-Identifier: MIT
// The watch-rule grammar (RULES.md section 3):
//
//   rule       = or_expr ;
//   or_expr    = and_expr , { "OR" , and_expr } ;
//   and_expr   = unary , { [ "AND" ] , unary } ;      (* juxtaposition means AND *)
//   unary      = ( "NOT" | "-" ) , unary | near_expr ;
//   near_expr  = primary , [ near_op , primary ] ;     (* binary, no chaining *)
//   near_op    = "NEAR" | "NEAR/" , digits ;           (* bare NEAR = NEAR/5 *)
//   primary    = [ field , ":" ] , ( "(" , or_expr , ")" | phrase | prefix | term ) ;
//
// Precedence, tightest first: field scope, NEAR, NOT, AND, OR. Recursive descent, one function per
// level; scopes are resolved onto the leaves as the parser descends.

/// Parses one rule expression into a ``RuleNode``.
public struct RuleParser {
    /// How deep parentheses, NOT and field scopes may nest. Real rules use a handful of levels; the
    /// bound keeps the parser, the compiler and the evaluators (all recursive) far from the stack's end
    /// on any input.
    public static let maximumDepth = 100

    private let tokens: [Token]
    private let length: Int
    private var index = 0
    private var depth = 0

    /// Parses `expression`.
    /// - Throws: ``RuleSyntaxError`` for the first problem, with its offset in code points.
    public static func parse(_ expression: String) throws(RuleSyntaxError) -> RuleNode {
        var parser = RuleParser(tokens: try Lexer(expression).tokens(), length: expression.unicodeScalars.count)
        return try parser.rule()
    }

    private init(tokens: [Token], length: Int) {
        self.tokens = tokens
        self.length = length
    }

    private var current: Token? { index < tokens.count ? tokens[index] : nil }

    private mutating func rule() throws(RuleSyntaxError) -> RuleNode {
        guard !tokens.isEmpty else { throw RuleSyntaxError(problem: .emptyRule, offset: 0) }
        let node = try orExpression(.unscoped)
        if let extra = current { throw RuleSyntaxError(problem: .trailingToken(extra.text), offset: extra.range.lowerBound) }
        return node
    }

    private mutating func orExpression(_ scope: FieldSet) throws(RuleSyntaxError) -> RuleNode {
        var children = [try andExpression(scope)]
        while current?.kind == .or {
            index += 1
            children.append(try andExpression(scope))
        }
        return children.count == 1 ? children[0] : .or(children)
    }

    private mutating func andExpression(_ scope: FieldSet) throws(RuleSyntaxError) -> RuleNode {
        var children = [try unary(scope)]
        while let token = current {
            if token.kind == .and {
                index += 1
            } else if !token.startsOperand {
                break
            }
            children.append(try unary(scope))
        }
        return children.count == 1 ? children[0] : .and(children)
    }

    private mutating func unary(_ scope: FieldSet) throws(RuleSyntaxError) -> RuleNode {
        if let token = current, token.kind == .not {
            index += 1
            try descend(at: token)
            defer { depth -= 1 }
            return .not(try unary(scope))
        }
        return try nearExpression(scope)
    }

    private mutating func nearExpression(_ scope: FieldSet) throws(RuleSyntaxError) -> RuleNode {
        let start = current?.range.lowerBound ?? length
        let left = try primary(scope)
        guard let token = current, case .near(let n) = token.kind else { return left }
        index += 1
        let right = try primary(scope)
        guard left.isSpannable, right.isSpannable else { throw RuleSyntaxError(problem: .nearOperand, offset: start) }
        return .near(n, left, right)
    }

    private mutating func primary(_ scope: FieldSet) throws(RuleSyntaxError) -> RuleNode {
        guard let token = current else { throw RuleSyntaxError(problem: .unexpectedEnd, offset: length) }
        index += 1
        switch token.kind {
        case .field(let field):
            try descend(at: token)
            defer { depth -= 1 }
            return try primary(FieldSet(field))
        case .openParen:
            try descend(at: token)
            defer { depth -= 1 }
            let node = try orExpression(scope)
            guard current?.kind == .closeParen else {
                throw RuleSyntaxError(
                    problem: .unclosedParenthesis(openedAt: token.range.lowerBound),
                    offset: current?.range.lowerBound ?? length)
            }
            index += 1
            return node
        case .phrase(let text), .term(let text):
            let words = Analyzer.words(text)
            switch words.count {
            case 0: throw RuleSyntaxError(problem: .noWords(token.text), offset: token.range.lowerBound)
            case 1: return .term(words[0], scope)
            default: return .phrase(words, scope)
            }
        case .prefix(let stem):
            let words = Analyzer.words(stem)
            guard words.count == 1 else {
                throw RuleSyntaxError(problem: .prefixNotOneWord(stem), offset: token.range.lowerBound)
            }
            guard words[0].unicodeScalars.count >= 3 else {
                throw RuleSyntaxError(problem: .prefixTooShort(stem), offset: token.range.lowerBound)
            }
            return .prefix(words[0], scope)
        default:
            throw RuleSyntaxError(problem: .unexpectedToken(token.text), offset: token.range.lowerBound)
        }
    }

    /// One level deeper, at `token`; past ``maximumDepth`` an error.
    private mutating func descend(at token: Token) throws(RuleSyntaxError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw RuleSyntaxError(problem: .tooDeep, offset: token.range.lowerBound) }
    }
}

// SPDX-License-Identifier: MIT

/// Splits a rule expression into tokens (RULES.md section 3), exactly as the reference matcher does:
/// white space separates; `(`, `)` and `"…"` stand alone; `-` directly before a non-space starts a
/// NOT; a bare word directly followed by `:` is a field and by `*` a prefix; `AND`, `OR`, `NOT`,
/// `NEAR` and `NEAR/n` in upper case are operators.
struct Lexer {
    private let scalars: [Unicode.Scalar]

    init(_ expression: String) { scalars = Array(expression.unicodeScalars) }

    func tokens() throws(RuleSyntaxError) -> [Token] {
        var tokens: [Token] = []
        var i = 0
        let n = scalars.count
        while i < n {
            let c = scalars[i]
            if Self.isSpace(c) {
                i += 1
                continue
            }
            switch c {
            case "(", ")":
                tokens.append(Token(kind: c == "(" ? .openParen : .closeParen, range: i..<(i + 1), text: String(c)))
                i += 1
                continue
            case "\"":
                guard let close = scalars[(i + 1)...].firstIndex(of: "\"") else {
                    throw RuleSyntaxError(problem: .unterminatedPhrase, offset: i)
                }
                tokens.append(Token(kind: .phrase(text(i + 1, close)), range: i..<(close + 1), text: text(i, close + 1)))
                i = close + 1
                continue
            case "-" where i + 1 < n && !Self.isSpace(scalars[i + 1]):
                tokens.append(Token(kind: .not, range: i..<(i + 1), text: "-"))
                i += 1
                continue
            case "*", ":":
                throw RuleSyntaxError(problem: .unexpectedCharacter(String(c)), offset: i)
            default:
                break
            }
            var j = i
            while j < n, !Self.isSpace(scalars[j]), !Self.isStop(scalars[j]) { j += 1 }
            let bare = text(i, j)
            if j < n, scalars[j] == ":" {
                guard let field = Field(name: bare) else { throw RuleSyntaxError(problem: .unknownField(bare), offset: i) }
                tokens.append(Token(kind: .field(field), range: i..<(j + 1), text: bare + ":"))
                i = j + 1
            } else if j < n, scalars[j] == "*" {
                tokens.append(Token(kind: .prefix(bare), range: i..<(j + 1), text: bare + "*"))
                i = j + 1
            } else {
                tokens.append(Token(kind: Self.keyword(bare) ?? .term(bare), range: i..<j, text: bare))
                i = j
            }
        }
        return tokens
    }

    private func text(_ start: Int, _ end: Int) -> String { String(scalars: scalars[start..<end]) }

    private static func isStop(_ c: Unicode.Scalar) -> Bool { c == "(" || c == ")" || c == "\"" || c == "*" || c == ":" }

    /// `AND`, `OR`, `NOT`, `NEAR` (= `NEAR/5`) or `NEAR/` followed by decimal digits.
    private static func keyword(_ bare: String) -> Token.Kind? {
        switch bare {
        case "AND": return .and
        case "OR": return .or
        case "NOT": return .not
        case "NEAR": return .near(5)
        default: break
        }
        guard bare.hasPrefix("NEAR/") else { return nil }
        let digits = bare.unicodeScalars.dropFirst(5)
        guard !digits.isEmpty else { return nil }
        var value = 0
        for d in digits {
            // Any decimal digit counts (Unicode Nd), as in the reference's regular expression.
            guard d.properties.generalCategory == .decimalNumber, let v = d.properties.numericValue else { return nil }
            value = value > (Int.max - 9) / 10 ? Int.max : value * 10 + Int(v)
        }
        return .near(value)
    }

    /// White space as Python's `str.isspace` defines it (the reference splits with it).
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }
}

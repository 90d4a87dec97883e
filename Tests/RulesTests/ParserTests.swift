// SPDX-License-Identifier: MIT
import Testing
@testable import Rules

struct ParserTests {
    private func parse(_ text: String) throws -> RuleNode { try RuleParser.parse(text) }
    private let both = FieldSet.unscoped

    @Test func precedenceFollowsRULESmd() throws {
        #expect(try parse("a OR b c") == .or([.term("a", both), .and([.term("b", both), .term("c", both)])]))
        #expect(try parse("A NOT B") == .and([.term("a", both), .not(.term("b", both))]))
        #expect(try parse("a -b") == .and([.term("a", both), .not(.term("b", both))]))
        #expect(try parse("NOT a NEAR b") == .not(.near(5, .term("a", both), .term("b", both))))
        #expect(try parse("title:a NEAR/2 b") == .near(2, .term("a", FieldSet(.title)), .term("b", both)))
        #expect(try parse("a AND b OR c AND d") == .or([
            .and([.term("a", both), .term("b", both)]), .and([.term("c", both), .term("d", both)]),
        ]))
    }

    @Test func termsBecomePhrasesWhenTheyHoldSeveralWords() throws {
        #expect(try parse("U.S.") == .phrase(["u", "s"], both))
        #expect(try parse("F-16") == .phrase(["f", "16"], both))
        #expect(try parse("\"air show\"") == .phrase(["air", "show"], both))
        #expect(try parse("\"Zürich\"") == .term("zurich", both))
        #expect(try parse("\"a*b\"") == .phrase(["a", "b"], both))
    }

    @Test func scopesResolveOntoLeavesAndInnerScopesWin() throws {
        #expect(try parse("title:(a body:b)") == .and([.term("a", FieldSet(.title)), .term("b", FieldSet(.body))]))
        #expect(try parse("author:smith url:example") == .and([.term("smith", FieldSet(.author)), .term("example", FieldSet(.url))]))
    }

    @Test func prefixesNeedOneWordOfThreeCharacters() throws {
        #expect(try parse("syri*") == .prefix("syri", both))
        #expect(try parse("Zür*") == .prefix("zur", both))
        #expect(throws: RuleSyntaxError.self) { try parse("sy*") }
        #expect(throws: RuleSyntaxError.self) { try parse("a-b*") }
    }

    @Test func keywordsAreUpperCaseOnly() throws {
        #expect(try parse("war and peace") == .and([.term("war", both), .term("and", both), .term("peace", both)]))
        #expect(try parse("a NEAR b") == .near(5, .term("a", both), .term("b", both)))
        #expect(try parse("a NEAR/0 b") == .near(0, .term("a", both), .term("b", both)))
        #expect(try parse("NEAR/") == .term("near", both))
    }

    @Test func nestingIsBoundedSoNoInputCanExhaustTheStack() throws {
        let depth = RuleParser.maximumDepth
        let deepest = String(repeating: "(", count: depth) + "a" + String(repeating: ")", count: depth)
        #expect(try parse(deepest) == .term("a", both))
        _ = try parse(String(repeating: "NOT ", count: depth) + "a")
        // Each input with the offset of the token one level too deep.
        for (tooDeep, offset) in [
            (String(repeating: "(", count: 100_000) + "a" + String(repeating: ")", count: 100_000), depth),
            (String(repeating: "NOT ", count: depth + 1) + "a", 4 * depth),
            (String(repeating: "-", count: depth + 1) + "a", depth),
            (String(repeating: "title:", count: depth + 1) + "a", 6 * depth),
            ("x " + String(repeating: "(", count: depth + 1) + "a" + String(repeating: ")", count: depth + 1), 2 + depth),
        ] {
            #expect(throws: RuleSyntaxError(problem: .tooDeep, offset: offset)) { try parse(tooDeep) }
        }
    }

    @Test(arguments: [
        "russia AND (syria OR damascus) NOT \"air show\"",
        "title:(a OR bbb*) NEAR/3 \"c d\"",
        "NOT NOT x",
        "-a -b c OR d",
        "(a OR (b OR c)) NEAR e",
        "x AND title:(y OR body:z)",
        "ΟΔΟΣ straße ﬁre Ｔｏｋｙｏ",
    ])
    func printingAndParsingAgainGivesTheSameTree(source: String) throws {
        let node = try parse(source)
        #expect(try parse(node.description) == node)
    }
}

struct RuleErrorTests {
    private func errors(_ text: String) -> [RuleFileError] {
        do {
            _ = try RuleFile.parse(text, path: "rules.conf")
            return []
        } catch {
            return error.errors
        }
    }

    @Test func unclosedParenthesisNamesWhereItOpened() throws {
        let found = errors("# watch rules\nrussia-syria = (Russia AND Syria\n")
        #expect(found.count == 1)
        let error = try #require(found.first)
        #expect(error.headline == "rules.conf:2:33: expected ')' to close '(' opened at 2:16")
        #expect(error.description == """
            rules.conf:2:33: expected ')' to close '(' opened at 2:16
                russia-syria = (Russia AND Syria
                                                ^
            """)
    }

    @Test(arguments: [
        ("a = \"air show", "rules.conf:1:5: unterminated phrase: add the closing '\"'"),
        ("a = x AND", "rules.conf:1:10: the rule ends too early: expected a term, phrase, prefix or '('"),
        ("a = ", "rules.conf:1:5: empty rule: write an expression after '='"),
        ("a = sy*", "rules.conf:1:5: prefix 'sy*' is too short: write at least 3 letters or digits before '*'"),
        ("a = x OR OR y", "rules.conf:1:10: expected a term, phrase, prefix or '(' but found 'OR'"),
        ("a = foo:bar", "rules.conf:1:5: unknown field 'foo': fields are title, body, author, feed, url, category"),
        ("a = (x y) NEAR z", "rules.conf:1:5: NEAR joins terms, prefixes, phrases or a parenthesised OR of those; AND, NOT and NEAR cannot be inside it"),
        ("a = x NEAR y NEAR z", "rules.conf:1:14: unexpected 'NEAR': NEAR takes two operands and cannot be chained; group with parentheses"),
        ("a = x )", "rules.conf:1:7: unexpected ')' after a complete expression"),
        ("a = ...", "rules.conf:1:5: '...' has no word in it: words are runs of letters and digits"),
        ("a = *x", "rules.conf:1:5: unexpected '*': a prefix needs a word right before it, as in syri*"),
        ("a = x - y", "rules.conf:1:7: '-' has no word in it: words are runs of letters and digits"),
        ("just words", "rules.conf:1:6: expected '=' after the rule name 'just'"),
        ("= x", "rules.conf:1:1: expected a rule name (letters, digits, '_', '.', '-') and then '= expression'"),
    ])
    func messagesAndColumns(source: String, expected: String) {
        #expect(errors(source).map(\.headline) == [expected])
    }

    @Test func everyErrorOfTheFileIsReportedDuplicatesIncluded() {
        let found = errors("""
            ok = a
            bad1 = (a
            ok = b
            # comment

            bad2 = a OR
            """)
        #expect(found.map(\.headline) == [
            "rules.conf:2:10: expected ')' to close '(' opened at 2:8",
            "rules.conf:3:1: duplicate rule name 'ok': it is already defined at line 1",
            "rules.conf:6:12: the rule ends too early: expected a term, phrase, prefix or '('",
        ])
    }

    @Test func validFileParses() throws {
        let rules = try RuleFile.parse("""
            \u{FEFF}# Russia and Syria
            russia-syria-aircraft = Russia AND Syria AND aircraft
              # indented comment
            tabbed\tTokyo OR Ｔｏｋｙｏ\r
            last=x
            """, path: "rules.conf")
        #expect(rules.map(\.name) == ["russia-syria-aircraft", "tabbed", "last"])
        #expect(rules.map(\.line) == [2, 4, 5])
    }

    @Test func aFileReadOnSeveralThreadsGivesWhatOneThreadGives() throws {
        // Split into parts of 8 lines and more: errors in each part, and a duplicate whose first
        // definition is in another part.
        let count = 60
        var lines = (0..<count).map { "rule-\($0) = term\($0) AND (title:other\($0 % 7) OR \"a phrase \($0)\")" }
        lines[3] = "# a comment"
        lines[9] = "broken = (unclosed AND"
        lines[29] = "rule-5 = again"
        lines[31] = "no equals sign"
        lines[59] = "late = x NEAR"
        let text = lines.joined(separator: "\n")
        func outcome(_ threads: Int) -> (rules: [Rule], errors: [String]) {
            do {
                return (try RuleFile.parse(text, path: "big.conf", threads: threads, linesPerThread: 8), [])
            } catch {
                return ([], error.errors.map(\.headline))
            }
        }
        let serial = outcome(1)
        #expect(serial.errors.count == 4)
        #expect(serial.errors.contains("big.conf:30:1: duplicate rule name 'rule-5': it is already defined at line 6"))
        for threads in [2, 3, 7] {
            #expect(outcome(threads).errors == serial.errors)
        }
        for index in [9, 29, 31, 59] { lines[index] = "# fixed" }
        let valid = lines.joined(separator: "\n")
        let one = try RuleFile.parse(valid, path: "big.conf", threads: 1, linesPerThread: 8)
        #expect(one.count == count - 5)
        for threads in [2, 3, 7] {
            #expect(try RuleFile.parse(valid, path: "big.conf", threads: threads, linesPerThread: 8) == one)
        }
    }

    @Test func lineEndingsOfEveryKindCountLines() throws {
        let rules = try RuleFile.parse("a = x\r\nb = y\rc = z\n\r\nd = \"é ü\"\r\r\ne = w", path: "rules.conf")
        #expect(rules.map(\.name) == ["a", "b", "c", "d", "e"])
        #expect(rules.map(\.line) == [1, 2, 3, 5, 7])
        #expect(RuleFile.lines(of: "\u{FEFF}x\n\ny\n") == ["x", "", "y"])
    }
}

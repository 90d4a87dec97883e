// SPDX-License-Identifier: MIT

/// A named watch rule.
public struct Rule: Sendable, Hashable {
    public let name: String
    public let expression: RuleNode
    /// 1-based line of the rules file it came from.
    public let line: Int

    public init(name: String, expression: RuleNode, line: Int = 0) {
        self.name = name
        self.expression = expression
        self.line = line
    }
}

/// One problem in a rules file, placed like a compiler error.
public struct RuleFileError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let line: Int
    /// 1-based column in code points.
    public let column: Int
    public let message: String
    /// The offending line, for the caret display.
    public let sourceLine: String

    /// `path:line:column: message`.
    public var headline: String { "\(path):\(line):\(column): \(message)" }

    /// The headline, the line, and a caret under the column.
    public var description: String {
        let marker = sourceLine.unicodeScalars.prefix(column - 1).map { $0 == "\t" ? "\t" : " " }.joined()
        return headline + "\n    " + sourceLine + "\n    " + marker + "^"
    }
}

/// All the errors of a rules file: the file is rejected as a whole.
public struct RuleFileErrors: Error, Sendable, CustomStringConvertible {
    public let errors: [RuleFileError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Reads rules files (RULES.md section 5): UTF-8, one `name = expression` per line (the older
/// `name<TAB>expression` also works); blank lines and lines whose first non-blank character is `#`
/// are ignored; names match `[A-Za-z0-9_.-]+` and are unique.
public enum RuleFile {
    /// Parses the text of a rules file.
    /// - Throws: ``RuleFileErrors`` listing every problem, duplicate names included.
    public static func parse(_ text: String, path: String) throws(RuleFileErrors) -> [Rule] {
        var rules: [Rule] = []
        var errors: [RuleFileError] = []
        let allLines = lines(of: text)
        var firstLine: [String: Int] = [:]
        firstLine.reserveCapacity(allLines.count)
        rules.reserveCapacity(allLines.count)
        for (number, line) in allLines.enumerated() {
            let lineNumber = number + 1
            let scalars = Array(line.unicodeScalars)
            var i = 0
            while i < scalars.count, Lexer.isSpace(scalars[i]) { i += 1 }
            if i == scalars.count || scalars[i] == "#" { continue }
            func fail(_ column: Int, _ message: String) {
                errors.append(RuleFileError(path: path, line: lineNumber, column: column + 1, message: message, sourceLine: line))
            }
            let nameStart = i
            while i < scalars.count, isNameCharacter(scalars[i]) { i += 1 }
            guard i > nameStart else {
                fail(nameStart, "expected a rule name (letters, digits, '_', '.', '-') and then '= expression'")
                continue
            }
            let name = String(scalars: scalars[nameStart..<i])
            if i < scalars.count, scalars[i] == "\t" {
                i += 1
            } else {
                while i < scalars.count, Lexer.isSpace(scalars[i]) { i += 1 }
                guard i < scalars.count, scalars[i] == "=" else {
                    fail(i, "expected '=' after the rule name '\(name)'")
                    continue
                }
                i += 1
                while i < scalars.count, Lexer.isSpace(scalars[i]) { i += 1 }
            }
            let expressionStart = i
            let expression = String(scalars: scalars[expressionStart...])
            if let first = firstLine[name] {
                fail(nameStart, "duplicate rule name '\(name)': it is already defined at line \(first)")
                continue
            }
            firstLine[name] = lineNumber
            do {
                rules.append(Rule(name: name, expression: try RuleParser.parse(expression), line: lineNumber))
            } catch {
                let message = error.message { "\(lineNumber):\(expressionStart + $0 + 1)" }
                fail(expressionStart + error.offset, message)
            }
        }
        guard errors.isEmpty else { throw RuleFileErrors(errors: errors) }
        return rules
    }

    /// Lines split as Python's universal newlines do (`\n`, `\r\n`, `\r`), without a leading BOM.
    static func lines(of text: String) -> [String] {
        // Split on the bytes: CR and LF never occur inside a multi-byte UTF-8 sequence.
        var bytes = text.utf8[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }  // a byte-order mark
        var lines: [String] = []
        var start = bytes.startIndex
        var index = start
        while index < bytes.endIndex {
            let byte = bytes[index]
            guard byte == 0x0A || byte == 0x0D else {
                index = bytes.index(after: index)
                continue
            }
            lines.append(String(Substring(bytes[start..<index])))
            index = bytes.index(after: index)
            if byte == 0x0D, index < bytes.endIndex, bytes[index] == 0x0A { index = bytes.index(after: index) }
            start = index
        }
        if start < bytes.endIndex { lines.append(String(Substring(bytes[start..<bytes.endIndex]))) }
        return lines
    }

    private static func isNameCharacter(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "A"..."Z", "a"..."z", "0"..."9", "_", ".", "-": true
        default: false
        }
    }
}

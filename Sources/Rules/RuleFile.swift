// SPDX-License-Identifier: MIT
import Dispatch

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
    /// - Parameter threads: how many threads read the lines of a large file (each line is read on its
    ///   own; duplicate names are then found in file order).
    /// - Throws: ``RuleFileErrors`` listing every problem, duplicate names included.
    public static func parse(_ text: String, path: String, threads: Int = 1) throws(RuleFileErrors) -> [Rule] {
        try parse(text, path: path, threads: threads, linesPerThread: linesPerThread)
    }

    static func parse(_ text: String, path: String, threads: Int, linesPerThread: Int) throws(RuleFileErrors) -> [Rule] {
        let allLines = lines(of: text)
        var rules: [Rule] = []
        var errors: [RuleFileError] = []
        var firstLine: [String: Int] = [:]
        firstLine.reserveCapacity(allLines.count)
        rules.reserveCapacity(allLines.count)
        for (number, content) in read(allLines, threads: threads, linesPerThread: linesPerThread).enumerated() {
            let lineNumber = number + 1
            func fail(_ column: Int, _ message: String) {
                errors.append(RuleFileError(path: path, line: lineNumber, column: column + 1, message: message, sourceLine: allLines[number]))
            }
            switch content {
            case .blank:
                continue
            case .malformed(let column, let message):
                fail(column, message)
            case .rule(let name, let nameStart, let expressionStart, let expression):
                if let first = firstLine[name] {
                    fail(nameStart, "duplicate rule name '\(name)': it is already defined at line \(first)")
                    continue
                }
                firstLine[name] = lineNumber
                switch expression {
                case .success(let node):
                    rules.append(Rule(name: name, expression: node, line: lineNumber))
                case .failure(let error):
                    fail(expressionStart + error.offset, error.message { "\(lineNumber):\(expressionStart + $0 + 1)" })
                }
            }
        }
        guard errors.isEmpty else { throw RuleFileErrors(errors: errors) }
        return rules
    }

    /// What one line holds, read on its own. Columns are 0-based code-point offsets.
    private enum LineContent: Sendable {
        case blank
        case malformed(column: Int, message: String)
        case rule(name: String, nameStart: Int, expressionStart: Int, expression: Result<RuleNode, RuleSyntaxError>)
    }

    /// Fewest lines worth a thread of their own: starting threads costs more than reading fewer.
    static let linesPerThread = 4096

    /// Every line read, in file order; a large file in up to `threads` contiguous parts at once.
    private static func read(_ lines: [String], threads: Int, linesPerThread: Int) -> [LineContent] {
        let parts = min(max(1, threads), lines.count / linesPerThread)
        guard parts > 1 else { return lines.map(read) }
        let results = IndexedResults<LineContent>(count: lines.count, initial: .blank)
        let partSize = (lines.count + parts - 1) / parts
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            for index in (part * partSize)..<min(lines.count, (part + 1) * partSize) {
                results.store(index, read(lines[index]))
            }
        }
        return results.values
    }

    private static func read(_ line: String) -> LineContent {
        let scalars = Array(line.unicodeScalars)
        var i = 0
        while i < scalars.count, Lexer.isSpace(scalars[i]) { i += 1 }
        if i == scalars.count || scalars[i] == "#" { return .blank }
        let nameStart = i
        while i < scalars.count, isNameCharacter(scalars[i]) { i += 1 }
        guard i > nameStart else {
            return .malformed(column: nameStart, message: "expected a rule name (letters, digits, '_', '.', '-') and then '= expression'")
        }
        let name = String(scalars: scalars[nameStart..<i])
        if i < scalars.count, scalars[i] == "\t" {
            i += 1
        } else {
            while i < scalars.count, Lexer.isSpace(scalars[i]) { i += 1 }
            guard i < scalars.count, scalars[i] == "=" else {
                return .malformed(column: i, message: "expected '=' after the rule name '\(name)'")
            }
            i += 1
            while i < scalars.count, Lexer.isSpace(scalars[i]) { i += 1 }
        }
        let expression = String(scalars: scalars[i...])
        let parsed: Result<RuleNode, RuleSyntaxError>
        do {
            parsed = .success(try RuleParser.parse(expression))
        } catch {
            parsed = .failure(error)
        }
        return .rule(name: name, nameStart: nameStart, expressionStart: i, expression: parsed)
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

// SPDX-License-Identifier: MIT
import Foundation
import Markup

/// Reads the ways RSS writes a person: `me@example.com (Name)`, `Name <me@example.com>`,
/// `Name (me@example.com)`, a bare address or a bare name.
enum PersonParser {
    static func parse(_ text: String) -> Person? {
        let s = text.trimmingWhitespace()
        guard !s.isEmpty else { return nil }
        if let open = s.lastIndex(where: { $0 == "(" || $0 == "<" }), let close = s.lastIndex(where: { $0 == ")" || $0 == ">" }),
            open < close
        {
            let inner = String(s[s.index(after: open)..<close]).trimmingWhitespace()
            let outer = (String(s[..<open]) + String(s[s.index(after: close)...])).trimmingWhitespace()
            if isEmail(inner) { return Person(name: outer.isEmpty ? nil : outer, email: inner) }
            if isEmail(outer) { return Person(name: inner.isEmpty ? nil : inner, email: outer) }
        }
        if isEmail(s) { return Person(name: nil, email: s) }
        if let mail = s.split(separator: " ").first(where: { isEmail(String($0)) }) {
            let name = s.replacingOccurrences(of: String(mail), with: "").trimmingWhitespace()
            return Person(name: name.isEmpty ? nil : name, email: String(mail))
        }
        return Person(name: s, email: nil)
    }

    static func isEmail(_ s: String) -> Bool {
        guard let at = s.firstIndex(of: "@"), at > s.startIndex else { return false }
        let domain = s[s.index(after: at)...]
        return domain.utf8.contains(UInt8(ascii: ".")) && !s.utf8.contains(0x20) && !domain.utf8.contains(UInt8(ascii: "@"))
    }
}

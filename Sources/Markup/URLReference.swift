// SPDX-License-Identifier: MIT

/// Resolution of URL references (RFC 3986, section 5.2) without any normalisation of absolute ones:
/// a feed's identifiers must come back exactly as written.
public enum URLReference {
    /// The scheme of `url` lower-cased, or `nil` when it has none (a relative reference).
    public static func scheme(of url: some StringProtocol) -> String? {
        guard let length = schemeLength(url.utf8) else { return nil }
        return String(decoding: url.utf8.prefix(length).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// How many bytes the scheme of `url` takes (before its ":"), or `nil` when it has none. ASCII only,
    /// so the bytes suffice: a letter, then letters, digits, "+", "-" or ".", then ":".
    private static func schemeLength(_ url: some Collection<UInt8>) -> Int? {
        if let length = url.withContiguousStorageIfAvailable({ schemeLength(bytes: $0) }) { return length }
        return schemeLength(bytes: url)
    }

    private static func schemeLength(bytes url: some Collection<UInt8>) -> Int? {
        var length = 0
        for byte in url {
            if byte == UInt8(ascii: ":") { return length > 0 ? length : nil }
            let letter = byte | 0x20
            let isAlpha = letter >= 0x61 && letter <= 0x7A
            let isOther = (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            guard isAlpha || (length > 0 && isOther) else { return nil }
            length += 1
        }
        return nil
    }

    /// True for an absolute http or https URL: the only kind Feedwatch accepts as a base.
    public static func isWebURL(_ url: String) -> Bool {
        guard let scheme = scheme(of: url) else { return false }
        return (scheme == "http" || scheme == "https") && url.utf8.count > scheme.utf8.count + 3
    }

    /// `reference` resolved against `base`; unchanged when it is absolute or there is no usable base.
    public static func resolve(_ reference: String, against base: String?) -> String {
        let ref = reference.trimmingWhitespace()
        guard let base, schemeLength(ref.utf8) == nil, let baseScheme = scheme(of: base) else { return ref }
        let b = split(base)
        if ref.hasPrefix("//") { return baseScheme + ":" + ref }
        if ref.isEmpty { return recompose(b.scheme, b.authority, b.path, b.query) }
        if ref.hasPrefix("#") { return recompose(b.scheme, b.authority, b.path, b.query) + ref }
        let r = split(ref, hasScheme: false)
        if r.path.isEmpty {
            return recompose(b.scheme, b.authority, b.path, r.query ?? b.query) + (r.fragment.map { "#" + $0 } ?? "")
        }
        let path: String
        if r.path.hasPrefix("/") {
            path = removeDotSegments(r.path)
        } else if b.authority != nil && b.path.isEmpty {
            path = removeDotSegments("/" + r.path)
        } else {
            let directory = b.path.lastIndex(of: "/").map { String(b.path[...$0]) } ?? ""
            path = removeDotSegments(directory + r.path)
        }
        return recompose(b.scheme, b.authority, path, r.query) + (r.fragment.map { "#" + $0 } ?? "")
    }

    private struct Parts {
        var scheme: String?
        var authority: String?
        var path: String
        var query: String?
        var fragment: String?
    }

    private static func split(_ url: String, hasScheme: Bool = true) -> Parts {
        var rest = Substring(url)
        var parts = Parts(path: "")
        if hasScheme, let colon = rest.firstIndex(of: ":") {
            parts.scheme = String(rest[..<colon])
            rest = rest[rest.index(after: colon)...]
        }
        if let hash = rest.firstIndex(of: "#") {
            parts.fragment = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        }
        if let question = rest.firstIndex(of: "?") {
            parts.query = String(rest[rest.index(after: question)...])
            rest = rest[..<question]
        }
        if rest.hasPrefix("//") {
            let afterSlashes = rest.index(rest.startIndex, offsetBy: 2)
            let end = rest[afterSlashes...].firstIndex(of: "/") ?? rest.endIndex
            parts.authority = String(rest[afterSlashes..<end])
            rest = rest[end...]
        }
        parts.path = String(rest)
        return parts
    }

    private static func recompose(_ scheme: String?, _ authority: String?, _ path: String, _ query: String?) -> String {
        var out = ""
        if let scheme { out += scheme + ":" }
        if let authority { out += "//" + authority }
        out += path
        if let query { out += "?" + query }
        return out
    }

    /// RFC 3986, section 5.2.4.
    static func removeDotSegments(_ path: String) -> String {
        guard path.contains(".") else { return path }
        var output: [Substring] = []
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        for (index, segment) in segments.enumerated() {
            let isLast = index == segments.count - 1
            switch segment {
            case ".":
                if isLast { output.append("") }
            case "..":
                if output.count > 1 { output.removeLast() }
                if isLast { output.append("") }
            default:
                output.append(segment)
            }
        }
        let joined = output.joined(separator: "/")
        return path.hasPrefix("/") && !joined.hasPrefix("/") ? "/" + joined : joined
    }
}

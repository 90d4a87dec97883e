// SPDX-License-Identifier: MIT

/// What "one host" means for politeness: `scheme://authority` lower-cased, user information dropped.
/// ``HostPoliteness`` counts by it, and the HTTP client gives each key's transfers to one thread.
public enum HostKey {
    /// The key of `url`; a text that is not `scheme://…` is its own key.
    public static func of(_ url: String) -> String {
        let bytes = Array(url.utf8)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), bytes.count > colon + 2,
            bytes[colon + 1] == UInt8(ascii: "/"), bytes[colon + 2] == UInt8(ascii: "/")
        else { return url }
        var start = colon + 3
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "/"), bytes[end] != UInt8(ascii: "?"), bytes[end] != UInt8(ascii: "#") {
            if bytes[end] == UInt8(ascii: "@") { start = end + 1 }
            end += 1
        }
        var key = Array(bytes[..<(colon + 3)]) + bytes[start..<end]
        for i in key.indices { key[i] = key[i].asciiLowercased }
        return String(decoding: key, as: UTF8.self)
    }
}

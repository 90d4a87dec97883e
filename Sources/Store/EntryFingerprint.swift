// SPDX-License-Identifier: MIT

/// How a feed's entries are told apart.
public enum EntryIdentity: String, Sendable, CaseIterable {
    /// The guid, but a guid that comes back with another link is another story (a reused guid must not
    /// hide it), and a guid that changes while the link and title stay is the same story. No guid: the
    /// link; neither: the title and content.
    case auto
    /// The guid alone (falling back like `auto` when there is none).
    case guid
    /// The link alone (falling back to the guid, then the content).
    case link
    /// A hash of title and content: every edit is a new entry.
    case content
}

/// What is remembered of an entry to recognise it later. The store keeps only the hashes: a seen
/// entry is told by its keys, and the text of guid and link is needed only for a new entry's alert.
public struct EntryFingerprint: Sendable, Equatable {
    /// The guid and link as the feed gives them (`nil` when empty, and in fingerprints read back from
    /// the store).
    public var guid: String?
    public var link: String?
    /// Stable hashes of guid and link, `nil` when the entry has none.
    public var guidHash: Int64?
    public var linkHash: Int64?
    /// Stable hash of the title, `nil` when the entry has none.
    public var titleHash: Int64?
    /// Stable hash of title and content.
    public var contentHash: Int64

    public init(guid: String?, link: String?, title: String?, content: String) {
        self.guid = guid.flatMap { $0.isEmpty ? nil : $0 }
        self.link = link.flatMap { $0.isEmpty ? nil : $0 }
        guidHash = self.guid.map(StableHash.int64)
        linkHash = self.link.map(StableHash.int64)
        // The title is hashed once: its hash is also where the hash of title, U+001F and content
        // starts (without building that string).
        let titleState = StableHash.uint64(title ?? "")
        titleHash = title.flatMap { $0.isEmpty ? nil : Int64(bitPattern: titleState) }
        contentHash = Int64(bitPattern: StableHash.uint64(content, continuing: StableHash.uint64("\u{1F}", continuing: titleState)))
    }

    /// A fingerprint as the store keeps it: hashes only.
    init(guidHash: Int64?, linkHash: Int64?, titleHash: Int64?, contentHash: Int64) {
        self.guidHash = guidHash
        self.linkHash = linkHash
        self.titleHash = titleHash
        self.contentHash = contentHash
    }

    /// The entry's identity as text, for alert ids: under `auto` a guid and its link together, since a
    /// reused guid with another link is another story.
    public func identity(_ mode: EntryIdentity) -> String {
        switch mode {
        case .content: return "content:\(contentHash)"
        case .link: if let link { return "link:" + link }
        case .guid: if let guid { return "guid:" + guid }
        case .auto: if let guid { return "guid:" + guid + (link.map { "\u{1F}" + $0 } ?? "") }
        }
        if let link { return "link:" + link }
        if let guid { return "guid:" + guid }
        return "content:\(contentHash)"
    }

    /// A key of a seen entry: the hash of its link, its guid, or its title and content.
    enum LookupKey: Equatable {
        case link(Int64)
        case guid(Int64)
        case content(Int64)
    }

    /// The one key that every seen entry ``isSameEntry(as:under:)`` this candidate has too, so the store
    /// looks it up by that key alone: the guid under `guid` identity, the content under `content`;
    /// otherwise the link (under `auto` a match always shares it: the same guid and link, or the same
    /// link and title), then the guid, then the content — the order in which they decide.
    func lookupKey(under mode: EntryIdentity) -> LookupKey {
        switch mode {
        case .content: return .content(contentHash)
        case .guid: if let guidHash { return .guid(guidHash) }
        case .auto, .link: break
        }
        if let linkHash { return .link(linkHash) }
        if let guidHash { return .guid(guidHash) }
        return .content(contentHash)
    }

    /// Whether `self`, seen before, is the same entry as `candidate` under `mode` (by their hashes).
    public func isSameEntry(as candidate: EntryFingerprint, under mode: EntryIdentity) -> Bool {
        switch mode {
        case .content:
            return contentHash == candidate.contentHash
        case .link:
            if let link = candidate.linkHash { return linkHash == link }
        case .guid:
            if let guid = candidate.guidHash { return guidHash == guid }
        case .auto:
            if let guid = candidate.guidHash, let link = candidate.linkHash {
                if guidHash == guid && linkHash == link { return true }
                // The guid changed, or was reissued: the same link with the same title is the same story.
                return linkHash == link && titleHash != nil && titleHash == candidate.titleHash
            }
            if let guid = candidate.guidHash { return guidHash == guid }
        }
        if let link = candidate.linkHash { return linkHash == link }
        if let guid = candidate.guidHash { return guidHash == guid }
        return contentHash == candidate.contentHash
    }
}

/// How the store keeps an absent guid, link or title hash: as 0 (key columns and fixed-size records have
/// no NULL). A text's hash is 0 once in 2^64.
enum StoredHash {
    static let absent: Int64 = 0

    static func hash(_ stored: Int64) -> Int64? { stored == absent ? nil : stored }
}

/// FNV-1a, 64 bits: a hash that is the same in every run and on every machine (Swift's `Hasher` is
/// seeded per process).
public enum StableHash {
    /// The hash of the empty text.
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325

    /// The hash of `text`, or of some text followed by `text` when `hash` is that text's hash.
    public static func uint64(_ text: String, continuing hash: UInt64 = offsetBasis) -> UInt64 {
        var text = text
        return text.withUTF8 { bytes in
            var hash = hash
            for byte in bytes {
                hash ^= UInt64(byte)
                hash &*= 0x100_0000_01b3
            }
            return hash
        }
    }

    public static func int64(_ text: String) -> Int64 { Int64(bitPattern: uint64(text)) }

    /// 16 lower-case hex digits.
    public static func hex(_ text: String) -> String {
        let digits = String(uint64(text), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

extension EntryFingerprint {
    /// Indices of the candidates that are not repeats of an earlier candidate: what a feed never
    /// fetched before holds that is new.
    public static func distinct(_ candidates: [EntryFingerprint], mode: EntryIdentity) -> [Int] {
        distinct(candidates, mode: mode) { _ in false }
    }

    /// Indices of the candidates that are not `known` and not a repeat of an earlier candidate.
    static func distinct<E: Error>(
        _ candidates: [EntryFingerprint], mode: EntryIdentity, known: (EntryFingerprint) throws(E) -> Bool
    ) throws(E) -> [Int] {
        var fresh: [Int] = []
        for (index, candidate) in candidates.enumerated() {
            if try known(candidate) { continue }
            if fresh.contains(where: { candidates[$0].isSameEntry(as: candidate, under: mode) }) { continue }
            fresh.append(index)
        }
        return fresh
    }
}

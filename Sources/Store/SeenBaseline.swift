// SPDX-License-Identifier: MIT

/// A feed's first batch of seen entries, kept as one row: per entry the hashes of its guid, link,
/// title, and title and content, 8 bytes each, little-endian (absent ones as ``StoredHash/absent``).
/// A first fetch records all of a feed's entries at once (a cold cycle over 1,000 feeds: 10,000);
/// as rows, each costs two B-tree insertions. A poll reads the baseline whole and compares in memory.
enum SeenBaseline {
    /// The most entries a baseline holds (32 KB, read at each poll of the feed); a bigger first batch
    /// is kept as rows.
    static let maximumEntries = 1_000
    private static let recordSize = 32

    static func encode(_ entries: [EntryFingerprint]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.count * recordSize)
        func append(_ hash: Int64) {
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: hash >> Int64(shift))) }
        }
        for entry in entries {
            append(entry.guidHash ?? StoredHash.absent)
            append(entry.linkHash ?? StoredHash.absent)
            append(entry.titleHash ?? StoredHash.absent)
            append(entry.contentHash)
        }
        return bytes
    }

    static func decode(_ bytes: RawSpan, feedID: Int64) throws(StoreError) -> [EntryFingerprint] {
        guard bytes.byteCount % recordSize == 0 else {
            throw StoreError("the entries first seen in feed \(feedID) are damaged in the state database (\(bytes.byteCount) bytes, not whole records of \(recordSize)); removing the feed and adding it again starts it afresh")
        }
        var entries: [EntryFingerprint] = []
        entries.reserveCapacity(bytes.byteCount / recordSize)
        for offset in stride(from: 0, to: bytes.byteCount, by: recordSize) {
            // An Int64 is valid for any bit pattern; RawSpan checks the bounds of every load.
            func hash(_ field: Int) -> Int64 {
                Int64(littleEndian: bytes.unsafeLoadUnaligned(fromByteOffset: offset + 8 * field, as: Int64.self))
            }
            entries.append(EntryFingerprint(
                guidHash: StoredHash.hash(hash(0)), linkHash: StoredHash.hash(hash(1)), titleHash: StoredHash.hash(hash(2)),
                contentHash: hash(3)))
        }
        return entries
    }
}

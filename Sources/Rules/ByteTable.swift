// SPDX-License-Identifier: MIT

/// An open-addressing hash table from byte strings to dense integer ids, looked up with a buffer so
/// that an article's words are found without making a `String` of each.
struct ByteTable: Sendable {
    private var arena: [UInt8] = []
    private var offsets: [Int32] = []
    private var lengths: [Int32] = []
    private var hashes: [UInt64] = []
    /// Entry id + 1 per slot; 0 = empty. Capacity is a power of two.
    private var slots: [Int32] = Array(repeating: 0, count: 64)

    var count: Int { offsets.count }

    /// The id of `bytes`, inserting it if new.
    mutating func insert(_ bytes: Span<UInt8>) -> Int32 {
        let hash = Self.hash(bytes)
        if let id = find(bytes, hash: hash) { return id }
        if (count + 1) * 2 > slots.count { grow() }
        let id = Int32(count)
        offsets.append(Int32(arena.count))
        lengths.append(Int32(bytes.count))
        hashes.append(hash)
        for k in bytes.indices { arena.append(bytes[k]) }
        place(id, hash: hash)
        return id
    }

    mutating func insert(_ string: String) -> Int32 {
        var string = string
        string.makeContiguousUTF8()
        return insert(string.utf8.span)
    }

    /// The id of `bytes`, or `nil`.
    @inline(__always)
    func lookup(_ bytes: Span<UInt8>) -> Int32? {
        find(bytes, hash: Self.hash(bytes))
    }

    func lookup(_ string: String) -> Int32? {
        var string = string
        string.makeContiguousUTF8()
        return lookup(string.utf8.span)
    }

    /// The bytes of entry `id` as a string.
    func string(_ id: Int32) -> String {
        let start = Int(offsets[Int(id)])
        return String(decoding: arena[start..<(start + Int(lengths[Int(id)]))], as: UTF8.self)
    }

    @inline(__always)
    private func find(_ bytes: Span<UInt8>, hash: UInt64) -> Int32? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            let id = Int(entry - 1)
            if hashes[id] == hash, Int(lengths[id]) == bytes.count {
                let start = Int(offsets[id])
                var k = 0
                while k < bytes.count, arena[start + k] == bytes[k] { k += 1 }
                if k == bytes.count { return Int32(id) }
            }
            slot = (slot + 1) & mask
        }
    }

    private mutating func place(_ id: Int32, hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = id + 1
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        for id in 0..<count { place(Int32(id), hash: hashes[id]) }
    }

    /// FNV-1a over the bytes, finished with a multiply-xorshift so that low bits mix well.
    @inline(__always)
    static func hash(_ bytes: Span<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for k in bytes.indices { h = (h ^ UInt64(bytes[k])) &* 0x100_0000_01b3 }
        h ^= h >> 32
        h = h &* 0xd6e8_feb8_6659_fd93
        return h ^ (h >> 32)
    }
}

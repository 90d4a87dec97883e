// SPDX-License-Identifier: MIT
// The one file of Rules that uses unsafe pointers: fixed buffers with reference semantics for the
// matcher's hot tables and for results filled by parallel workers, and the copy out of a span. Every
// subscript checks its index in release builds too, so a mistake elsewhere traps instead of reading or
// writing outside the allocation; UnsafeStorageTests try each at its edges.

/// A fixed-size buffer of plain values with reference semantics and no copy-on-write: the
/// per-feature tables of ``ArticleIndex``, written and read in the hot loop. Indices must lie in
/// `0..<count` (checked).
final class FixedBuffer<Element: BitwiseCopyable> {
    private let storage: UnsafeMutableBufferPointer<Element>

    init(count: Int, value: Element) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: value)
    }

    deinit { storage.deallocate() }

    var count: Int { storage.count }

    @inline(__always)
    subscript(index: Int) -> Element {
        get {
            precondition(UInt(bitPattern: index) < UInt(bitPattern: storage.count), "index out of range")
            return storage[index]
        }
        set {
            precondition(UInt(bitPattern: index) < UInt(bitPattern: storage.count), "index out of range")
            storage[index] = newValue
        }
    }

    func fill(_ value: Element) { storage.update(repeating: value) }
}

/// Result slots that the workers of one `DispatchQueue.concurrentPerform` fill at distinct indices,
/// read once every worker has returned. Indices must lie in `0..<count` (checked).
public final class IndexedResults<Value: Sendable>: @unchecked Sendable {
    // Safe: every index is written by one worker only, and read after concurrentPerform returns. The
    // slots are one fixed allocation: an Array property would be mutated by all workers at once (its
    // withUnsafeMutableBufferPointer is a mutating access of the whole array), a data race.
    private let storage: UnsafeMutableBufferPointer<Value>

    public init(count: Int, initial: Value) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: initial)
    }

    deinit {
        storage.deinitialize()
        storage.deallocate()
    }

    public func store(_ index: Int, _ value: Value) {
        precondition(UInt(bitPattern: index) < UInt(bitPattern: storage.count), "index out of range")
        storage[index] = value
    }

    public var values: [Value] { Array(storage) }
}

/// The text of UTF-8 `bytes`, invalid sequences replaced by U+FFFD.
func decodeUTF8(_ bytes: Span<UInt8>) -> String {
    bytes.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
}

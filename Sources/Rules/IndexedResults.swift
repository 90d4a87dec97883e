// SPDX-License-Identifier: MIT

/// Result slots that the workers of one `DispatchQueue.concurrentPerform` fill at distinct indices,
/// read once every worker has returned.
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

    public func store(_ index: Int, _ value: Value) { storage[index] = value }

    public var values: [Value] { Array(storage) }
}

// SPDX-License-Identifier: MIT

/// The fuzzer's bytes, read from the front: a target takes a few bytes to choose how to run (a charset
/// header, a base URL, how to cut the rest into pieces) and treats the rest as the document. Reading
/// past the end gives zeros, so every input is a valid choice.
public struct FuzzInput {
    private var bytes: ArraySlice<UInt8>

    /// The bytes libFuzzer hands to `LLVMFuzzerTestOneInput`.
    public init(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        bytes = data.map { ArraySlice(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    }

    public var isEmpty: Bool { bytes.isEmpty }

    public mutating func byte() -> UInt8 { bytes.popFirst() ?? 0 }

    /// One of `options`, chosen by the next byte.
    public mutating func pick<T>(_ options: [T]) -> T { options[Int(byte()) % options.count] }

    /// The next `count` bytes, or fewer at the end.
    public mutating func take(_ count: Int) -> [UInt8] {
        let taken = bytes.prefix(count)
        bytes = bytes.dropFirst(count)
        return Array(taken)
    }

    /// All the bytes not read yet.
    public mutating func rest() -> [UInt8] { take(bytes.count) }
}

/// Stops the run with `message` when a property the target checks does not hold: libFuzzer records the
/// input as a crash, like any other trap.
public func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("property violated: \(message())") }
}

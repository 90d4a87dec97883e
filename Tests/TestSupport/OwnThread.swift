// SPDX-License-Identifier: MIT
import Foundation

/// Runs `work` on a thread of its own and returns its result. A long CPU-bound or blocking test body
/// run this way leaves the cooperative pool (one thread per core) to the async tests running beside
/// it, whose time limits would otherwise run out while they wait for a thread; and one such body runs
/// at a time, so the others do not take every core from them either. `work` must not use `#expect`:
/// it returns what the test then checks.
public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            heavyWork.wait()
            defer { heavyWork.signal() }
            continuation.resume(with: Result { try work() })
        }
        thread.stackSize = 16 << 20
        thread.start()
    }
}

/// Lets one `onOwnThread` body run at a time.
private let heavyWork = DispatchSemaphore(value: 1)

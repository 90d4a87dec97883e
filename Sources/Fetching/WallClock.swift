// SPDX-License-Identifier: MIT
public import Foundation

/// Time as Feedwatch's schedules see it: wall-clock dates (they are stored, shown in alerts and compared
/// with the dates servers send) and sleeping until one. The daemon, the HTTP client's host spacing and
/// the stamp on every response read the same clock, so a test can run them all on a clock it moves.
public protocol WallClock: Sendable {
    var now: Date { get }
    /// Returns at `deadline` or later; throws `CancellationError` when the task is cancelled first.
    func sleep(until deadline: Date) async throws
}

/// The system's clock. A sleep is measured on the monotonic clock from when it starts, so a step of
/// the wall clock meanwhile moves the wake-up by the step at most once; callers look at `now` again
/// when they wake.
public struct SystemClock: WallClock {
    public init() {}

    public var now: Date { Date() }

    public func sleep(until deadline: Date) async throws {
        let seconds = deadline.timeIntervalSinceNow
        guard seconds > 0 else { return try Task.checkCancellation() }
        try await Task.sleep(for: .seconds(seconds))
    }
}

extension Date {
    /// This instant plus `duration`.
    public func advanced(by duration: Duration) -> Date {
        let (seconds, attoseconds) = duration.components
        return addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18)
    }
}

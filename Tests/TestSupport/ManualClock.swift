// SPDX-License-Identifier: MIT
public import Fetching
public import Foundation
import Synchronization

/// A clock that moves only when a test moves it: what would sleep for a minute takes no time, and a
/// test sees exactly what happens before and at a deadline.
public final class ManualClock: WallClock {
    private struct Sleeper {
        let id: UInt64
        let deadline: Date
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var sleepers: [Sleeper] = []
        var nextID: UInt64 = 0
        /// Sleepers woken by ``advance(by:)`` whose tasks have not run again yet.
        var pendingWakeups = 0
        var woken: Set<UInt64> = []
    }

    private let state: Mutex<State>

    public init(now: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        state = Mutex(State(now: now))
    }

    public var now: Date { state.withLock { $0.now } }

    /// How many tasks sleep on the clock now.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Whether a task the clock woke has yet to run again: until it has, what it does next is unknown.
    public var hasPendingWakeups: Bool { state.withLock { $0.pendingWakeups > 0 } }

    public func sleep(until deadline: Date) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        defer {
            state.withLock { state in
                if state.woken.remove(id) != nil { state.pendingWakeups -= 1 }
            }
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let resume: Result<Void, any Error>? = state.withLock { state in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if deadline <= state.now { return .success(()) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return nil
                }
                if let resume { continuation.resume(with: resume) }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock on by `interval`, waking every sleeper whose deadline it passes.
    public func advance(by interval: TimeInterval) {
        let woken = state.withLock { state -> [Sleeper] in
            state.now = state.now.addingTimeInterval(interval)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            state.pendingWakeups += due.count
            for sleeper in due { state.woken.insert(sleeper.id) }
            return due
        }
        for sleeper in woken { sleeper.continuation.resume() }
    }

    /// Moves the clock to `date` (never back).
    public func advance(to date: Date) { advance(by: max(0, date.timeIntervalSince(now))) }

    /// Returns once at least `count` tasks sleep on the clock (or after `timeout` of real time, false).
    @discardableResult
    public func waitForSleepers(_ count: Int, timeout: Duration = .seconds(10)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while sleeperCount < count {
            if ContinuousClock.now > deadline { return false }
            try? await Task.sleep(for: .milliseconds(1))
        }
        return true
    }
}

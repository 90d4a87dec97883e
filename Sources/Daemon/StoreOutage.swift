// SPDX-License-Identifier: MIT
import Foundation
import Logging
import Store
import Synchronization

/// While the state database cannot be written (a full disk, an I/O error, a read-only file system, a
/// lock held too long): what polls learnt and could not keep waits here, in memory, and polling stops —
/// a poll whose result cannot be kept must not be made. The store is tried again with backoff (1 s,
/// doubling to a minute). The outage is logged once when it starts, at most once per backoff step
/// while it lasts, and once when it ends, with how long it lasted.
final class StoreOutage: Sendable {
    private struct State {
        var since: Date?
        var attempt = 0
        var nextTry = Date.distantPast
        /// Polls not yet stored, oldest first: a feed's first fetch (its baseline) before its later ones.
        var unsaved: [PollResult] = []
    }

    static let firstDelay: TimeInterval = 1
    /// The backoff's longest step.
    let longestDelay: TimeInterval

    private let state = Mutex(State())
    private let logger: Logger

    init(logger: Logger, longestDelay: TimeInterval = 60) {
        self.logger = logger
        self.longestDelay = longestDelay
    }

    /// Whether polling is paused.
    var isActive: Bool { state.withLock { $0.since != nil } }

    /// When the store is tried next (nil: no outage).
    var nextTry: Date? { state.withLock { $0.since == nil ? nil : $0.nextTry } }

    /// Since when, for the status line.
    var since: Date? { state.withLock { $0.since } }

    /// A poll could not read what the store knows (a database server away): polling pauses as for a
    /// write, with nothing to keep; the store is asked again with the same backoff.
    func stall(error: StoreError, now: Date) {
        if begin(now: now) {
            logger.error("the state database cannot be read; polling is paused until it can be",
                         metadata: ["error": "\(error)", "retry_in": "\(Int(Self.firstDelay))s"])
        }
    }

    /// A poll's result could not be stored: it is kept, and the outage starts unless it has.
    func keep(_ poll: PollResult, error: StoreError, now: Date) {
        state.withLock { $0.unsaved.append(poll) }
        if begin(now: now) {
            logger.error("the state database cannot be written; polling is paused until it can be, and what polls learnt is kept in memory",
                         metadata: ["error": "\(error)", "retry_in": "\(Int(Self.firstDelay))s"])
        }
    }

    /// Starts the outage unless it has; whether it started now.
    private func begin(now: Date) -> Bool {
        state.withLock { state -> Bool in
            guard state.since == nil else { return false }
            state.since = now
            state.attempt = 0
            state.nextTry = now.addingTimeInterval(Self.firstDelay)
            return true
        }
    }

    /// Tries to store what waits, oldest first. Returns the records stored (their polls are done with);
    /// the outage ends when everything is stored.
    func retry(_ store: any Store, now: Date) async -> [FeedRecord] {
        let waiting = state.withLock { $0.unsaved }
        var stored: [FeedRecord] = []
        var failure: StoreError?
        for poll in waiting {
            do {
                stored.append(try await store.record(poll).record)
            } catch {
                failure = error
                break
            }
        }
        // Nothing waited (reads failed): the store is asked whether it answers.
        if waiting.isEmpty {
            do { try await store.ping() } catch { failure = error }
        }
        enum Next { case ended(after: TimeInterval), waiting(delay: TimeInterval, attempt: Int, polls: Int), none }
        let next = state.withLock { state -> Next in
            state.unsaved.removeFirst(stored.count)
            guard let since = state.since else { return .none }
            if failure == nil && state.unsaved.isEmpty {
                state.since = nil
                return .ended(after: now.timeIntervalSince(since))
            }
            state.attempt += 1
            let delay = min(longestDelay, Self.firstDelay * pow(2, Double(min(state.attempt, 10))))
            state.nextTry = now.addingTimeInterval(delay)
            return .waiting(delay: delay, attempt: state.attempt, polls: state.unsaved.count)
        }
        switch next {
        case .ended(let length):
            logger.notice("the state database is writable again; polling resumes", metadata: [
                "outage": "\(Int(length.rounded()))s", "stored": "\(stored.count)",
            ])
        // Once per backoff step while the delay grows, then once every tenth try (ten minutes at the
        // local disk's longest delay, 40 s at a database server's).
        case .waiting(let delay, let attempt, let polls) where delay < longestDelay || attempt % 10 == 0:
            guard let failure else { break }
            logger.warning("the state database still cannot be written; polling stays paused", metadata: [
                "error": "\(failure)", "retry_in": "\(Int(delay))s", "waiting_polls": "\(polls)",
            ])
        case .waiting, .none:
            break
        }
        return stored
    }
}

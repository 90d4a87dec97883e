// SPDX-License-Identifier: MIT
import Foundation
import Synchronization

/// How Feedwatch treats each host (``HostKey``), for every request it makes: at most `perHost`
/// requests in flight, their starts at least `spacing` apart, and the callers waiting for a busy host
/// served by ``Purpose`` (an alert delivery, then an article page, then a feed poll), first come first
/// served within each. ``order(_:url:limit:)`` hands out work so that hosts take turns.
public final class HostPoliteness: Sendable {
    /// Why a request is made; the lower the value, the sooner it starts when its host is busy.
    public enum Purpose: Int, Sendable, CaseIterable {
        /// A webhook delivering an alert: the last step of news the user is waiting for.
        case delivery
        /// An article page: the last step before a story's alert.
        case article
        /// A feed poll: only looks for news.
        case feed
    }

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct Host {
        var running = 0
        /// The earliest start of the next request.
        var nextStart = Date.distantPast
        /// One first-come-first-served line per ``Purpose``.
        var lines: [[Waiter]] = Array(repeating: [], count: Purpose.allCases.count)
        /// A task waits for `nextStart` to let the next waiter in.
        var timerArmed = false

        var waiting: Int { lines.reduce(0) { $0 + $1.count } }
        var isIdle: Bool { running == 0 && !timerArmed && lines.allSatisfy(\.isEmpty) }
    }

    private struct State {
        var hosts: [String: Host] = [:]
        var nextWaiterID: UInt64 = 0
        /// Idle hosts whose spacing has passed are forgotten once the table grows past this; it then
        /// doubles over what is still in use, so that many busy hosts do not make every call sweep it.
        var pruneAt = 10_000
    }

    public let perHost: Int
    public let spacing: Duration
    private let clock: any WallClock
    private let state = Mutex(State())

    public init(perHost: Int, spacing: Duration, clock: any WallClock = SystemClock()) {
        self.perHost = max(1, perHost)
        self.spacing = max(.zero, spacing)
        self.clock = clock
    }

    /// Waits until a request to `host` (a ``HostKey``) may start and counts it as running; every `true`
    /// must be followed by ``finished(_:)``. A cancelled caller stops waiting at once and gets `false`.
    public func admit(_ host: String, purpose: Purpose) async -> Bool {
        if state.withLock({ tryStart(host, in: &$0) }) { return true }
        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let granted = state.withLock { state -> [Waiter] in
                    if Task.isCancelled {
                        continuation.resume(returning: false)
                        return []
                    }
                    state.hosts[host, default: Host()].lines[purpose.rawValue].append(Waiter(id: id, continuation: continuation))
                    return grant(host, in: &state)
                }
                for waiter in granted { waiter.continuation.resume(returning: true) }
            }
        } onCancel: {
            let removed = state.withLock { state -> Waiter? in
                guard var entry = state.hosts[host] else { return nil }
                for line in entry.lines.indices {
                    if let index = entry.lines[line].firstIndex(where: { $0.id == id }) {
                        let waiter = entry.lines[line].remove(at: index)
                        state.hosts[host] = entry
                        return waiter
                    }
                }
                return nil
            }
            removed?.continuation.resume(returning: false)
        }
    }

    /// A request `admit` let start has ended: the next waiter may go.
    public func finished(_ host: String) {
        let granted = state.withLock { state -> [Waiter] in
            state.hosts[host]?.running -= 1
            return grant(host, in: &state)
        }
        for waiter in granted { waiter.continuation.resume(returning: true) }
    }

    /// Starts a request to `host` at once when nobody waits for it, it has room and its spacing has
    /// passed.
    private func tryStart(_ host: String, in state: inout State) -> Bool {
        let now = clock.now
        if state.hosts.count > state.pruneAt {
            state.hosts = state.hosts.filter { !$0.value.isIdle || $0.value.nextStart > now }
            state.pruneAt = max(10_000, state.hosts.count * 2)
        }
        var entry = state.hosts[host] ?? Host()
        guard entry.waiting == 0, entry.running < perHost, entry.nextStart <= now else { return false }
        entry.running += 1
        entry.nextStart = now.advanced(by: spacing)
        state.hosts[host] = entry
        return true
    }

    /// Lets in as many of `host`'s waiters as its room and spacing allow now, and arms a timer for the
    /// next one when only the spacing holds it back. Returns the waiters to resume (outside the lock).
    private func grant(_ host: String, in state: inout State) -> [Waiter] {
        guard var entry = state.hosts[host] else { return [] }
        let now = clock.now
        // A wall clock stepped back must not hold a host for the size of the step.
        if entry.nextStart > now.advanced(by: spacing) { entry.nextStart = now.advanced(by: spacing) }
        var granted: [Waiter] = []
        while entry.running < perHost, entry.nextStart <= now, let line = entry.lines.firstIndex(where: { !$0.isEmpty }) {
            granted.append(entry.lines[line].removeFirst())
            entry.running += 1
            entry.nextStart = now.advanced(by: spacing)
        }
        if entry.running < perHost, entry.waiting > 0, !entry.timerArmed {
            entry.timerArmed = true
            let clock = clock, at = entry.nextStart
            Task { [weak self] in
                try? await clock.sleep(until: at)
                self?.timerFired(host)
            }
        }
        if entry.isIdle && spacing == .zero {
            state.hosts[host] = nil
        } else {
            state.hosts[host] = entry
        }
        return granted
    }

    private func timerFired(_ host: String) {
        let granted = state.withLock { state -> [Waiter] in
            state.hosts[host]?.timerArmed = false
            return grant(host, in: &state)
        }
        for waiter in granted { waiter.continuation.resume(returning: true) }
    }

    /// The first `limit` of `items` in turns: an item that is its host's n-th (counting first the
    /// requests its host has running and waiting) goes after every item that is some host's (n−1)-th;
    /// within a turn, the items keep their order. So one host with many feeds, whose polls would wait
    /// for its spacing, cannot take every poll slot while other hosts stand idle. `host` gives an
    /// item's ``HostKey`` (a caller ordering the same items again and again keeps them).
    public func order<Item>(_ items: [Item], host: (Item) -> String, limit: Int = .max) -> [Item] {
        let hosts = items.map(host)
        // Only the hosts of these items are looked up: the table may remember thousands of others.
        var taken = state.withLock { state in
            var taken: [String: Int] = [:]
            for host in hosts where taken[host] == nil {
                taken[host] = state.hosts[host].map { $0.running + $0.waiting } ?? 0
            }
            return taken
        }
        var turns: [[Item]] = []
        for (item, host) in zip(items, hosts) {
            let turn = taken[host, default: 0]
            taken[host] = turn + 1
            if turn >= turns.count { turns += repeatElement([], count: turn + 1 - turns.count) }
            turns[turn].append(item)
        }
        return Array(turns.joined().prefix(limit))
    }

    /// How many requests wait for `host`.
    public func waitingCount(_ host: String) -> Int { state.withLock { $0.hosts[host]?.waiting ?? 0 } }

    /// How many hosts are remembered.
    public var knownHostCount: Int { state.withLock { $0.hosts.count } }
}

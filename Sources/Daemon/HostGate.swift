// SPDX-License-Identifier: MIT
import Fetching

/// Spaces out request starts to one host: one start per `spacing`. When several callers wait for a
/// host, article pages go before feed polls (a page is the last step before a story's alert, while a
/// poll only looks for news), and each kind goes first come, first served. How many run at once per
/// host is the HTTP client's per-host cap.
actor HostGate {
    /// Why a request is made; the lower the value, the sooner it starts when a host is busy.
    enum Purpose: Int, CaseIterable {
        case article, feed
    }

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct Host {
        /// The earliest start of the next request.
        var nextSlot: ContinuousClock.Instant
        /// Callers waiting, one first-come-first-served line per ``Purpose``.
        var lines: [[Waiter]] = Array(repeating: [], count: Purpose.allCases.count)
        /// A task hands out the slots while anyone waits.
        var granting = false
    }

    private let spacing: Duration
    private var hosts: [String: Host] = [:]
    private var nextWaiterID: UInt64 = 0
    /// Hosts whose slots have passed are forgotten once the table grows past this; it then doubles
    /// over what is still in use, so that many busy hosts do not make every call sweep the table.
    private var pruneAt = 10_000

    init(spacing: Duration) { self.spacing = spacing }

    /// Waits for a slot of `url`'s host (``HostKey``: scheme, host and port). A cancelled caller stops
    /// waiting at once (its request is cancelled anyway).
    func wait(for url: String, purpose: Purpose) async {
        guard spacing > .zero else { return }
        let key = HostKey.of(url)
        let now = ContinuousClock.now
        if hosts.count > pruneAt {
            hosts = hosts.filter { $0.value.granting || $0.value.nextSlot > now }
            pruneAt = max(10_000, hosts.count * 2)
        }
        if let host = hosts[key], host.granting || host.nextSlot > now {
            await waitInLine(key, purpose)
        } else {
            hosts[key] = Host(nextSlot: now + spacing)
        }
    }

    private func waitInLine(_ key: String, _ purpose: Purpose) async {
        nextWaiterID += 1
        let id = nextWaiterID
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                guard !Task.isCancelled, var host = hosts[key] else { return continuation.resume() }
                host.lines[purpose.rawValue].append(Waiter(id: id, continuation: continuation))
                if !host.granting {
                    host.granting = true
                    Task { await self.grant(key) }
                }
                hosts[key] = host
            }
        } onCancel: {
            Task { await self.release(id, of: key) }
        }
    }

    /// Hands `key`'s slots to its waiters, one per `spacing`, until none waits.
    private func grant(_ key: String) async {
        while let slot = hosts[key]?.nextSlot {
            if slot > .now { try? await Task.sleep(until: slot, clock: .continuous) }
            guard let waiter = removeFirstWaiter(of: key) else {
                hosts[key]?.granting = false
                return
            }
            hosts[key]?.nextSlot = max(.now, slot) + spacing
            waiter.continuation.resume()
        }
    }

    private func removeFirstWaiter(of key: String) -> Waiter? {
        guard var host = hosts[key], let line = host.lines.firstIndex(where: { !$0.isEmpty }) else { return nil }
        let waiter = host.lines[line].removeFirst()
        hosts[key] = host
        return waiter
    }

    /// How many callers wait for `url`'s host.
    func waitingCount(for url: String) -> Int {
        hosts[HostKey.of(url)]?.lines.reduce(0) { $0 + $1.count } ?? 0
    }

    /// How many hosts the gate remembers.
    var knownHostCount: Int { hosts.count }

    /// Lets a cancelled caller go without a slot.
    private func release(_ id: UInt64, of key: String) {
        guard var host = hosts[key] else { return }
        for line in host.lines.indices {
            if let index = host.lines[line].firstIndex(where: { $0.id == id }) {
                let waiter = host.lines[line].remove(at: index)
                hosts[key] = host
                waiter.continuation.resume()
                return
            }
        }
    }
}

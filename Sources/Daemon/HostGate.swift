// SPDX-License-Identifier: MIT
import Fetching

/// Spaces out request starts to one host: each caller gets the next free slot, at least `spacing`
/// after the previous one, and sleeps until it. (How many run at once per host is the HTTP client's
/// per-host cap.)
actor HostGate {
    private let spacing: Duration
    private var nextSlot: [String: ContinuousClock.Instant] = [:]

    init(spacing: Duration) { self.spacing = spacing }

    /// Waits for the next slot of `url`'s host (``HostKey``: scheme, host and port).
    func wait(for url: String) async {
        guard spacing > .zero else { return }
        let host = HostKey.of(url)
        let now = ContinuousClock.now
        let slot = max(now, nextSlot[host] ?? now)
        nextSlot[host] = slot + spacing
        if nextSlot.count > 10_000 { nextSlot = nextSlot.filter { $0.value > now } }
        if slot > now { try? await Task.sleep(until: slot, clock: .continuous) }
    }
}

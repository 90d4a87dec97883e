// SPDX-License-Identifier: MIT
import Fetching
import ServiceLifecycle

/// Renews this instance's host leases every third of the lease time (every second while the shared
/// store does not answer); part of the daemon only when the store is a cluster's. On graceful
/// shutdown the store's close hands them back.
struct LeaseKeeper: Service {
    let engine: FeedwatchEngine

    func run() async {
        let clock = engine.clock
        while !Task.isShuttingDownGracefully {
            let next = await engine.renewLeases()
            do {
                try await cancelWhenGracefulShutdown { try await clock.sleep(until: next) }
            } catch {
                return
            }
        }
    }
}

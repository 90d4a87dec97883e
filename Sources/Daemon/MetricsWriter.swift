// SPDX-License-Identifier: MIT
import Fetching
import ServiceLifecycle

/// Rewrites the metrics file (when one is configured) every ``interval``.
struct MetricsWriter: Service {
    let engine: FeedwatchEngine

    static let interval = Duration.seconds(15)

    func run() async {
        let clock = engine.clock
        while !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await clock.sleep(until: clock.now.advanced(by: Self.interval)) }
            } catch {
                return
            }
            await engine.writeMetrics()
        }
    }
}

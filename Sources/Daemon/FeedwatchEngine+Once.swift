// SPDX-License-Identifier: MIT
import Fetching
import Foundation

extension FeedwatchEngine {
    /// What one cycle over the feeds did.
    public struct CycleSummary: Sendable, Equatable {
        public var total = 0
        public var done = 0
        public var failed = 0
        public var newEntries = 0
        public var alerts = 0
        public var delivered = 0

        /// `polled 5 feeds (1 failed): 12 new entries, 2 alerts, 2 delivered`.
        public var line: String {
            "polled \(done) feed\(done == 1 ? "" : "s") (\(failed) failed): \(newEntries) new entries, \(alerts) alerts, \(delivered) delivered"
        }
    }

    /// Polls every due feed (every feed with `all`) once, at most ``maximumConcurrentPolls`` at a
    /// time, then delivers every alert owed. `progress` is called after each feed.
    public func pollOnce(all: Bool, progress: @Sendable (CycleSummary) -> Void = { _ in }) async -> CycleSummary {
        await renewLeases()  // in a cluster, the hosts this instance polls
        let due = takeDueFeeds(at: clock.now, all: all)
        var summary = CycleSummary(total: due.count)
        await withTaskGroup(of: FeedPoller.Outcome.self) { group in
            var pending = due[...]
            func startNext() {
                guard let (feed, record) = pending.popFirst() else { return }
                group.addTask { await self.poll(feed, record) }
                // Every poll has started: the transfer threads close their connections as their last
                // transfers finish (beside the last parses and commits), not the exit, after them.
                if pending.isEmpty { http.closeIdleConnections() }
            }
            for _ in 0..<Self.maximumConcurrentPolls { startNext() }
            for await outcome in group {
                summary.done += 1
                if outcome.failure != nil { summary.failed += 1 }
                summary.newEntries += outcome.newEntries
                summary.alerts += outcome.alerts
                progress(summary)
                startNext()
            }
        }
        summary.delivered = await dispatcher.deliverAll()
        await writeMetrics()
        return summary
    }
}

// SPDX-License-Identifier: MIT
public import ServiceLifecycle

extension FeedwatchEngine {
    /// `feedwatch run` as services for one `ServiceGroup`, each with its own state and woken by its own
    /// events. A graceful shutdown stops them in reverse order: first the scheduler (no new poll, the
    /// running ones finish), last the delivery (what the last polls queued goes out).
    /// A service that returns ends the group: the lease keeper runs only in a cluster.
    public func services(notifier: SystemdNotifier) -> [any Service] {
        let leases: [any Service] = cluster == nil ? [] : [LeaseKeeper(engine: self)]
        return [AlertDelivery(engine: self)] + leases + [
            MetricsWriter(engine: self),
            SystemdReporter(engine: self, notifier: notifier),
            ConfigurationWatcher(engine: self, notifier: notifier),
            PollScheduler(engine: self, notifier: notifier),
        ]
    }
}

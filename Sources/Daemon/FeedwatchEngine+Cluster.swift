// SPDX-License-Identifier: MIT
import Fetching
import Foundation
import Logging
import Glibc
import Store
import Synchronization

/// An instance of a cluster (`store: postgresql://…`) polls only the feeds of hosts it holds a lease
/// on (``PostgresStore/heartbeat(rulesHash:hostname:pid:started:leaseTime:)``): its book holds those
/// feeds alone, with their records as the store has them (another instance may have polled them
/// last). Leases it cannot renew count until they would have run out; then it polls nothing until
/// the store answers again.
extension FeedwatchEngine {
    static var leaseTime: TimeInterval { PostgresStore.leaseTime }

    var cluster: PostgresStore? { store as? PostgresStore }

    /// Of `feeds`, those this instance polls: all of them on its own, those of its leased hosts in a cluster.
    func ownFeeds(_ feeds: [FeedConfiguration]) -> [FeedConfiguration] {
        guard cluster != nil else { return feeds }
        let hosts = leases.withLock { $0.hosts }
        return feeds.filter { hosts.contains(HostKey.of($0.url)) }
    }

    /// Renews the leases (and takes or gives up hosts); returns when to renew next.
    @discardableResult
    func renewLeases() async -> Date {
        guard let cluster else { return .distantFuture }
        let now = clock.now
        // A host let go is handed over once no poll of it runs here any more.
        let busy = Set(book.withLock { $0.inFlight }.map(HostKey.of))
        let handOver = leases.withLock { $0.releasing }.subtracting(busy)
        do {
            let grant = try await cluster.heartbeat(
                rulesHash: rules.digest, hostname: ProcessInfo.processInfo.hostName, pid: Int(getpid()), started: started,
                leaseTime: Self.leaseTime, handOver: handOver)
            let hosts = grant.held
            let (changed, failedSince) = leases.withLock { leases in
                defer {
                    leases.hosts = hosts
                    leases.releasing = leases.releasing.subtracting(handOver).union(grant.releasing).subtracting(hosts)
                    leases.validUntil = now.addingTimeInterval(Self.leaseTime - 1)
                    leases.failingSince = nil
                }
                return (leases.hosts != hosts, leases.failingSince)
            }
            if let failedSince {
                logger.notice("the shared store answers again; host leases renewed",
                              metadata: ["outage": "\(Int(now.timeIntervalSince(failedSince).rounded()))s", "hosts": "\(hosts.count)"])
            }
            if changed { await adoptLeasedFeeds() }
            return now.addingTimeInterval(Self.leaseTime / 3)
        } catch {
            let (first, lost) = leases.withLock { leases in
                defer { if leases.failingSince == nil { leases.failingSince = now } }
                let lost = now >= leases.validUntil && !leases.hosts.isEmpty
                if now >= leases.validUntil { leases.releasing = [] }
                if lost { leases.hosts = [] }
                return (leases.failingSince == nil, lost)
            }
            if first {
                logger.error("cannot renew the host leases; polling goes on until they run out", metadata: ["error": "\(error)"])
            }
            if lost {
                logger.warning("the host leases ran out while the shared store did not answer; polling is paused until it does")
                await adoptLeasedFeeds()
            }
            return now.addingTimeInterval(1)
        }
    }

    /// Puts the feeds of the leased hosts in the book, with their records as the store has them
    /// (read for those hosts alone).
    private func adoptLeasedFeeds() async {
        let feeds = ownFeeds(configuration.feeds)
        var records = book.withLock { $0.records }
        if !feeds.isEmpty, let cluster, let fresh = try? await cluster.feeds(onHosts: leases.withLock { $0.hosts }) {
            for record in fresh { records[record.configuredURL] = record }
        }
        book.withLock { $0.reload(feeds: feeds, records: records) }
        feedsChanged.signal()
        statusChanged.signal()
    }
}

/// This instance's host leases, as last renewed.
struct HostLeases {
    var hosts: Set<String> = []
    /// Hosts let go, still leased until their polls here have ended.
    var releasing: Set<String> = []
    /// Until when the leases held count without a renewal.
    var validUntil = Date.distantPast
    /// Since when renewals fail.
    var failingSince: Date?
}

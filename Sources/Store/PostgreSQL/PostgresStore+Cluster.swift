// SPDX-License-Identifier: MIT
public import Foundation
import PostgresNIO

/// An instance of the cluster, as `feedwatch status` lists it.
public struct ClusterInstance: Sendable, Equatable {
    public var id: String
    public var hostname: String
    public var pid: Int
    public var started: Date
    public var heartbeat: Date
    public var rulesHash: String
    /// Hosts it holds a lease on.
    public var hosts: Int
    /// Its heartbeat is within the lease time and it did not stop.
    public var alive: Bool
}

/// Host leases: each feed host is polled by one instance at a time, so per-host politeness holds
/// across the cluster. Every instance renews its leases and rebalances in one transaction per
/// heartbeat (every third of the lease time), serialised by an advisory lock: hosts free or expired
/// are taken by an instance below its fair share (the feeds of all hosts over the live instances,
/// rounded up), and an instance above it lets hosts go down to its share, so hosts move when
/// instances join or leave. Letting go takes two steps: a host is first `releasing` (still leased, no
/// longer polled), and handed over at a later heartbeat once its last polls have ended, so that the
/// next holder's first request never comes close to the last one's. A dead instance's leases run
/// out after the lease time and are taken at the next heartbeat of another: within twice the lease
/// time.
extension PostgresStore {
    /// How long a host lease lasts unless renewed (renewed every third of it).
    public static let leaseTime: TimeInterval = 15

    /// What a heartbeat leaves an instance with.
    public struct LeaseGrant: Sendable, Equatable {
        /// The hosts to poll.
        public var held: Set<String>
        /// The hosts to stop polling and to hand over (``heartbeat(rulesHash:hostname:pid:started:leaseTime:handOver:)``)
        /// once their polls have ended.
        public var releasing: Set<String>
    }

    /// Hands over `handOver` (hosts released earlier whose polls have ended), renews this instance's
    /// heartbeat and leases, rebalances, and says which hosts it now polls and which it lets go.
    public func heartbeat(
        rulesHash: String, hostname: String, pid: Int, started: Date, leaseTime: TimeInterval, handOver: Set<String> = []
    ) async throws(StoreError) -> LeaseGrant {
        let handOver = Array(handOver)
        let instance = instance
        return try await transaction("renewing the host leases") { connection in
            @discardableResult func run(_ query: PostgresQuery) async throws -> PostgresRowSequence { try await connection.query(query, logger: Self.quiet) }
            try await run("SELECT pg_advisory_xact_lock(\(Self.leaseLock))")
            try await run("""
                INSERT INTO instance (id, hostname, pid, started, heartbeat, rules_hash) VALUES
                    (\(instance), \(hostname), \(pid), \(started.timeIntervalSince1970), \(unescaped: Self.databaseNow), \(rulesHash))
                ON CONFLICT (id) DO UPDATE SET hostname = EXCLUDED.hostname, pid = EXCLUDED.pid, started = EXCLUDED.started,
                    heartbeat = EXCLUDED.heartbeat, rules_hash = EXCLUDED.rules_hash, stopped = FALSE
                """)
            if !handOver.isEmpty {
                try await run("DELETE FROM host_lease WHERE instance = \(instance) AND host = ANY(\(handOver)::text[])")
            }
            try await run("UPDATE host_lease SET expires = \(unescaped: Self.databaseNow) + \(leaseTime) WHERE instance = \(instance)")
            var live = 0
            for try await count in try await run("""
                SELECT COUNT(*) FROM instance WHERE NOT stopped AND heartbeat > \(unescaped: Self.databaseNow) - \(leaseTime)
                """).decode(Int.self) {
                live = count
            }
            var weights: [String: Int] = [:]
            for try await (host, feeds) in try await run("SELECT host, COUNT(*) FROM feed WHERE retired_at IS NULL GROUP BY host").decode((String, Int).self) {
                weights[host] = feeds
            }
            var owners: [String: String] = [:]
            for try await (host, owner) in try await run("""
                SELECT host, instance FROM host_lease WHERE expires > \(unescaped: Self.databaseNow)
                """).decode((String, String).self) {
                owners[host] = owner
            }
            let plan = LeasePlan(instance: instance, live: max(live, 1), weights: weights, owners: owners)
            if !plan.take.isEmpty {
                try await run("""
                    INSERT INTO host_lease (host, instance, expires)
                    SELECT h, \(instance), \(unescaped: Self.databaseNow) + \(leaseTime) FROM unnest(\(plan.take)::text[]) AS h
                    ON CONFLICT (host) DO UPDATE SET instance = EXCLUDED.instance, expires = EXCLUDED.expires
                    """)
            }
            return LeaseGrant(held: plan.held, releasing: Set(plan.release))
        }
    }

    /// The instances that ever joined, the live first, with the hosts each holds.
    public func instances(leaseTime: TimeInterval) async throws(StoreError) -> [ClusterInstance] {
        try await run("reading the instances") { client in
            var instances: [ClusterInstance] = []
            let rows = try await client.query("""
                SELECT i.id, i.hostname, i.pid, i.started, i.heartbeat, i.rules_hash,
                    (SELECT COUNT(*) FROM host_lease l WHERE l.instance = i.id AND l.expires > \(unescaped: Self.databaseNow)),
                    NOT i.stopped AND i.heartbeat > \(unescaped: Self.databaseNow) - \(leaseTime)
                FROM instance i ORDER BY i.heartbeat DESC
                """)
            for try await (id, hostname, pid, started, heartbeat, rulesHash, hosts, alive) in rows.decode((String, String, Int, Double, Double, String, Int, Bool).self) {
                instances.append(ClusterInstance(
                    id: id, hostname: hostname, pid: pid, started: Date(timeIntervalSince1970: started),
                    heartbeat: Date(timeIntervalSince1970: heartbeat), rulesHash: rulesHash, hosts: hosts, alive: alive))
            }
            return instances.sorted { $0.alive && !$1.alive }
        }
    }

    /// The advisory lock heartbeats take ("leases" in ASCII).
    static let leaseLock: Int64 = 0x6C65_6173_6573
}

/// One heartbeat's decision for one instance: the hosts to take and the one to let go.
struct LeasePlan {
    private(set) var take: [String] = []
    private(set) var release: [String] = []
    private(set) var held: Set<String>

    /// `weights`: feeds per host; `owners`: the current holder of each host whose lease has not run out.
    init(instance: String, live: Int, weights: [String: Int], owners: [String: String]) {
        let total = weights.values.reduce(0, +)
        let share = (total + live - 1) / live
        held = Set(owners.filter { $0.value == instance && weights[$0.key] != nil }.keys)
        var load = held.reduce(0) { $0 + (weights[$1] ?? 0) }
        // Free hosts, heaviest first (then by name, so instances agree on the order).
        let free = weights.filter { owners[$0.key] == nil }.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
        for (host, weight) in free where load < share {
            take.append(host)
            held.insert(host)
            load += weight
        }
        // Above the share by whole hosts: the lightest go, for instances below their share to take.
        guard take.isEmpty else { return }
        for host in held.sorted(by: { (weights[$0] ?? 0, $0) < (weights[$1] ?? 0, $1) }) {
            let weight = weights[host] ?? 0
            guard load - weight >= share, held.count > 1 else { break }
            release.append(host)
            held.remove(host)
            load -= weight
        }
    }
}

// SPDX-License-Identifier: MIT
import Foundation
import Store

/// `status` of a cluster: its instances, and a warning when the live ones run different rules.
extension StatusCommand {
    static func instancesReport(_ instances: [ClusterInstance], location: PostgresLocation, now: Date) -> String {
        let live = instances.filter(\.alive)
        var out = "cluster on \(location): \(live.count) instance\(live.count == 1 ? "" : "s") running\n"
        for instance in instances {
            let seen = Int(now.timeIntervalSince(instance.heartbeat).rounded())
            out += "  \(instance.hostname) pid \(instance.pid) (instance \(instance.id.prefix(8))): "
            out += instance.alive
                ? "started \(time(instance.started)), \(instance.hosts) host\(instance.hosts == 1 ? "" : "s") leased, last heartbeat \(seen) s ago\n"
                : "gone (last heartbeat \(time(instance.heartbeat)))\n"
        }
        if let warning = rulesWarning(live) { out += warning + "\n" }
        return out
    }

    /// The live instances' rules files differ: each alerts on its own rules for the hosts it polls.
    static func rulesWarning(_ live: [ClusterInstance]) -> String? {
        let digests = Dictionary(grouping: live, by: \.rulesHash)
        guard digests.count > 1 else { return nil }
        let groups = digests.sorted { $0.value.count > $1.value.count }.map { digest, members in
            "rules \(digest.prefix(8)) on \(members.map { "\($0.hostname) pid \($0.pid)" }.joined(separator: ", "))"
        }
        return "warning: the instances run different rules (\(groups.joined(separator: "; "))): each alerts only on its own rules "
            + "for the hosts it polls; give them the same rules file"
    }

    static func instancesJSON(_ instances: [ClusterInstance]) -> String {
        let objects: [[String: Any]] = instances.map { instance in
            ["id": instance.id, "hostname": instance.hostname, "pid": instance.pid, "started": time(instance.started),
             "last_heartbeat": time(instance.heartbeat), "hosts_leased": instance.hosts, "alive": instance.alive,
             "rules_hash": instance.rulesHash]
        }
        var object: [String: Any] = ["instances": objects]
        if let warning = rulesWarning(instances.filter(\.alive)) { object["warning"] = warning }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

// SPDX-License-Identifier: MIT
import Foundation

/// An instance's stable identity in a cluster: a random id kept in its state directory
/// (`instance-id`), so that an instance restarted after a crash owns the outbox claims and leases it
/// held. Two instances must not share a state directory.
public enum InstanceIdentity {
    public static let fileName = "instance-id"

    /// The id kept in `directory`, made and kept there on first use.
    public static func load(in directory: String) throws(StoreError) -> String {
        let path = (directory as NSString).appendingPathComponent(fileName)
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            let id = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !id.isEmpty { return id }
        }
        let id = UUID().uuidString.lowercased()
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try (id + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw StoreError("cannot keep this instance's identity in \(path): \((error as NSError).localizedDescription)", cannotOpen: true)
        }
        return id
    }
}

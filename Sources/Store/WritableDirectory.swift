// SPDX-License-Identifier: MIT
import Foundation
import Glibc

/// Whether a directory can hold files Feedwatch writes, checked before anything is written there, with
/// the fix in the answer: a directory that is not writable (by this user, or on a read-only mount), and,
/// for the state database, a network file system, where SQLite's locks and its shared-memory index are
/// not reliable and two processes can corrupt the database.
public enum WritableDirectory {
    /// Why files cannot be created in `directory` (or in the ancestor it would be created in), or `nil`
    /// when they can. `forDatabase`: also refuse network file systems.
    public static func problem(_ directory: String, forDatabase: Bool) -> String? {
        var existing = directory.isEmpty ? "." : directory
        while !FileManager.default.fileExists(atPath: existing) {
            let parent = (existing as NSString).deletingLastPathComponent
            if parent == existing || parent.isEmpty { break }
            existing = parent
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: existing, isDirectory: &isDirectory), isDirectory.boolValue else {
            return "\(existing) is not a directory"
        }
        var info = statvfs()
        if statvfs(existing, &info) == 0 && info.f_flag & UInt(ST_RDONLY) != 0 {
            return "\(existing) is on a read-only file system; choose a state_dir on a writable one (under systemd, StateDirectory=feedwatch provides /var/lib/feedwatch)"
        }
        if access(existing, W_OK | X_OK) != 0 {
            return "\(existing) is not writable by user \(userName()); give it to that user (chown -R \(userName()) \(existing)) or choose another directory"
        }
        if forDatabase, let mount = mount(containing: existing), isNetwork(mount.type) {
            return "\(existing) is on a network file system (\(mount.type), mounted at \(mount.point)), where SQLite's file locks are unreliable and the state database can be corrupted; put state_dir on a local disk"
        }
        if forDatabase {
            for suffix in ["", "-wal", "-shm"] {
                let file = SQLiteStore.databasePath(in: directory) + suffix
                if FileManager.default.fileExists(atPath: file) && access(file, R_OK | W_OK) != 0 {
                    return "\(file) is not writable by user \(userName()) (was feedwatch run as another user?); chown \(userName()) \(SQLiteStore.databasePath(in: directory))*"
                }
            }
        }
        return nil
    }

    /// File system types whose locking SQLite cannot trust (its documentation: "SQLite over a network").
    static func isNetwork(_ type: String) -> Bool {
        let networked: Set<String> = [
            "nfs", "nfs4", "cifs", "smb", "smb3", "smbfs", "9p", "ceph", "glusterfs", "afs", "coda", "ncpfs",
            "lustre", "davfs", "fuse.sshfs", "fuse.s3fs", "fuse.rclone", "fuse.gcsfuse", "fuse.glusterfs",
            "fuse.davfs2", "fuse.goofys", "fuse.juicefs", "fuse.cephfs", "fuse.smbnetfs",
        ]
        return networked.contains(type)
    }

    /// The mount `path` is on, from `/proc/self/mountinfo`.
    static func mount(containing path: String) -> (point: String, type: String)? {
        guard let table = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return nil }
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        return mount(containing: resolved, in: table)
    }

    /// The mount of `mountinfo` (the kernel's table, proc(5)) with the longest mount point that holds
    /// `path`; the last such line wins, as a later mount covers an earlier one.
    static func mount(containing path: String, in mountinfo: String) -> (point: String, type: String)? {
        var best: (point: String, type: String)?
        for line in mountinfo.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            // id parent major:minor root mount-point options [optional fields…] - type source super-options
            guard fields.count > 6, let separator = fields.firstIndex(of: "-"), separator + 1 < fields.count else { continue }
            let point = unescape(fields[4])
            let type = String(fields[separator + 1])
            let holds = point == "/" || path == point || path.hasPrefix(point + "/")
            if holds && point.count >= (best?.point.count ?? 0) { best = (point, type) }
        }
        return best
    }

    /// Mount points in mountinfo write space, tab, newline and backslash as octal escapes (`\040`).
    private static func unescape(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var bytes: [UInt8] = []
        var rest = Array(field.utf8)[...]
        while let byte = rest.popFirst() {
            if byte == UInt8(ascii: "\\"), rest.count >= 3, let value = UInt8(String(decoding: rest.prefix(3), as: UTF8.self), radix: 8) {
                bytes.append(value)
                rest = rest.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func userName() -> String {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "uid \(geteuid())" }
        return String(cString: name)
    }
}

// SPDX-License-Identifier: MIT
import Foundation
import Glibc

/// A size-limited tmpfs that only this test's processes see. A holder process in a mount namespace of
/// its own (and a user namespace when the tests do not run as root, so no privilege is needed) keeps it
/// mounted until the test ends; programs run inside with `nsenter`, and the test reaches the files
/// through `/proc/<holder>/root`. The file system is gone with the holder: nothing is left mounted.
final class SmallFileSystem {
    /// Where programs inside see the file system.
    let mountPoint: String
    private let holder = Process()
    private let release = Pipe()
    private let unprivileged = getuid() != 0

    init(at mountPoint: String, size: String) throws {
        self.mountPoint = mountPoint
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        // The holder mounts, says so, and waits for its stdin to close: when the test ends, however it ends.
        holder.arguments = (unprivileged ? ["--user", "--map-root-user"] : []) + [
            "--mount", "--propagation", "private", "/bin/sh", "-c",
            "mount -t tmpfs -o size=\(size),mode=0755 feedwatch-test \"$0\" && echo mounted && read _", mountPoint,
        ]
        let said = Pipe()
        holder.standardInput = release
        holder.standardOutput = said
        try holder.run()
        let line = String(decoding: said.fileHandleForReading.availableData, as: UTF8.self)
        guard line.hasPrefix("mounted") else { throw POSIXError(.EPERM) }
    }

    deinit {
        try? release.fileHandleForWriting.close()
        holder.waitUntilExit()
    }

    /// The path of `relative` in the file system, as the test reaches it.
    func path(_ relative: String) -> String { "/proc/\(holder.processIdentifier)/root\(mountPoint)/\(relative)" }

    /// Arguments that run `program arguments…` inside the file system's namespace.
    func inside(_ program: String, _ arguments: [String]) -> (executable: URL, arguments: [String]) {
        let enter = ["--target", "\(holder.processIdentifier)", "--mount"] + (unprivileged ? ["--user", "--preserve-credentials"] : [])
        return (URL(fileURLWithPath: "/usr/bin/nsenter"), enter + [program] + arguments)
    }

    /// Mounts the file system again with other options: `size=128m` (space found), `ro`.
    func remount(_ options: String) throws {
        let (executable, arguments) = inside("/bin/mount", ["-o", "remount,\(options)", mountPoint])
        let process = try Process.run(executable, arguments: arguments)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw POSIXError(.EIO) }
    }

    /// Fills the free space with a file of its own, to the last byte the file system gives, then gives
    /// back `leaving` bytes; the bytes the file holds.
    @discardableResult
    func fill(_ name: String = "filler", leaving: Int = 0) -> Int {
        let descriptor = open(path(name), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return 0 }
        defer { close(descriptor) }
        let block = [UInt8](repeating: 0x5A, count: 1 << 20)
        var total = 0
        for size in [1 << 20, 1 << 16, 1 << 12, 1 << 8, 1] {
            while true {
                let written = block.withUnsafeBytes { write(descriptor, $0.baseAddress, size) }
                guard written > 0 else { break }
                total += written
            }
        }
        total = max(0, total - leaving)
        ftruncate(descriptor, off_t(total))
        return total
    }

    /// Frees what ``fill(_:)`` took.
    func free(_ name: String = "filler") { unlink(path(name)) }

    /// Bytes free, as `statvfs` counts them.
    var available: Int {
        var info = statvfs()
        guard statvfs(path(""), &info) == 0 else { return -1 }
        return Int(info.f_bavail) * Int(info.f_frsize)
    }
}

// SPDX-License-Identifier: MIT
import Foundation
import Glibc
import Synchronization

/// `feedwatch run` (or any long-running subcommand) as a child process whose output the test reads
/// while it runs, and signals at will.
final class DaemonProcess {
    let process = Process()
    let stdoutPath: String
    let stderrPath: String

    /// Starts `feedwatch arguments…`; inside `fileSystem`'s namespace when one is given; standard output
    /// appended to `standardOutput` when given, else to a new file in `directory`.
    init(_ arguments: [String], environment: [String: String] = [:], directory: String, inside fileSystem: SmallFileSystem? = nil,
         standardOutput: String? = nil) throws {
        stdoutPath = standardOutput ?? directory + "/daemon-\(UUID().uuidString).out"
        stderrPath = directory + "/daemon-\(UUID().uuidString).err"
        if standardOutput == nil { _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil) }
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        if let fileSystem {
            (process.executableURL, process.arguments) = fileSystem.inside(FeedwatchProcess.binary.path, arguments)
        } else {
            process.executableURL = FeedwatchProcess.binary
            process.arguments = arguments
        }
        var env = ProcessInfo.processInfo.environment
        for key in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM", "STATE_DIRECTORY", "LOGS_DIRECTORY", "CONFIGURATION_DIRECTORY"] {
            env.removeValue(forKey: key)
        }
        env.merge(environment) { $1 }
        process.environment = env
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        try output.seekToEnd()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    var isRunning: Bool { process.isRunning }

    /// Waits for the process to end; its exit status, or `nil` if it was still running after `timeout`.
    func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }
}

/// Waits until `condition` holds, checking every 50 ms; false on timeout.
func eventually(timeout: Duration = .seconds(15), _ condition: () throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try condition()
}

/// A datagram socket that plays systemd's notify socket: every message the daemon sends is kept.
final class NotifySocket: Sendable {
    let path: String
    private let descriptor: Int32
    private let received = Mutex<[String]>([])

    init(directory: String) throws {
        path = directory + "/notify.sock"
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        let thread = Thread { [self] in receive() }
        thread.start()
    }

    deinit { close(descriptor) }

    var messages: [String] { received.withLock { $0 } }

    /// Whether some message holds the line `line` (`READY=1`, `STOPPING=1`, …).
    func has(_ line: String) -> Bool { messages.contains { $0.split(separator: "\n").contains { $0 == line } } }

    func count(_ line: String) -> Int { messages.filter { $0.split(separator: "\n").contains { $0 == line } }.count }

    private func receive() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(descriptor, &buffer, buffer.count, 0)
            guard n > 0 else { return }
            let message = String(decoding: buffer[..<n], as: UTF8.self)
            received.withLock { $0.append(message) }
        }
    }
}

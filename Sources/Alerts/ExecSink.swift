// SPDX-License-Identifier: MIT
import Foundation
import Glibc

/// Runs a program for each alert: argv as configured (no shell), the alert's JSON line on stdin, and
/// `FEEDWATCH_RULE`, `FEEDWATCH_URL`, `FEEDWATCH_TITLE` in its environment. Exit status 0 is delivery;
/// anything else, or running past the timeout (then SIGTERM, and SIGKILL 2 s later), is a failure
/// that carries the end of the program's stderr.
public struct ExecSink: AlertSink {
    public let name: String
    public let command: [String]
    public let timeout: Duration
    public let maximumAttempts: Int?

    public init(name: String, command: [String], timeout: Duration, maximumAttempts: Int) {
        self.name = name
        self.command = command
        self.timeout = timeout
        self.maximumAttempts = maximumAttempts
        _ = Self.ignoreBrokenPipes
    }

    /// A program that exits without reading its stdin must fail the write, not end the daemon.
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    public func deliver(_ alerts: [Alert]) async -> DeliveryReport {
        var delivered: [String] = []
        for alert in alerts {
            if let problem = await run(alert) {
                return DeliveryReport(delivered: delivered, failure: DeliveryFailure(id: alert.id, message: "\(name): \(problem)"))
            }
            delivered.append(alert.id)
        }
        return DeliveryReport(delivered: delivered)
    }

    /// Runs the command for one alert; `nil` on success, else what went wrong.
    private func run(_ alert: Alert) async -> String? {
        guard let program = command.first, let executable = Self.resolve(program) else {
            return "program '\(command.first ?? "")' not found (give a path, or put it on PATH)"
        }
        var environment = ProcessInfo.processInfo.environment
        environment["FEEDWATCH_RULE"] = alert.rule
        environment["FEEDWATCH_URL"] = alert.entry.url ?? ""
        environment["FEEDWATCH_TITLE"] = alert.entry.title ?? ""
        // stderr goes to an unlinked file, not a pipe: a child the program leaves running may hold it.
        let errorPath = NSTemporaryDirectory() + "feedwatch-exec-\(UUID().uuidString).stderr"
        let errorFile = open(errorPath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard errorFile >= 0 else { return "cannot create a file for the program's stderr in \(NSTemporaryDirectory())" }
        unlink(errorPath)
        defer { close(errorFile) }
        let pid: pid_t
        switch Self.spawn(executable, arguments: command, environment: environment, stderr: errorFile, input: Array((alert.jsonLine + "\n").utf8)) {
        case .success(let spawned): pid = spawned
        case .failure(let error): return "cannot start \(executable): \(error.reason)"
        }
        let (status, killed) = await Self.wait(pid, timeout: timeout)
        let stderrTail = String(decoding: Self.tail(of: errorFile, bytes: 300), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if killed { return "timed out after \(timeout) and was stopped" }
        let signal = status & 0x7F
        let exitStatus = (status >> 8) & 0xFF
        guard signal == 0, exitStatus == 0 else {
            let how = signal == 0 ? "exited with status \(exitStatus)" : "was killed by signal \(signal)"
            return how + (stderrTail.isEmpty ? "" : ": \(stderrTail)")
        }
        return nil
    }

    struct SpawnError: Error { let reason: String }

    /// Starts `executable` with `input` on its stdin, stdout on /dev/null and stderr on `stderr`.
    /// posix_spawn, not Foundation's Process, whose exit notice waits for every descendant.
    private static func spawn(
        _ executable: String, arguments: [String], environment: [String: String], stderr: Int32, input: [UInt8]
    ) -> Result<pid_t, SpawnError> {
        var pipeEnds: [Int32] = [-1, -1]
        guard pipe(&pipeEnds) == 0 else { return .failure(SpawnError(reason: errorText())) }
        for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[0], 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        // The program gets none of the daemon's other descriptors (database, sockets, alert files).
        _ = glibcSpawnAddCloseFrom(&actions, 3)
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        var result = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        // ETXTBSY: a program file just written is still open in a child another thread is starting.
        for _ in 0..<10 where result == ETXTBSY {
            usleep(20_000)
            result = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        }
        close(pipeEnds[0])
        guard result == 0 else {
            close(pipeEnds[1])
            return .failure(SpawnError(reason: errorText(result)))
        }
        // A program that exits without reading its input is not an error of the write (EPIPE).
        _ = input.withUnsafeBufferPointer { writeFully($0, to: pipeEnds[1]) }
        close(pipeEnds[1])
        return .success(pid)
    }

    /// Waits for `pid` on a Dispatch thread (a busy cooperative pool cannot let it overrun); past
    /// `timeout`, SIGTERM, then SIGKILL 2 s later. Returns the wait status and whether it was stopped.
    private static func wait(_ pid: pid_t, timeout: Duration) async -> (status: Int32, killed: Bool) {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                func reaped(within limit: Duration) -> Int32? {
                    let deadline = ContinuousClock.now + limit
                    var status: Int32 = 0
                    while true {
                        let result = waitpid(pid, &status, WNOHANG)
                        if result == pid || (result < 0 && errno != EINTR) { return status }
                        if ContinuousClock.now >= deadline { return nil }
                        usleep(5_000)
                    }
                }
                if let status = reaped(within: timeout) {
                    continuation.resume(returning: (status, false))
                    return
                }
                kill(pid, SIGTERM)
                if reaped(within: .seconds(2)) == nil {
                    kill(pid, SIGKILL)
                    var status: Int32 = 0
                    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                }
                continuation.resume(returning: (0, true))
            }
        }
    }

    /// The last `bytes` of the open file `descriptor`.
    private static func tail(of descriptor: Int32, bytes: Int) -> [UInt8] {
        let end = lseek(descriptor, 0, SEEK_END)
        guard end > 0 else { return [] }
        let start = max(0, end - off_t(bytes))
        var buffer = [UInt8](repeating: 0, count: Int(end - start))
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, start) }
        return count > 0 ? Array(buffer[0..<count]) : []
    }

    /// `program` itself when it holds a slash, else the first executable of that name on `PATH`.
    public static func resolve(_ program: String) -> String? {
        if program.contains("/") { return access(program, X_OK) == 0 ? program : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which Swift's Glibc module does not
/// import (it needs `_GNU_SOURCE`).
@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func glibcSpawnAddCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32

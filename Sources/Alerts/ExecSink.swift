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

    public func deliver(_ alerts: [OutgoingAlert]) async -> DeliveryReport {
        var delivered: [String] = []
        for alert in alerts {
            if let problem = await run(alert) {
                return DeliveryReport(delivered: delivered, failure: DeliveryFailure(id: alert.id, message: "\(name): \(problem)"))
            }
            delivered.append(alert.id)
        }
        return DeliveryReport(delivered: delivered)
    }

    public func reopen() async {}

    /// Runs the command for one alert; `nil` on success, else what went wrong.
    private func run(_ alert: OutgoingAlert) async -> String? {
        guard let program = command.first, let executable = Self.resolve(program) else {
            return "program '\(command.first ?? "")' not found (give a path, or put it on PATH)"
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(command.dropFirst())
        var environment = ProcessInfo.processInfo.environment
        let parsed = try? Alert(jsonLine: alert.json)
        environment["FEEDWATCH_RULE"] = parsed?.rule ?? ""
        environment["FEEDWATCH_URL"] = parsed?.entry.url ?? ""
        environment["FEEDWATCH_TITLE"] = parsed?.entry.title ?? ""
        process.environment = environment
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        do {
            try process.run()
        } catch {
            return "cannot start \(executable): \(error.localizedDescription)"
        }
        // A program that exits without reading its input is not an error of the write.
        try? input.fileHandleForWriting.write(contentsOf: Data((alert.json + "\n").utf8))
        try? input.fileHandleForWriting.close()
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var killed = false
        while process.isRunning {
            if clock.now > deadline && !killed {
                process.terminate()
                killed = true
                Task {
                    try? await Task.sleep(for: .seconds(2))
                    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                }
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        let stderrTail = String(decoding: (try? errors.fileHandleForReading.readToEnd())?.suffix(300) ?? Data(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if killed { return "timed out after \(timeout) and was stopped" }
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let how = process.terminationReason == .exit ? "exited with status \(process.terminationStatus)" : "was killed by signal \(process.terminationStatus)"
            return how + (stderrTail.isEmpty ? "" : ": \(stderrTail)")
        }
        return nil
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

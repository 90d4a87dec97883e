// SPDX-License-Identifier: MIT
import Alerts
import Foundation
import Glibc
import Store

extension Configuration {
    /// What the machine must provide for this configuration to work, checked now: the state
    /// directory and each file sink's directory writable (or creatable), each exec sink's program
    /// there and executable. The file itself was validated when it was loaded.
    public func environmentProblems() -> [ConfigurationError] {
        var problems: [ConfigurationError] = []
        if let reason = WritableDirectory.problem(stateDirectory, forDatabase: true) {
            problems.append(ConfigurationError(file: file, line: 1, column: 1, message: "state directory \(stateDirectory): \(reason)"))
        }
        for sink in sinks {
            switch sink.kind {
            case .file(let path):
                if let reason = Self.unwritableFile(path) {
                    problems.append(ConfigurationError(file: file, line: sink.line, column: 5, message: "sink '\(sink.name)': \(path): \(reason)"))
                }
            case .exec(let command):
                if let program = command.first, ExecSink.resolve(program) == nil {
                    let hint = program.contains("/") ? "it does not exist or is not executable" : "no executable of that name on PATH; give its full path"
                    problems.append(ConfigurationError(file: file, line: sink.line, column: 5, message: "sink '\(sink.name)': program '\(program)': \(hint)"))
                }
            case .stdout, .webhook:
                continue
            }
        }
        return problems
    }

    /// Why a file cannot be appended to at `path`, or `nil` when it can (or can be created).
    static func unwritableFile(_ path: String) -> String? {
        if FileManager.default.fileExists(atPath: path) {
            return access(path, W_OK) == 0 ? nil : "not writable by this user"
        }
        return WritableDirectory.problem((path as NSString).deletingLastPathComponent, forDatabase: false)
    }
}

// SPDX-License-Identifier: MIT
import Alerts
import Foundation
import Glibc

extension Configuration {
    /// What the machine must provide for this configuration to work, checked now: the state
    /// directory and each file sink's directory writable (or creatable), each exec sink's program
    /// there and executable. The file itself was validated when it was loaded.
    public func environmentProblems() -> [ConfigurationError] {
        var problems: [ConfigurationError] = []
        if let reason = Self.unwritableDirectory(stateDirectory) {
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
        return unwritableDirectory((path as NSString).deletingLastPathComponent)
    }

    /// Why files cannot be created in `directory` (made first if missing), or `nil` when they can.
    static func unwritableDirectory(_ directory: String) -> String? {
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
        return access(existing, W_OK | X_OK) == 0 ? nil : "\(existing) is not writable by this user"
    }
}

// SPDX-License-Identifier: MIT
import Foundation
import Testing

/// `make install` and `make uninstall` into a DESTDIR, with the binary the tests built.
@Suite struct InstallTests {
    let root = NSTemporaryDirectory() + "feedwatch-install-\(UUID().uuidString)"
    static let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    private func make(_ target: String, prefix: String = "/usr/local") throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["make", "-s", "-C", Self.checkout, target, "DESTDIR=\(root)", "PREFIX=\(prefix)", "BUILD=:", "MANUAL=:",
                             "BINARY=\(FeedwatchProcess.binary.path)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    private func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: root + path)[.posixPermissions] as? Int).map { $0 & 0o777 }
    }

    @Test func installsTheTreeKeepsAnEditedConfigurationAndUninstalls() throws {
        let installed = try make("install", prefix: "/opt/feedwatch")
        #expect(installed.status == 0, "\(installed.output)")
        #expect(mode("/opt/feedwatch/bin/feedwatch") == 0o755)
        #expect(mode("/opt/feedwatch/lib/systemd/system/feedwatch.service") == 0o644)
        #expect(mode("/etc/logrotate.d/feedwatch") == 0o644)
        let bash = try String(contentsOfFile: root + "/opt/feedwatch/share/bash-completion/completions/feedwatch", encoding: .utf8)
        #expect(bash.contains("feedwatch") && bash.contains("tail"))
        #expect(FileManager.default.fileExists(atPath: root + "/opt/feedwatch/share/zsh/site-functions/_feedwatch"))
        #expect(FileManager.default.fileExists(atPath: root + "/opt/feedwatch/share/fish/vendor_completions.d/feedwatch.fish"))
        let unit = try String(contentsOfFile: root + "/opt/feedwatch/lib/systemd/system/feedwatch.service", encoding: .utf8)
        #expect(unit.contains("\nExecStart=/opt/feedwatch/bin/feedwatch run\n"))
        #expect(unit.contains("\nType=notify\n") && unit.contains("\nDynamicUser=yes\n"))

        // The configuration it installs suits systemd: state and alerts in the service's directories.
        let config = root + "/etc/feedwatch/feedwatch.yaml"
        let text = try String(contentsOfFile: config, encoding: .utf8)
        #expect(!text.contains("state_dir:") && !text.contains("path: alerts.jsonl"))
        let check = try FeedwatchProcess.run(
            ["check", "--config", config],
            environment: ["STATE_DIRECTORY": "/var/lib/feedwatch", "LOGS_DIRECTORY": "/var/log/feedwatch", "CONFIGURATION_DIRECTORY": root + "/etc/feedwatch"])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(FileManager.default.fileExists(atPath: root + "/etc/feedwatch/rules.conf"))

        // A second install leaves the administrator's edits alone.
        try (text + "# edited\n").write(toFile: config, atomically: true, encoding: .utf8)
        #expect(try make("install", prefix: "/opt/feedwatch").status == 0)
        #expect(try String(contentsOfFile: config, encoding: .utf8).hasSuffix("# edited\n"))

        let removed = try make("uninstall", prefix: "/opt/feedwatch")
        #expect(removed.status == 0)
        #expect(!FileManager.default.fileExists(atPath: root + "/opt/feedwatch/bin/feedwatch"))
        #expect(!FileManager.default.fileExists(atPath: root + "/opt/feedwatch/lib/systemd/system/feedwatch.service"))
        #expect(!FileManager.default.fileExists(atPath: root + "/etc/logrotate.d/feedwatch"))
        #expect(!FileManager.default.fileExists(atPath: root + "/opt/feedwatch/share/bash-completion/completions/feedwatch"))
        #expect(FileManager.default.fileExists(atPath: config))
    }
}

// SPDX-License-Identifier: MIT
import Foundation
import Testing
@testable import Daemon

/// `sinks:` and `routes:` in feedwatch.yaml.
struct SinkConfigurationTests {
    private let head = "feeds:\n  - url: https://example.org/rss\n"

    private func parse(_ text: String, environment: [String: String] = [:]) throws -> Configuration {
        try Configuration.parse(head + text, path: "/etc/feedwatch/feedwatch.yaml", environment: environment)
    }

    private func errors(_ text: String, environment: [String: String] = [:]) -> [String] {
        do {
            _ = try Configuration.parse(head + text, path: "/etc/feedwatch/feedwatch.yaml", environment: environment)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func everyKindWithItsOptionsAndRoutes() throws {
        let secret = NSTemporaryDirectory() + "feedwatch-secret-\(UUID().uuidString)"
        try "t0ken\n".write(toFile: secret, atomically: true, encoding: .utf8)
        let configuration = try parse("""
            sinks:
              - type: file
                path: alerts.jsonl
              - type: stdout
                format: text
              - type: exec
                name: phone
                command: [/usr/local/bin/notify, --urgent]
                timeout: 5s
                attempts: 3
              - type: webhook
                name: chat
                url: https://chat.example.org/hook
                headers:
                  Authorization: {file: \(secret)}
                  X-Api-Key: {env: CHAT_KEY}
                  X-Source: feedwatch
            routes:
              war-planes: [phone, chat]
            """, environment: ["CHAT_KEY": "k3y"])
        #expect(configuration.sinks.map(\.name) == ["file:/etc/feedwatch/alerts.jsonl", "stdout", "phone", "chat"])
        #expect(configuration.sinks[1].kind == .stdout(format: .text))
        #expect(configuration.sinks[2].kind == .exec(command: ["/usr/local/bin/notify", "--urgent"]))
        #expect(configuration.sinks[2].timeout == .seconds(5) && configuration.sinks[2].attempts == 3)
        guard case .webhook(let url, let headers) = configuration.sinks[3].kind else {
            Issue.record("not a webhook")
            return
        }
        #expect(url == "https://chat.example.org/hook")
        #expect(headers.map { $0.resolvedValue(environment: ["CHAT_KEY": "k3y"]) } == ["t0ken", "k3y", "feedwatch"])
        #expect(configuration.sinks[3].attempts == 8 && configuration.sinks[3].timeout == .seconds(30))
        #expect(configuration.routing.sinks(for: "war-planes") == ["phone", "chat"])
        #expect(configuration.routing.sinks(for: "other") == configuration.sinks.map(\.name))
    }

    @Test func mistakesAreNamedWithTheirPosition() {
        let found = errors("""
            sinks:
              - type: exec
                command: notify-send
              - type: exec
              - type: webhook
                url: ftp://example.org/x
                retries: 3
              - type: webhook
                url: https://example.org/x
                headers:
                  Authorization: {env: NO_SUCH_VARIABLE}
                  Bad Name: x
              - type: stdout
              - type: stdout
              - type: pager
            routes:
              war-planes: [stdout, pager]
              other: stdout
            """)
        #expect(found == [
            "/etc/feedwatch/feedwatch.yaml:5:14: `command` must be a list: [program, argument, …] (it runs without a shell)",
            "/etc/feedwatch/feedwatch.yaml:6:11: an exec sink needs `command: [program, argument, …]`",
            "/etc/feedwatch/feedwatch.yaml:8:10: webhook url 'ftp://example.org/x' is not an http(s) URL",
            "/etc/feedwatch/feedwatch.yaml:9:5: unknown key 'retries' in a webhook sink: the keys are type, name, url, headers, timeout, attempts",
            "/etc/feedwatch/feedwatch.yaml:13:28: header 'Authorization' reads its value from the environment variable NO_SUCH_VARIABLE, which is not set",
            "/etc/feedwatch/feedwatch.yaml:14:7: header name 'Bad Name' is not a valid HTTP header name",
            "/etc/feedwatch/feedwatch.yaml:16:5: a second sink named 'stdout' (the first is at line 15): give one a different `name:`",
            "/etc/feedwatch/feedwatch.yaml:17:11: sink type 'pager' is not supported: use file, stdout, exec or webhook",
            "/etc/feedwatch/feedwatch.yaml:19:24: route 'war-planes' names sink 'pager', which is not configured; the sinks are stdout, webhook:https://example.org/x",
            "/etc/feedwatch/feedwatch.yaml:20:10: route 'other' must list sink names: [name, …]",
        ])
    }
}

// SPDX-License-Identifier: MIT
import Alerts
import Foundation
import Logging
import TestSupport
import Testing
@testable import Daemon

/// A reload applies a sink's new settings even when its name stays: a changed exec command and a
/// rotated webhook token file take effect for the next alert, without a restart.
@Suite struct SinkReloadTests {
    let site = SiteContent()
    let server: TestHTTPServer
    let directory: String

    init() throws {
        let site = site
        server = try TestHTTPServer { request in
            request.path == "/hook" ? .respond(status: 204) : site.reply(request)
        }
        directory = try makeScratchDirectory("sink-reload")
        try write("rules.conf", "jets = jets\n")
        try write("token", "first-token\n")
    }

    private func write(_ name: String, _ text: String) throws {
        try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
    }

    private func writeConfiguration(execTarget: String) throws {
        try write("feedwatch.yaml", """
            state_dir: state
            rules: rules.conf
            defaults:
              interval: 1s
              full_text: false
            feeds:
              - url: \(server.url("/feed.xml"))
            sinks:
              - type: exec
                name: pager
                command: [/bin/sh, -c, "cat >> \(directory)/\(execTarget); echo >> \(directory)/\(execTarget)"]
              - type: webhook
                name: chat
                url: \(server.url("/hook"))
                headers:
                  Authorization: {file: \(directory)/token}
            """)
    }

    private func lines(_ name: String) -> [String] {
        let text = (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    private func publish(_ guids: [String]) {
        site.set("/feed.xml", body: SiteContent.rss(items: guids.map { ($0, "Story \($0)", server.url("/\($0).html"), "More jets") }))
    }

    private func hookTokens() -> [String?] {
        server.requests.filter { $0.path == "/hook" }.map { $0.header("Authorization") }
    }

    @Test func aReloadAppliesChangedSettingsOfASinkThatKeepsItsName() async throws {
        try writeConfiguration(execTarget: "first.jsonl")
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let engine = try await FeedwatchEngine(configuration: try Configuration.load(path: directory + "/feedwatch.yaml"), logger: logger)
        publish([])
        _ = await engine.pollOnce(all: true)

        publish(["a"])
        #expect(await engine.pollOnce(all: true).alerts == 1)
        #expect(lines("first.jsonl").count == 1)
        #expect(hookTokens() == ["first-token"])

        try writeConfiguration(execTarget: "second.jsonl")
        try write("token", "rotated-token\n")
        await engine.reload()
        publish(["b", "a"])
        #expect(await engine.pollOnce(all: true).alerts == 1)
        #expect(lines("first.jsonl").count == 1, "the old command must not run after the reload")
        #expect(try lines("second.jsonl").map { try Alert(jsonLine: $0).entry.url } == [server.url("/b.html")])
        #expect(hookTokens() == ["first-token", "rotated-token"])
    }
}

// SPDX-License-Identifier: MIT
import Alerts
import Fetching
import Foundation
import Glibc
import TestSupport
import Testing

/// The exec and webhook sinks against a real program and a real HTTP server on 127.0.0.1.
@Suite struct DeliverySinkTests {
    let directory: String

    init() throws {
        directory = try makeScratchDirectory("delivery")
    }

    private func alert(_ n: Int) -> Alert {
        AlertTests.sample(id: "id-\(n)")
    }

    private func script(_ body: String) throws -> String {
        let path = directory + "/hook-\(UUID().uuidString).sh"
        try ("#!/bin/sh\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    @Test func execGetsTheAlertOnStdinAndItsFieldsInTheEnvironment() async throws {
        let out = directory + "/out"
        let program = try script(#"cat > "$1"; printf '%s|%s|%s' "$FEEDWATCH_RULE" "$FEEDWATCH_URL" "$FEEDWATCH_TITLE" > "$1.env""#)
        let sink = ExecSink(name: "hook", command: [program, out], timeout: .seconds(10), maximumAttempts: 3)
        let report = await sink.deliver([alert(1)])
        #expect(report == DeliveryReport(delivered: ["id-1"]))
        #expect(try String(contentsOfFile: out, encoding: .utf8) == alert(1).jsonLine + "\n")
        #expect(try String(contentsOfFile: out + ".env", encoding: .utf8) == "russia-syria-aircraft|https://example.org/a|Line\nbreak")
    }

    @Test func execRunsWithoutAShell() async throws {
        let out = directory + "/args"
        let program = try script(#"for a in "$@"; do echo "[$a]"; done > "$1""#)
        let report = await ExecSink(name: "hook", command: [program, out, "a b", "$HOME; rm -rf /"], timeout: .seconds(10), maximumAttempts: 3)
            .deliver([alert(1)])
        #expect(report.failure == nil)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "[\(out)]\n[a b]\n[$HOME; rm -rf /]\n")
    }

    @Test func aFailingProgramReportsItsStatusAndStderrAndStopsTheBatch() async throws {
        let program = try script("echo 'token rejected' >&2; exit 4")
        let report = await ExecSink(name: "hook", command: [program], timeout: .seconds(10), maximumAttempts: 3).deliver([alert(1), alert(2)])
        #expect(report.delivered.isEmpty)
        #expect(report.failure?.id == "id-1")
        #expect(report.failure?.message == "hook: exited with status 4: token rejected")
    }

    @Test func aProgramPastItsTimeoutIsStopped() async throws {
        let program = try script("exec sleep 30")
        let report = await ExecSink(name: "hook", command: [program], timeout: .milliseconds(300), maximumAttempts: 3).deliver([alert(1)])
        #expect(report.failure?.message.contains("timed out") == true, "\(String(describing: report.failure))")
    }

    @Test func aChildLeftRunningWithStderrOpenDoesNotHoldTheDelivery() async throws {
        let program = try script("sleep 30 & echo done >&2; exit 0")
        let report = await ExecSink(name: "hook", command: [program], timeout: .seconds(20), maximumAttempts: 3).deliver([alert(1)])
        // Delivered when the shell exited, not stopped at the timeout while its child slept on.
        #expect(report.failure == nil)
    }

    @Test func aMissingProgramIsNamed() async throws {
        let report = await ExecSink(name: "hook", command: ["/nonexistent/notify-me"], timeout: .seconds(1), maximumAttempts: 3).deliver([alert(1)])
        #expect(report.failure?.message.contains("'/nonexistent/notify-me' not found") == true)
    }

    @Test func webhookPostsExactlyTheAlertJSONWithItsHeaders() async throws {
        let server = try TestHTTPServer { _ in .respond(status: 204) }
        let sink = WebhookSink(
            name: "hook", url: server.url("/hook"), headers: [(name: "Authorization", value: "Bearer s3cret")],
            timeout: .seconds(10), maximumAttempts: 3, client: HTTPClient())
        let report = await sink.deliver([alert(1), alert(2)])
        #expect(report == DeliveryReport(delivered: ["id-1", "id-2"]))
        let requests = server.requests
        #expect(requests.count == 2)
        #expect(requests.map(\.method) == ["POST", "POST"])
        #expect(requests.map { String(decoding: $0.body, as: UTF8.self) } == [alert(1).jsonLine, alert(2).jsonLine])
        #expect(requests.first?.header("Authorization") == "Bearer s3cret")
        #expect(requests.first?.header("Content-Type") == "application/json")
    }

    @Test func webhookFailuresCarryRetryAfterAndNeverTheSecret() async throws {
        let server = try TestHTTPServer { _ in .respond(status: 429, headers: [("Retry-After", "120")]) }
        let sink = WebhookSink(
            name: "hook", url: server.url("/hook"), headers: [(name: "Authorization", value: "Bearer s3cret")],
            timeout: .seconds(10), maximumAttempts: 3, client: HTTPClient())
        let before = Date()
        let report = await sink.deliver([alert(1)])
        let after = Date()
        let failure = try #require(report.failure)
        #expect(failure.message == "hook: \(server.url("/hook")) answered HTTP 429")
        let retryAfter = try #require(failure.retryAfter)
        #expect(retryAfter >= before.addingTimeInterval(119) && retryAfter <= after.addingTimeInterval(121))

        let down = WebhookSink(
            name: "down", url: "http://127.0.0.1:\(TestHTTPServer.closedPort())/hook", headers: [(name: "X-Token", value: "s3cret")],
            timeout: .seconds(5), maximumAttempts: 3, client: HTTPClient())
        let refused = try #require(await down.deliver([alert(1)]).failure)
        #expect(refused.message.contains("refused") && !refused.message.contains("s3cret"))
    }
}

extension DeliverySinkTests {
    @Test func theProgramInheritsNoOtherDescriptors() async throws {
        let out = directory + "/fds"
        let program = try script(#"ls /proc/self/fd > "$1""#)
        let open = Glibc.open(directory + "/held-open", O_WRONLY | O_CREAT, 0o600)  // no O_CLOEXEC
        defer { close(open) }
        let report = await ExecSink(name: "hook", command: [program, out], timeout: .seconds(10), maximumAttempts: 3).deliver([alert(1)])
        #expect(report.failure == nil)
        // 0, 1, 2, and the one ls opens to read /proc/self/fd.
        let fds = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(fds.count <= 4 && !fds.contains("\(open)"))
    }
}

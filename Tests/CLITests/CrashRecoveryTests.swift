// SPDX-License-Identifier: MIT
import Alerts
import Foundation
import Glibc
import Synchronization
import TestSupport
import Testing

/// `run` killed with SIGKILL at random instants while a feed publishes quickly: after the restarts,
/// the alert file holds every expected alert exactly once.
@Suite struct CrashRecoveryTests {
    @Test func killedAtRandomTheDaemonLosesAndRepeatsNothing() async throws {
        let site = SiteContent()
        let server = try TestHTTPServer { site.reply($0) }
        let directory = try makeScratchDirectory("crash")
        try "hit = needle\n".write(toFile: directory + "/rules.conf", atomically: true, encoding: .utf8)
        try """
            state_dir: state
            rules: rules.conf
            defaults:
              interval: 1s
              full_text: false
              alert_existing: true
            feeds:
              - url: \(server.url("/feed.xml"))
            sinks:
              - type: file
                path: alerts.jsonl
            """.write(toFile: directory + "/feedwatch.yaml", atomically: true, encoding: .utf8)

        let published = Mutex(0)
        func publish(_ count: Int) {
            site.set("/feed.xml", body: SiteContent.rss(items: (0..<count).reversed().map { k in
                ("n-\(k)", "Item \(k)", server.url("/items/\(k)"), "A needle in story \(k).")
            }))
            published.withLock { $0 = count }
        }
        publish(1)
        let publisher = Task {
            var count = 1
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(60))
                count += 1
                publish(count)
            }
        }

        var generator = SystemRandomNumberGenerator()
        for _ in 0..<12 {
            let daemon = try DaemonProcess(["run", "--config", directory + "/feedwatch.yaml"], directory: directory)
            try await Task.sleep(for: .milliseconds(Int.random(in: 100...900, using: &generator)))
            daemon.signal(SIGKILL)
            #expect(await daemon.waitForExit(timeout: .seconds(5)) != nil)
        }
        publisher.cancel()
        _ = await publisher.value
        let total = published.withLock { $0 }

        let daemon = try DaemonProcess(["run", "--config", directory + "/feedwatch.yaml"], directory: directory)
        let path = directory + "/alerts.jsonl"
        func lines() -> [String] {
            ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
        #expect(await eventually(timeout: .seconds(30)) { lines().count >= total }, "\(daemon.stderr)")
        try await Task.sleep(for: .seconds(1.5))
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: .seconds(10)) == 0)

        let alerts = try lines().map { try Alert(jsonLine: $0) }
        let guids = alerts.compactMap(\.entry.id).map { $0.split(separator: "/").last.map(String.init) ?? $0 }
        #expect(alerts.count == total, "published \(total) stories")
        #expect(Set(alerts.map(\.id)).count == alerts.count, "no alert id twice")
        #expect(Set(guids) == Set((0..<total).map { "n-\($0)" }))
    }
}

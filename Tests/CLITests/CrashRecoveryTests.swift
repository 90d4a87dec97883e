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
        try writeFeedTextSetup(in: directory, rules: "hit = needle\n", feeds: [server.url("/feed.xml")], interval: "1s")

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

    /// Copies of each story on three of six feeds within a fraction of a second, the daemon killed at
    /// random instants meanwhile: after the restarts, one alert per story, none lost.
    @Test func killedDuringABurstOfCopiesEachStoryAlertsOnce() async throws {
        let site = SiteContent()
        let server = try TestHTTPServer { site.reply($0) }
        let directory = try makeScratchDirectory("crash-stories")
        try writeFeedTextSetup(in: directory, rules: "hit = needle\n", feeds: (0..<6).map { server.url("/\($0).xml") }, interval: "1s",
                               extra: "limits:\n  host_spacing: 0ms\n  per_host: 6\n")

        let published = Mutex(0)
        let items = Mutex<[[(guid: String?, title: String, link: String, description: String)]]>(Array(repeating: [], count: 6))
        var generator = StoryGenerator(seed: 5)
        for feed in 0..<6 { site.set("/\(feed).xml", body: SiteContent.rss(items: [])) }
        let stories = (0..<20).map { _ in generator.story(subject: 0) }
        let copies = stories.indices.map { n in (0..<3).map { _ in StoryGenerator.text(generator.copy(of: stories[n], subject: 0)) + " A needle." } }
        let publisher = Task {
            for n in stories.indices where !Task.isCancelled {
                for copy in 0..<3 {
                    let feed = (n + copy * 2) % 6
                    items.withLock { items in
                        items[feed].insert(("s\(n)-\(feed)", "Story \(n) on \(feed)", server.url("/\(feed)/\(n)"), copies[n][copy]), at: 0)
                        site.set("/\(feed).xml", body: SiteContent.rss(items: items[feed]))
                    }
                    try? await Task.sleep(for: .milliseconds(40))
                }
                published.withLock { $0 = n + 1 }
                try? await Task.sleep(for: .milliseconds(150))
            }
        }

        var random = SystemRandomNumberGenerator()
        for _ in 0..<8 {
            let daemon = try DaemonProcess(["run", "--config", directory + "/feedwatch.yaml"], directory: directory)
            try await Task.sleep(for: .milliseconds(Int.random(in: 200...900, using: &random)))
            daemon.signal(SIGKILL)
            #expect(await daemon.waitForExit(timeout: .seconds(5)) != nil)
        }
        _ = await publisher.value
        let daemon = try DaemonProcess(["run", "--config", directory + "/feedwatch.yaml"], directory: directory)
        let path = directory + "/alerts.jsonl"
        func alerts() -> [Alert] {
            ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { try? Alert(jsonLine: $0) }
        }
        #expect(await eventually(timeout: .seconds(30)) { alerts().count >= stories.count }, "\(daemon.stderr)")
        try await Task.sleep(for: .seconds(2))
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: .seconds(10)) == 0)
        let told = alerts().map { $0.entry.title?.split(separator: " ")[1] ?? "" }
        #expect(told.count == stories.count && Set(told).count == stories.count, "\(told.sorted())")
        #expect(Set(alerts().compactMap(\.story?.id)).count == stories.count)
    }
}

// SPDX-License-Identifier: MIT
import Alerts
import Foundation
import Glibc
import TestSupport
import Testing

/// `run` with hundreds of feeds on one host, listed first, and one feed on another host: the busy
/// host's polls, waiting for its spacing, must not take every poll slot from the quiet feed.
@Suite struct BusyHostTests {
    @Test func aHostWithHundredsOfFeedsDoesNotStarveAnother() async throws {
        let busyFeed = Data(SiteContent.rss(items: [("same", "Nothing new", "http://127.0.0.1:9/x", "Still nothing.")]).utf8)
        let busy = try TestHTTPServer { _ in .respond(status: 200, headers: [("ETag", "\"same\"")], body: busyFeed) }
        let quiet = SiteContent()
        let quietServer = try TestHTTPServer { quiet.reply($0) }
        quiet.set("/feed.xml", body: SiteContent.rss(items: [("old", "Yesterday", "http://127.0.0.1:9/old", "An old story.")]))
        let directory = try makeScratchDirectory("busy-host")
        try "pears = pears\n".write(toFile: directory + "/rules.conf", atomically: true, encoding: .utf8)
        // 300 feeds at 10 ms spacing take 3 s a round, and each is due again 1 s after its poll:
        // more than the 256 poll slots are always due on the busy host.
        let busyFeeds = (0..<300).map { "  - url: \(busy.url("/feed/\($0).xml"))\n" }.joined()
        try """
            state_dir: state
            rules: rules.conf
            defaults:
              interval: 1s
              full_text: false
              respect_cache: false
            limits:
              host_spacing: 10ms
            feeds:
            \(busyFeeds)  - url: \(quietServer.url("/feed.xml"))
            sinks:
              - type: file
                path: alerts.jsonl
            """.write(toFile: directory + "/feedwatch.yaml", atomically: true, encoding: .utf8)
        let daemon = try DaemonProcess(["run", "--config", directory + "/feedwatch.yaml"], directory: directory)

        let quietPolls = { quietServer.requests.count }
        try #require(await eventually(timeout: .seconds(10)) { quietPolls() >= 1 }, "the quiet feed was never polled: \(daemon.stderr)")
        // Into the busy host's second round, where its due feeds outnumber the free slots.
        try #require(await eventually(timeout: .seconds(60)) { busy.requests.count > 300 }, "\(daemon.stderr.suffix(2000))")
        let before = quietPolls()
        quiet.set("/feed.xml", body: SiteContent.rss(items: [("new", "Pears arrive", "http://127.0.0.1:9/new", "Pears from the valley.")]))
        let alerted = await eventually(timeout: .seconds(10)) {
            (try? String(contentsOfFile: directory + "/alerts.jsonl", encoding: .utf8))?.contains("Pears arrive") == true
        }
        #expect(alerted, "quiet feed polled \(quietPolls() - before) more times; \(daemon.stderr.suffix(2000))")
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: .seconds(15)) == 0)
    }
}

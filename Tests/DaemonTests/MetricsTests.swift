// SPDX-License-Identifier: MIT
import Foundation
import Logging
import Store
import TestSupport
import Testing
@testable import Daemon

/// The metrics file after real polls against a local server.
@Suite struct MetricsTests {
    @Test func aCycleWritesCountersHistogramsAndTheStoresFigures() async throws {
        let site = SiteContent()
        let server = try TestHTTPServer { site.reply($0) }
        let directory = try makeScratchDirectory("metrics")
        try "jets = jets\n".write(toFile: directory + "/rules.conf", atomically: true, encoding: .utf8)
        let configuration = try Configuration.parse("""
            state_dir: state
            rules: rules.conf
            metrics_file: feedwatch.prom
            defaults: {interval: 1s, full_text: false}
            feeds:
              - url: \(server.url("/feed.xml"))
              - url: \(server.url("/missing.xml"))
            sinks:
              - type: file
                path: alerts.jsonl
            """, path: directory + "/feedwatch.yaml")
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let engine = try await FeedwatchEngine(configuration: configuration, logger: logger)
        site.set("/feed.xml", body: SiteContent.rss(items: []))
        site.set("/missing.xml", status: 404, body: "no")
        _ = await engine.pollOnce(all: true)
        site.set("/feed.xml", body: SiteContent.rss(items: [("a", "Jets", server.url("/a.html"), "jets fly")]))
        _ = await engine.pollOnce(all: true)

        let text = try String(contentsOfFile: directory + "/feedwatch.prom", encoding: .utf8)
        let lines = Set(text.split(separator: "\n").map(String.init))
        #expect(lines.contains(#"feedwatch_fetches_total{outcome="ok"} 2"#))
        #expect(lines.contains(#"feedwatch_fetches_total{outcome="http_error"} 2"#))
        #expect(lines.contains(#"feedwatch_stage_duration_seconds_count{stage="parse"} 2"#))
        #expect(lines.contains(#"feedwatch_stage_duration_seconds_bucket{stage="parse",le="30.0"} 2"#))
        #expect(lines.contains(#"feedwatch_stage_duration_seconds_bucket{stage="fetch",le="30.0"} 4"#))
        #expect(lines.contains(#"feedwatch_stage_duration_seconds_bucket{stage="match",le="+Inf"} 1"#))
        #expect(lines.contains(#"feedwatch_feeds{state="total"} 2"#) && lines.contains(#"feedwatch_feeds{state="failing"} 1"#))
        #expect(lines.contains(#"feedwatch_alerts_total{rule="jets"} 1"#))
        #expect(lines.contains("feedwatch_alerts_delivered_total{sink=\"file:\(directory)/alerts.jsonl\"} 1"))
        #expect(lines.contains("feedwatch_outbox_alerts{sink=\"file:\(directory)/alerts.jsonl\"} 0"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/feedwatch.prom.tmp.\(getpid())"))
        // Every sample line is `name{labels} value` with a numeric value.
        for line in lines where !line.hasPrefix("#") {
            #expect(line.split(separator: " ").last.flatMap { Double($0) } != nil, "\(line)")
        }
    }
}

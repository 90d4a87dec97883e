// SPDX-License-Identifier: MIT
import ArgumentParser
import Daemon
import Foundation
import Store

/// `feedwatch status`: per-feed health from the state database.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each feed's health: last success, last error, next poll, entries, alerts.",
        discussion: """
            Reads the state database the configuration names (safe while the daemon runs). Feeds retired \
            after HTTP 410 are marked so; alerts waiting in the outbox and dead letters are counted per sink.
            """
    )

    @OptionGroup var options: ConfigurationOption

    @Flag(help: "One JSON object per feed, then one with the totals.")
    var json = false

    @Flag(help: "The state database's figures in the Prometheus text format (feeds, alerts by rule, outbox, dead letters).")
    var prometheus = false

    func run() async throws {
        let configuration = try options.loadConfiguration()
        let store: any Store
        let records: [FeedRecord]
        let depth: (pending: [String: Int], dead: [String: Int])
        let deadErrors: [String: String]
        let stories: (stories: Int, merged: Int)
        let archive: ArchiveUsage
        var instances: [ClusterInstance]?
        do {
            store = try await configuration.openStore()
            if prometheus {
                print(try await configuration.storeMetrics(store), terminator: "")
                return
            }
            records = try await store.feeds()
            depth = try await store.outboxDepth()
            deadErrors = try await store.deadLetterErrors()
            stories = try await store.storyCounts()
            archive = try await store.archiveUsage()
            if let cluster = store as? PostgresStore { instances = try await cluster.instances(leaseTime: PostgresStore.leaseTime) }
        } catch {
            throw CommandFailure.runtime(error.description)
        }
        let byURL = Dictionary(records.map { ($0.configuredURL, $0) }, uniquingKeysWith: { $1 })
        var out = ""
        for feed in configuration.feeds {
            out += json ? Self.jsonLine(feed, byURL[feed.url]) : Self.block(feed, byURL[feed.url])
        }
        let health = FeedHealth(configuration.feeds.compactMap { byURL[$0.url] })
        let pending = depth.pending.values.reduce(0, +)
        let dead = depth.dead.values.reduce(0, +)
        let entries = records.map(\.entryCount).reduce(0, +)
        let alerts = records.map(\.alertCount).reduce(0, +)
        if json {
            let totals: [String: Any] = ["feeds": configuration.feeds.count, "failing": health.failing, "retired": health.retired,
                                         "entries": entries, "alerts": alerts, "outbox": depth.pending, "dead_letters": depth.dead,
                                         "stories": stories.stories, "story_copies_merged": stories.merged,
                                         "archive_entries": archive.entries, "archive_bytes": archive.bytes]
            out += instances.map(Self.instancesJSON) ?? ""
            out += String(decoding: try JSONSerialization.data(withJSONObject: ["totals": totals], options: [.sortedKeys]), as: UTF8.self) + "\n"
        } else {
            out += "\(configuration.feeds.count) feeds, \(health.failing) failing, \(health.retired) retired; \(entries) entries, \(alerts) alerts; "
            out += "\(pending) alerts waiting for delivery, \(dead) dead letters\n"
            if let window = configuration.stories?.window {
                out += "stories in the last \(window.components.seconds / 3600)h: \(stories.stories), with \(stories.merged) copies from other feeds merged into them\n"
            }
            if let policy = configuration.archive {
                out += "archive: \(archive.entries) entries, \(Self.megabytes(archive.bytes)) of text (keeps \(Int(policy.keep / 86_400))d, at most \(Self.megabytes(policy.maximumBytes)))\n"
            } else {
                out += "archive: off (\(archive.entries) entries kept from before)\n"
            }
            for (sink, count) in depth.dead.sorted(by: { $0.key < $1.key }) { 
                out += "  dead letters for \(sink): \(count)" + (deadErrors[sink].map { "; last error: \($0)" } ?? "") + "\n"
            }
            if let instances, let location = configuration.store { out += Self.instancesReport(instances, location: location, now: Date()) }
        }
        print(out, terminator: "")
    }

    static func time(_ date: Date?) -> String {
        date.map { $0.formatted(Date.ISO8601FormatStyle(timeZone: .gmt)) } ?? "never"
    }

    private static func block(_ feed: Daemon.FeedConfiguration, _ record: FeedRecord?) -> String {
        guard let record else { return "\(feed.url)\n  not polled yet\n" }
        var lines = [feed.name.map { "\(feed.url)  (\($0))" } ?? feed.url]
        if record.url != feed.url { lines.append("  moved to:     \(record.url)") }
        lines.append("  last success: \(time(record.lastSuccess))")
        if let error = record.lastError, record.consecutiveFailures > 0 || record.retiredAt != nil {
            lines.append("  last error:   \(time(record.lastErrorAt)) \(error) (\(record.consecutiveFailures) in a row)")
        }
        lines.append(record.retiredAt != nil ? "  RETIRED:      \(time(record.retiredAt)) (HTTP 410); no longer polled" : "  next poll:    \(time(record.nextDue))")
        lines.append("  entries: \(record.entryCount), alerts: \(record.alertCount)")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func jsonLine(_ feed: Daemon.FeedConfiguration, _ record: FeedRecord?) -> String {
        var object: [String: Any] = ["url": feed.url]
        if let name = feed.name { object["name"] = name }
        if let record {
            object["current_url"] = record.url
            object["last_success"] = record.lastSuccess.map { time($0) }
            object["last_error"] = record.lastError
            object["last_error_at"] = record.lastErrorAt.map { time($0) }
            object["failures"] = record.consecutiveFailures
            object["next_poll"] = time(record.nextDue)
            object["retired"] = record.retiredAt != nil
            object["entries"] = record.entryCount
            object["alerts"] = record.alertCount
        }
        let data = (try? JSONSerialization.data(withJSONObject: object.compactMapValues { $0 }, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// `12.3 MB`.
    static func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_048_576) }
}

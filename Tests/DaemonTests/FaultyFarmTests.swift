// SPDX-License-Identifier: MIT
import Alerts
import Foundation
import TestSupport
import Testing

/// `run` for 45 minutes of clock time against 300 feeds over 8 hosts with 16 kinds of fault, stories
/// published during the first 30 minutes: the daemon stays polite to every server and alerts every
/// story it could see exactly once, and nothing else.
@Suite(.timeLimit(.minutes(5))) struct FaultyFarmTests {
    let clock = ManualClock()
    let farm: FaultyFarm
    let directory: String

    init() throws {
        farm = try FaultyFarm(feeds: 300, clock: clock)
        directory = try makeScratchDirectory("faulty-farm")
        try "quake = earthquake AND tsunami\n".write(toFile: directory + "/rules.conf", atomically: true, encoding: .utf8)
    }

    @Test func politeToEveryServerAndEveryStoryAlertedOnce() async throws {
        let configuration = """
            state_dir: state
            rules: rules.conf
            defaults:
              interval: 2m
              full_text: false
            limits:
              per_host: 2
              host_spacing: 1s
            feeds:
            \((0..<farm.feedCount).map { "  - url: \(farm.url(of: $0))" }.joined(separator: "\n"))
            sinks:
              - type: file
                path: alerts.jsonl
            """
        try await ClockedDaemon.run(configuration, in: directory, clock: clock) { daemon in
            await daemon.advance(by: 45 * 60, step: 5)
        }
        let end = clock.now

        for feed in 0..<farm.feedCount {
            let exchanges = farm.exchanges(of: feed)
            let fault = farm.fault(of: feed)
            #expect(!exchanges.isEmpty, "feed \(feed) (\(fault)) was never asked")
            for (index, exchange) in exchanges.enumerated() {
                if let notBefore = exchange.notBefore, index + 1 < exchanges.count {
                    #expect(exchanges[index + 1].time >= notBefore,
                            "feed \(feed) (\(fault)): asked again \(notBefore.timeIntervalSince(exchanges[index + 1].time)) s before its Retry-After")
                }
                if exchange.status == 410 {
                    #expect(index == exchanges.count - 1, "feed \(feed): \(exchanges.count - 1 - index) requests after 410 Gone")
                }
            }
            if fault == .movedPermanently {
                let old = exchanges.filter { $0.path.hasPrefix("/feed/") }
                #expect(old.count == 1, "feed \(feed): \(old.count - 1) requests to the old URL after its 301")
            }
            if fault == .longMaxAge {
                let times = exchanges.map(\.time)
                #expect(zip(times, times.dropFirst()).allSatisfy { $1.timeIntervalSince($0) >= 600 }, "feed \(feed): polled within max-age=600")
            }
        }
        for host in 0..<FaultyFarm.hostCount {
            let starts = (0..<farm.feedCount).filter { $0 % FaultyFarm.hostCount == host }.flatMap { farm.exchanges(of: $0).map(\.time) }.sorted()
            #expect(zip(starts, starts.dropFirst()).allSatisfy { $1.timeIntervalSince($0) >= 1 }, "host \(host): requests less than 1 s apart")
        }

        let text = (try? String(contentsOfFile: directory + "/alerts.jsonl", encoding: .utf8)) ?? ""
        let alerts = try text.split(separator: "\n").map { try Alert(jsonLine: $0) }
        var alerted: [String: Int] = [:]
        for alert in alerts { alerted[alert.entry.id ?? "", default: 0] += 1 }
        #expect(alerted.values.allSatisfy { $0 == 1 }, "duplicates: \(alerted.filter { $0.value > 1 })")
        var expected: Set<String> = []
        var possible: Set<String> = []
        for feed in 0..<farm.feedCount {
            guard let baseline = farm.firstServed(feed) else { continue }
            for story in farm.stories(of: feed, by: end) where story.onTopic && story.published > baseline {
                possible.insert(story.guid)
                if farm.fault(of: feed).servesItsStories { expected.insert(story.guid) }
            }
        }
        #expect(expected.count > 100, "the farm publishes enough to mean something: \(expected.count)")
        let missed = expected.subtracting(alerted.keys)
        #expect(missed.isEmpty, "stories never alerted: \(missed.sorted())")
        let unexpected = Set(alerted.keys).subtracting(possible)
        #expect(unexpected.isEmpty, "false alerts: \(unexpected.sorted())")
    }
}

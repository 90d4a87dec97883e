// SPDX-License-Identifier: MIT
import Alerts
import Foundation
import Glibc
import Synchronization
import TestSupport
import Testing

/// Several instances of the real binary on one PostgreSQL database (`store: postgresql://…`).
@Suite struct ClusterTests {
    /// A loopback farm: `feeds` feeds over `hosts` servers (a host is a name and a port), each feed
    /// publishing a new story every `every` from `from` to `until`; every request's arrival is logged
    /// per host.
    final class Farm: Sendable {
        let servers: [TestHTTPServer]
        let feeds: Int
        let from: ContinuousClock.Instant
        let every: Duration
        let until: ContinuousClock.Instant
        /// Request arrivals, per host.
        final class Arrivals: Sendable {
            let times: Mutex<[[ContinuousClock.Instant]]>
            init(hosts: Int) { times = Mutex(Array(repeating: [], count: hosts)) }
        }
        let arrivals: Arrivals

        /// `text(feed, k)`: the description of the feed's `k`th story.
        init(feeds: Int, hosts: Int, from: Duration, every: Duration, for length: Duration,
             text: @escaping @Sendable (Int, Int) -> String = { _, k in "An earthquake, report \(k)." }) throws {
            let start = ContinuousClock.now
            self.feeds = feeds
            self.from = start + from
            self.every = every
            self.until = start + from + length
            let arrivals = Arrivals(hosts: hosts)
            self.arrivals = arrivals
            let clock = (from: start + from, every: every, until: start + from + length)
            servers = try (0..<hosts).map { host in
                try TestHTTPServer { request in
                    let now = ContinuousClock.now
                    arrivals.times.withLock { $0[host].append(now) }
                    let feed = Int(request.path.split(separator: "/").last?.split(separator: ".").first ?? "") ?? 0
                    let stories = Self.published(at: min(now, clock.until), from: clock.from, every: clock.every)
                    let items = (0..<stories).reversed().map { k in
                        (guid: Optional("f\(feed)-s\(k)"), title: "Story \(k) of feed \(feed)", link: "http://news.example/\(feed)/\(k)",
                         description: text(feed, k))
                    }
                    return .respond(status: 200, headers: [("Content-Type", "application/rss+xml")],
                                    body: Data(SiteContent.rss(title: "Feed \(feed)", items: items).utf8))
                }
            }
        }

        static func published(at now: ContinuousClock.Instant, from: ContinuousClock.Instant, every: Duration) -> Int {
            now < from ? 0 : Int((now - from) / every) + 1
        }

        func url(_ feed: Int) -> String { servers[feed % servers.count].url("/feed/\(feed).xml") }

        /// Every story published by the end: its guid.
        var stories: Set<String> {
            let count = Self.published(at: until, from: from, every: every)
            return Set((0..<feeds).flatMap { feed in (0..<count).map { "f\(feed)-s\($0)" } })
        }
    }

    /// An instance's directory and configuration; the sink is named alike in every instance, so that
    /// any of them can deliver what another raised.
    private static func instance(_ name: String, in root: String, database: String, farm: Farm, spacing: String, interval: String = "2s") throws -> String {
        let directory = root + "/" + name
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "quake = earthquake\n".write(toFile: directory + "/rules.conf", atomically: true, encoding: .utf8)
        try """
            state_dir: state
            store: \(database)
            rules: rules.conf
            defaults:
              interval: \(interval)
              full_text: false
            limits:
              host_spacing: \(spacing)
              per_host: 2
            feeds:
            \((0..<farm.feeds).map { "  - url: \(farm.url($0))" }.joined(separator: "\n"))
            sinks:
              - type: file
                name: alerts
                path: alerts.jsonl
            """.write(toFile: directory + "/feedwatch.yaml", atomically: true, encoding: .utf8)
        return directory
    }

    private static func alerts(in directory: String) throws -> [Alert] {
        let text = (try? String(contentsOfFile: directory + "/alerts.jsonl", encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { try Alert(jsonLine: $0) }
    }

    /// The issue's end-to-end run: 3 instances, 300 feeds over 8 hosts publishing for 2 minutes, an
    /// instance killed (SIGKILL) and restarted every 10–20 s. Every story is alerted exactly once over
    /// the union of the alert files, each instance alerts, no host sees two requests closer than the
    /// spacing, and every instance stops cleanly on SIGTERM.
    @Test func instancesKilledAtRandomAlertEveryStoryOnceAndStayPolite() async throws {
        let database = try PostgresServer.shared().makeDatabase()
        let farm = try Farm(feeds: 300, hosts: 8, from: .seconds(15), every: .seconds(20), for: .seconds(120))
        let root = try makeScratchDirectory("cluster")
        let names = ["a", "b", "c"]
        // Every 10 s: each story is polled twice before the next, and the test leaves the machine to
        // the tests beside it.
        let directories = try names.map { try Self.instance($0, in: root, database: database, farm: farm, spacing: "100ms", interval: "10s") }
        func start(_ index: Int) throws -> DaemonProcess {
            try DaemonProcess(["run", "--log-level", "notice", "--config", directories[index] + "/feedwatch.yaml"], directory: directories[index])
        }
        var instances = try names.indices.map(start)

        // Kills start once the feeds' first fetches are done (stories start at 15 s).
        try await Task.sleep(for: .seconds(15))
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        while ContinuousClock.now < farm.until {
            try await Task.sleep(for: .seconds(Int.random(in: 10...20, using: &generator)))
            let victim = Int.random(in: 0..<instances.count, using: &generator)
            instances[victim].signal(SIGKILL)
            #expect(await instances[victim].waitForExit(timeout: .seconds(5)) != nil)
            instances[victim] = try start(victim)
            kills += 1
        }
        let expected = farm.stories
        func counts() -> [Int] { directories.map { (try? Self.alerts(in: $0).count) ?? 0 } }
        #expect(await eventually(timeout: .seconds(60)) { counts().reduce(0, +) >= expected.count }, "\(counts())")
        try await Task.sleep(for: .seconds(3))
        for instance in instances { instance.signal(SIGTERM) }
        for (name, instance) in zip(names, instances) {
            #expect(await instance.waitForExit(timeout: .seconds(15)) == 0, "\(name): \(instance.stderr.suffix(3000))")
        }

        let perInstance = try directories.map { try Self.alerts(in: $0) }
        let all = perInstance.joined()
        #expect(kills >= 6)
        #expect(all.count == expected.count, "\(all.count) alerts for \(expected.count) stories")
        #expect(Set(all.map(\.id)).count == all.count, "no alert twice")
        let guids = all.compactMap(\.entry.id).map { $0.split(separator: "/").last.map(String.init) ?? $0 }
        #expect(Set(guids) == expected, "every story alerted")
        #expect(perInstance.allSatisfy { !$0.isEmpty }, "alerts per instance: \(perInstance.map(\.count))")
        for (host, arrivals) in farm.arrivals.times.withLock({ $0 }).enumerated() {
            let times = arrivals.sorted()
            let closest = zip(times, times.dropFirst()).map { $1 - $0 }.min() ?? Duration.seconds(1)
            // Arrivals are timed by the server's threads, which a machine running the whole suite delays
            // by tens of milliseconds (77 ms seen for 100 ms); a second poller on the host shows as
            // gaps near zero (1–47 ms seen before hosts were handed over only once their polls ended).
            #expect(closest >= .milliseconds(50), "host \(host): two requests \(closest) apart (\(times.count) requests)")
        }
    }

    /// The database stopped for 30 s mid-run (a server restart, a failover) and started again: the
    /// instances keep running, say so once per backoff step rather than once per poll, lose no story
    /// and alert none twice, and poll again within 5 s of the database's return.
    @Test func aDatabaseOutageOf30SecondsLosesNothing() async throws {
        let server = try PostgresServer()
        defer { try? server.stop() }
        let database = try server.makeDatabase()
        let farm = try Farm(feeds: 20, hosts: 2, from: .seconds(8), every: .seconds(4), for: .seconds(55))
        let root = try makeScratchDirectory("outage")
        let names = ["a", "b"]
        let directories = try names.map { try Self.instance($0, in: root, database: database, farm: farm, spacing: "50ms") }
        let instances = try directories.map { directory in
            try DaemonProcess(["run", "--config", directory + "/feedwatch.yaml"], directory: directory)
        }
        try await Task.sleep(for: .seconds(12))
        try server.stop()
        try await Task.sleep(for: .seconds(30))
        for instance in instances { #expect(instance.isRunning, "\(instance.stderr.suffix(2000))") }
        let back = ContinuousClock.now
        try server.start()

        let expected = farm.stories
        func alerts() -> [Alert] { directories.flatMap { (try? Self.alerts(in: $0)) ?? [] } }
        #expect(await eventually(timeout: .seconds(60)) { alerts().count >= expected.count }, "\(alerts().count) of \(expected.count)")
        try await Task.sleep(for: .seconds(2))
        for instance in instances { instance.signal(SIGTERM) }
        for instance in instances {
            #expect(await instance.waitForExit(timeout: .seconds(15)) == 0, "\(instance.stderr.suffix(3000))")
        }
        let all = alerts()
        #expect(all.count == expected.count && Set(all.map(\.id)).count == all.count, "\(all.count) alerts for \(expected.count) stories")
        let guids = all.compactMap(\.entry.id).map { $0.split(separator: "/").last.map(String.init) ?? $0 }
        #expect(Set(guids) == expected)
        let firstAfter = farm.arrivals.times.withLock { $0 }.joined().filter { $0 > back }.min()
        #expect(firstAfter.map { $0 - back < .seconds(5) } == true, "polling resumed \(firstAfter.map { $0 - back }.map(String.init(describing:)) ?? "never")")
        for (name, instance) in zip(names, instances) {
            let log = instance.stderr.split(separator: "\n")
            let outageLines = log.filter { $0.contains(" error ") || $0.contains(" warning ") }
            #expect(!outageLines.isEmpty && outageLines.count <= 12, "\(name): \(outageLines.count) lines about the outage:\n\(outageLines.joined(separator: "\n"))")
            #expect(log.contains { $0.contains("answers again") }, "\(name): \(instance.stderr.suffix(2000))")
        }
    }

    /// Stories and the archive are the cluster's: 6 feeds over 3 hosts (split between two instances)
    /// carry copies of the same 4 wire stories, and the rule alerts once per story over both alert files,
    /// whichever instance polled which copy first. `rules test` and `trace` on one instance read what
    /// both archived; `status` counts the stories and the copies merged.
    @Test func storiesAndTheArchiveAreSharedByTheInstances() async throws {
        let database = try PostgresServer.shared().makeDatabase()
        var generator = StoryGenerator(seed: 29)
        let wire = (0..<4).map { k in generator.story(subject: k) }
        let copies = (0..<6).map { _ in wire.enumerated().map { k, story in StoryGenerator.text(generator.copy(of: story, subject: k)) + " An earthquake." } }
        let farm = try Farm(feeds: 6, hosts: 3, from: .seconds(8), every: .seconds(3), for: .seconds(9)) { feed, k in copies[feed][k] }
        let root = try makeScratchDirectory("cluster-stories")
        let directories = try ["a", "b"].map { try Self.instance($0, in: root, database: database, farm: farm, spacing: "10ms") }
        let instances = try directories.map { try DaemonProcess(["run", "--config", $0 + "/feedwatch.yaml"], directory: $0) }
        func alerts() -> [Alert] { directories.flatMap { (try? Self.alerts(in: $0)) ?? [] } }
        let config = directories[0] + "/feedwatch.yaml"
        // Following from before the first story: each story's alert, then lines as it reaches more feeds.
        let following = try DaemonProcess(["tail", "--cluster", "-f", "--color", "never", "--config", config], directory: directories[0])
        // Every copy seen: each of the 24 entries is archived (by whichever instance polled it).
        #expect(await eventually(timeout: .seconds(60)) {
            let lines = (try? FeedwatchProcess.run(["rules", "test", "--json", "--config", config]).stdout) ?? ""
            return lines.split(separator: "\n").count >= 24
        }, "\(instances.map { $0.stderr.suffix(1000) })")
        let running = try FeedwatchProcess.run(["status", "--config", config]).stdout
        #expect(running.contains(": 2 instances running") && !running.contains(" 0 hosts leased"), "both poll: \(running)")
        for instance in instances { instance.signal(SIGTERM) }
        for instance in instances { #expect(await instance.waitForExit(timeout: .seconds(15)) == 0, "\(instance.stderr.suffix(2000))") }

        let all = alerts()
        #expect(all.count == 4 && Set(all.compactMap(\.story?.id)).count == 4, "one alert per story: \(all.map { ($0.entry.url ?? "", $0.story?.id ?? "") })")
        #expect(directories.allSatisfy { !((try? String(contentsOfFile: $0 + "/state/instance-id", encoding: .utf8)) ?? "").isEmpty })
        let matches = try FeedwatchProcess.run(["rules", "test", "--json", "--config", config]).stdout.split(separator: "\n")
        #expect(matches.count == 24, "every copy from both instances: \(matches.count)")
        #expect(matches.filter { $0.contains("\"alerted\":true") }.count == 4, "\(matches.joined(separator: "\n"))")
        let traced = try #require(all.first?.entry.url)
        let trace = try FeedwatchProcess.run(["trace", traced, "--config", directories[1] + "/feedwatch.yaml"])
        #expect(trace.status == 0 && trace.stdout.contains("seen as new") && trace.stdout.contains("quake: matches"), "\(trace.stdout) \(trace.stderr)")
        let status = try FeedwatchProcess.run(["status", "--config", config])
        #expect(status.stdout.contains(": 4, with 20 copies from other feeds merged into them"), "\(status.stdout) \(status.stderr)")
        // Each story reaches all six feeds once, said once by the follower; a later tail says it of each.
        func reachedAll(_ text: String) -> Int { text.components(separatedBy: "also in 5 feeds").count - 1 }
        #expect(await eventually { reachedAll(following.stdout) >= 4 }, "\(following.stdout) \(following.stderr)")
        following.signal(SIGTERM)
        _ = await following.waitForExit(timeout: .seconds(5))
        #expect(reachedAll(following.stdout) == 4, "\(following.stdout)")
        // --json: the lines as the sinks wrote them, story included.
        let written = Set(directories.flatMap { ((try? String(contentsOfFile: $0 + "/alerts.jsonl", encoding: .utf8)) ?? "").split(separator: "\n") })
        let lines = try FeedwatchProcess.run(["tail", "--cluster", "--json", "--config", config]).stdout.split(separator: "\n")
        #expect(Set(lines) == written && lines.count == 4, "\(lines) \(written)")
        let shown = try FeedwatchProcess.run(["tail", "--cluster", "--color", "never", "--config", config])
        #expect(reachedAll(shown.stdout) == 4 && all.allSatisfy { shown.stdout.contains($0.entry.title ?? "-") }, "\(shown.stdout) \(shown.stderr)")
    }

    /// `tail --cluster` shows every instance's alerts as they are raised (LISTEN/NOTIFY), and `status`
    /// lists the instances and warns when they run different rules.
    @Test func tailFollowsTheClusterAndStatusListsItsInstances() async throws {
        let database = try PostgresServer.shared().makeDatabase()
        let farm = try Farm(feeds: 6, hosts: 2, from: .seconds(4), every: .seconds(2), for: .seconds(6))
        let root = try makeScratchDirectory("cluster-tail")
        let directories = try ["a", "b"].map { try Self.instance($0, in: root, database: database, farm: farm, spacing: "10ms") }
        try "quake = earthquake\nflood = flood\n".write(toFile: directories[1] + "/rules.conf", atomically: true, encoding: .utf8)
        let config = directories[0] + "/feedwatch.yaml"
        let a = try DaemonProcess(["run", "--config", config], directory: directories[0])
        let tail = try DaemonProcess(["tail", "--cluster", "-f", "--json", "-n", "0", "--config", config], directory: directories[0])
        let expected = farm.stories.count
        #expect(await eventually(timeout: .seconds(40)) { ((try? Self.alerts(in: directories[0]).count) ?? 0) >= expected }, "\(a.stderr)")
        #expect(await eventually { tail.stdout.split(separator: "\n").count >= expected }, "\(tail.stdout.suffix(500)) \(tail.stderr)")
        let shown = try tail.stdout.split(separator: "\n").map { try Alert(jsonLine: $0).id }
        #expect(Set(shown) == Set(try Self.alerts(in: directories[0]).map(\.id)), "the alerts as raised, each once")

        var status = try FeedwatchProcess.run(["status", "--config", config])
        #expect(status.stdout.contains("cluster on postgresql://feedwatch@127.0.0.1:"), "\(status.stdout) \(status.stderr)")
        #expect(status.stdout.contains(": 1 instance running") && status.stdout.contains("2 hosts leased"), "\(status.stdout)")
        let b = try DaemonProcess(["run", "--config", directories[1] + "/feedwatch.yaml"], directory: directories[1])
        #expect(await eventually { (try? FeedwatchProcess.run(["status", "--config", config]).stdout.contains(": 2 instances running")) == true })
        status = try FeedwatchProcess.run(["status", "--config", config])
        #expect(status.stdout.contains("warning: the instances run different rules"), "\(status.stdout)")
        let check = try FeedwatchProcess.run(["check", "--config", config])
        let port = try PostgresServer.shared().port
        #expect(check.status == 0 && check.stdout.contains(":\(port)/") && check.stdout.contains("answers, schema version"),
                "\(check.stdout) \(check.stderr)")
        // A database that is not there: exit 3 at once, with its URL.
        let away = try String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(of: ":\(port)/", with: ":\(TestHTTPServer.closedPort())/")
        try away.write(toFile: root + "/away.yaml", atomically: true, encoding: .utf8)
        try "quake = earthquake\n".write(toFile: root + "/rules.conf", atomically: true, encoding: .utf8)
        let refused = try FeedwatchProcess.run(["check", "--config", root + "/away.yaml"])
        #expect(refused.status == 3 && refused.stderr.contains("postgresql://feedwatch@127.0.0.1:"), "\(refused.stdout) \(refused.stderr)")
        let backup = try FeedwatchProcess.run(["state", "check", "--config", config])
        #expect(backup.status == 1 && backup.stderr.contains("use pg_dump"), "\(backup.stderr)")
        for daemon in [a, b, tail] { daemon.signal(SIGTERM) }
        for daemon in [a, b] { #expect(await daemon.waitForExit(timeout: .seconds(15)) == 0, "\(daemon.stderr)") }
        #expect(await tail.waitForExit(timeout: .seconds(5)) != nil)
    }
}


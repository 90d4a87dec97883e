// SPDX-License-Identifier: MIT
import Alerts
import ArgumentParser
import Daemon
import Fetching
import Foundation
import Glibc
import Store

/// `feedwatch tail`: the alert file, pretty-printed, optionally followed across log rotation.
struct TailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Show the latest alerts from the alert file, and follow it with -f.",
        discussion: """
            Reads the configuration's first file sink unless FILE is given. Without --since the last \
            --lines alerts are shown; with it, every alert since then. With --follow, alerts written later \
            are shown as they arrive, across log rotation (the file renamed and a new one created) and \
            truncation (copytruncate), as tail -F does. On a terminal the time, rule, title, link and the \
            snippet's matched words are in colour (NO_COLOR or --color never turns that off); --json prints \
            the file's lines unchanged. An alert whose story has appeared on other feeds too (the state \
            database's stories) says "also in N feeds"; while following, a story shown earlier that reaches \
            more feeds gets a line saying so. With --cluster the alerts come from the shared database of \
            `store: postgresql://…` instead: every instance's, followed as they are raised (LISTEN/NOTIFY).
            """
    )

    @Argument(help: ArgumentHelp("The alert file (JSON lines).", valueName: "file"))
    var file: String?

    @Flag(name: [.customShort("f"), .long], help: "Keep reading as alerts are written.")
    var follow = false

    @Option(name: .customLong("rule"), help: ArgumentHelp("Only this rule's alerts (repeatable).", valueName: "name"))
    var rules: [String] = []

    @Option(help: ArgumentHelp(
        "Only alerts at most this old: 90s, 30m, 2h, 7d, or a time such as 2026-12-01T08:00:00Z.", valueName: "age"))
    var since: String?

    @Option(name: [.customShort("n"), .long], help: "How many of the latest alerts to show first (without --since).")
    var lines = 10

    @Flag(help: "Print the alert lines as they are in the file.")
    var json = false

    @Flag(help: "Read the alerts of every instance from the shared database (store: postgresql://…), not a file.")
    var cluster = false

    @Option(help: "Colour: auto (on a terminal), always or never.")
    var color: ColourChoice = .auto

    @OptionGroup var options: ConfigurationOption

    enum ColourChoice: String, ExpressibleByArgument, CaseIterable { case auto, always, never }

    func validate() throws {
        guard lines >= 0 else { throw ValidationError("--lines must be 0 or more") }
        if let since, Self.parseSince(since, now: Date()) == nil {
            throw ValidationError("--since takes an age (90s, 30m, 2h, 7d) or a UTC time (2026-12-01T08:00:00Z), not '\(since)'")
        }
    }

    func run() async throws {
        if cluster { return try await runOnCluster() }
        let path = try alertFilePath()
        let follower = AlertFileFollower(path: path)
        do {
            if try !follower.open() {
                guard follow else { throw CommandFailure.invalidInput("\(path): no such alert file (no alert has been written yet?)") }
                FileHandle.standardError.write(Data("feedwatch: waiting for \(path) to appear\n".utf8))
            }
            var filter = Filter(rules: Set(rules), since: since.flatMap { Self.parseSince($0, now: Date()) })
            let colour = useColour
            let stories = StoryWatch(store: json ? nil : await storyStore())
            var first = try follower.poll().compactMap { filter.keep($0, path: path) }
            if since == nil { first = Array(first.suffix(lines)) }
            await emit(first, colour: colour, stories: stories)
            var round = 0
            while follow {
                try await Task.sleep(for: .milliseconds(200))
                await emit(try follower.poll().compactMap { filter.keep($0, path: path) }, colour: colour, stories: stories)
                round += 1
                if round % 10 == 0 { await stories.reportGrown(colour: colour) }
            }
        } catch let error as AlertFileError {
            throw CommandFailure.runtime(error.description)
        }
    }

    /// `--cluster`: the latest alerts from the shared database, then (with -f) each as it is raised.
    private func runOnCluster() async throws {
        let configuration = try options.loadConfiguration()
        guard let location = configuration.store else {
            throw CommandFailure.invalidInput("--cluster reads the shared database, and \(configuration.file) names none (store: postgresql://…)")
        }
        let store: PostgresStore
        do {
            store = try await PostgresStore(location, instance: "tail", hostKey: HostKey.of, logger: Daemon.Configuration.silent)
        } catch {
            throw CommandFailure.runtime(error.description)
        }
        var filter = Filter(rules: Set(rules), since: since.flatMap { Self.parseSince($0, now: Date()) })
        let colour = useColour
        let stories = StoryWatch(store: json ? nil : store)
        // Listening starts before the latest are read, so that none raised in between is missed.
        let (raised, continuation) = AsyncStream.makeStream(of: RaisedAlert.self)
        let listener = Task { () -> StoreError? in
            defer { continuation.finish() }
            guard follow else { return nil }
            do throws(StoreError) { try await store.followAlerts { continuation.yield($0) } } catch { return error }
            return nil
        }
        defer { listener.cancel() }
        // While following, stories shown earlier that reach more feeds are said every 2 s, as for a file.
        let growth = Task {
            guard follow else { return }
            while (try? await Task.sleep(for: .seconds(2))) != nil { await stories.reportGrown(colour: colour) }
        }
        defer { growth.cancel() }
        let latest: [(line: String, alert: Alert)]
        do {
            latest = try await store.alerts(since: filter.since, limit: filter.since == nil ? lines : Int.max)
                .compactMap { filter.keep(Self.deliveredLine($0), path: location.description) }
        } catch {
            throw CommandFailure.runtime(error.description)
        }
        await emit(latest, colour: colour, stories: stories)
        var shown = Set(latest.map(\.alert.id))
        for await alert in raised {
            guard let alert = filter.keep(Self.deliveredLine(alert), path: location.description), shown.insert(alert.alert.id).inserted else { continue }
            await emit([alert], colour: colour, stories: stories)
        }
        if let error = await listener.value { throw CommandFailure.runtime(error.description) }
    }

    /// An alert from the shared database as the sinks deliver it (with its story); as stored when it
    /// cannot be read (the filter then says so).
    private static func deliveredLine(_ raised: RaisedAlert) -> String {
        (try? Alert(stored: raised.json, story: raised.story))?.jsonLine ?? raised.json
    }

    private func alertFilePath() throws -> String {
        if let file { return file }
        let configuration = try options.loadConfiguration()
        for sink in configuration.sinks {
            if case .file(let path) = sink.kind { return path }
        }
        throw CommandFailure.invalidInput("\(configuration.file): no file sink is configured; name the alert file: feedwatch tail FILE")
    }

    private var useColour: Bool {
        switch color {
        case .always: true
        case .never: false
        case .auto: !json && isatty(1) == 1 && (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        }
    }

    private func emit(_ alerts: [(line: String, alert: Alert)], colour: Bool, stories: StoryWatch) async {
        guard !alerts.isEmpty else { return }
        let feeds = await stories.show(alerts.map(\.alert))
        var out = ""
        for (line, alert) in alerts {
            out += json ? line + "\n" : AlertText.block(alert, colour: colour, otherFeeds: alert.story.flatMap { feeds[$0.id] } ?? 0) + "\n\n"
        }
        StandardOutput.write(Array(out.utf8))
    }

    /// The configuration's store, when there is one to read stories from (a FILE given without a
    /// configuration has none; an embedded store not made yet is not created).
    private func storyStore() async -> (any Store)? {
        guard let configuration = try? options.loadConfiguration() else { return nil }
        return try? await configuration.openExistingStore()
    }

    /// `2h` → two hours before `now`; an ISO 8601 time as it is.
    static func parseSince(_ text: String, now: Date) -> Date? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        if let unit = text.last.flatMap({ units[$0] }), let count = Double(text.dropLast()), count >= 0 {
            return now.addingTimeInterval(-count * unit)
        }
        return try? Date(text, strategy: Date.ISO8601FormatStyle())
    }

    /// Which lines are shown; a line that is not an alert is skipped with one warning.
    struct Filter {
        var rules: Set<String>
        var since: Date?
        private var warned = false

        init(rules: Set<String>, since: Date?) {
            self.rules = rules
            self.since = since
        }

        mutating func keep(_ line: String, path: String) -> (line: String, alert: Alert)? {
            guard !line.isEmpty else { return nil }
            guard let alert = try? Alert(jsonLine: line) else {
                if !warned {
                    FileHandle.standardError.write(Data("feedwatch: \(path): skipping a line that is not an alert: \(line.prefix(80))\n".utf8))
                    warned = true
                }
                return nil
            }
            if !rules.isEmpty && !rules.contains(alert.rule) { return nil }
            if let since, let time = try? Date(alert.ts, strategy: Date.ISO8601FormatStyle()), time < since { return nil }
            return (line, alert)
        }
    }
}

/// The stories of the alerts shown, and how many other feeds carry each: looked up when an alert is
/// shown, and again while following, to say when a story reaches more feeds.
actor StoryWatch {
    private let store: (any Store)?
    /// Story id → the alert shown for it and the other feeds known then; the latest 200 stories.
    private var shown: [String: (alert: Alert, otherFeeds: Int)] = [:]
    private var order: [String] = []

    init(store: (any Store)?) { self.store = store }

    /// Other feeds per story id of `alerts`.
    func show(_ alerts: [Alert]) async -> [String: Int] {
        let ids = alerts.compactMap(\.story?.id)
        guard let store, !ids.isEmpty, let standing = try? await store.stories(ids) else { return [:] }
        var feeds: [String: Int] = [:]
        for alert in alerts {
            guard let id = alert.story?.id else { continue }
            let others = max(0, (standing[id]?.feeds ?? 1) - 1)
            feeds[id] = others
            if shown[id] == nil { order.append(id) }
            shown[id] = (alert, others)
        }
        if order.count > 200 {
            for id in order.prefix(order.count - 200) { shown[id] = nil }
            order.removeFirst(order.count - 200)
        }
        return feeds
    }

    /// Writes a line for each story shown that other feeds have carried since.
    func reportGrown(colour: Bool) async {
        let grown = await grown()
        guard !grown.isEmpty else { return }
        StandardOutput.write(Array(grown.map { AlertText.moreCopies($0.alert, otherFeeds: $0.otherFeeds, colour: colour) + "\n\n" }.joined().utf8))
    }

    /// The stories shown that other feeds have carried since.
    private func grown() async -> [(alert: Alert, otherFeeds: Int)] {
        guard let store, !order.isEmpty, let standing = try? await store.stories(order) else { return [] }
        var grown: [(alert: Alert, otherFeeds: Int)] = []
        for id in order {
            guard let entry = shown[id], let now = standing[id], now.feeds - 1 > entry.otherFeeds else { continue }
            shown[id] = (entry.alert, now.feeds - 1)
            grown.append((entry.alert, now.feeds - 1))
        }
        return grown
    }
}

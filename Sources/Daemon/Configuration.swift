// SPDX-License-Identifier: MIT
public import Store

/// Settings every feed has, from `defaults:` and overridable per feed.
public struct FeedSettings: Sendable, Equatable {
    /// Time between polls. Default 15 minutes; 1 s to 7 days.
    public var interval: Duration = .seconds(15 * 60)
    /// Fetch and clean the linked article page. Default true.
    public var fullText = true
    /// How entries are told apart. Default `auto`.
    public var identity = EntryIdentity.auto
    /// Alert on the entries present at a feed's first successful fetch. Default false.
    public var alertExisting = false
    /// Never poll sooner than `Cache-Control`/`Expires` allow. Default true; false lets a shorter
    /// configured interval win.
    public var respectCache = true

    public init() {}
}

/// One watched feed.
public struct FeedConfiguration: Sendable, Equatable {
    public var url: String
    public var name: String?
    public var settings: FeedSettings
    /// 1-based line of the feed in the configuration file.
    public var line: Int
}

/// Politeness and load limits (`limits:`).
public struct Limits: Sendable, Equatable {
    /// HTTP transfers in flight at once, feeds and pages together. Default 50.
    public var maximumFetches = 50
    /// Connections to one host at once. Default 2.
    public var perHost = 2
    /// Least time between the starts of two requests to one host. Default 100 ms.
    public var hostSpacing: Duration = .milliseconds(100)

    public init() {}
}

/// Everything `feedwatch.yaml` says, validated, with paths made absolute.
public struct Configuration: Sendable, Equatable {
    /// The configuration file itself.
    public var file: String
    /// Where the state database lives. Default `$STATE_DIRECTORY`, else `state` beside the file.
    public var stateDirectory: String
    /// The PostgreSQL database several instances share (`store:`); `nil`: SQLite in the state directory.
    public var store: PostgresLocation?
    /// The rules file. Default `rules.conf` beside the configuration file.
    public var rulesFile: String
    public var defaults = FeedSettings()
    public var limits = Limits()
    public var feeds: [FeedConfiguration] = []
    /// Default: a file sink at `$LOGS_DIRECTORY/alerts.jsonl`, else `alerts.jsonl` beside the file.
    public var sinks: [SinkConfiguration] = []
    /// Where the Prometheus metrics are written (`metrics_file:`); none by default.
    public var metricsFile: String?
    /// Rule name → names of the sinks its alerts go to (`routes:`); a rule not listed goes to all.
    public var routes: [String: [String]] = [:]
    /// How copies of one story across feeds are told (`stories:`); `nil`: `stories: off`.
    public var stories: StorySettings? = StorySettings()
    /// What the archive keeps for `feedwatch rules test` (`archive:`); `nil`: `archive: off`.
    public var archive: ArchivePolicy? = Configuration.defaultArchive

    /// Seven days, at most 1 GiB of compressed text.
    public static let defaultArchive = ArchivePolicy(keep: 7 * 86_400, maximumBytes: 1 << 30)

    /// Which sinks each rule's alerts go to.
    public var routing: SinkRouting { SinkRouting(all: sinks.map(\.name), routes: routes) }
}

/// The sinks an alert goes to: those its rule is routed to, else every sink.
public struct SinkRouting: Sendable, Equatable {
    public var all: [String]
    public var routes: [String: [String]]

    public func sinks(for rule: String) -> [String] { routes[rule] ?? all }
}

/// `stories:`: entries whose cleaned text is a near-duplicate of a story seen within `window` join it,
/// and each rule alerts once per story (but the rules in `everyCopy`, which alert for every copy).
public struct StorySettings: Sendable, Equatable {
    public var window: Duration = .seconds(72 * 3600)
    /// Estimated Jaccard similarity of the texts' word 4-shingles at or above which an entry is a copy.
    /// Measured on a labelled set (`StoryLabelledSetTests`): copies 0.64 at least (median 0.95),
    /// follow-ups quoting up to 40% of a story 0.34 at most; 0.5 leaves room both ways.
    public var similarity = 0.5
    public var everyCopy: Set<String> = []

    public init() {}

    /// What the store needs to place entries in stories.
    public var policy: StoryPolicy {
        StoryPolicy(window: Double(window.components.seconds), similarity: similarity)
    }
}

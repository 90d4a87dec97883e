// SPDX-License-Identifier: MIT
// Reading `feedwatch.yaml`. Keys (every one optional but `feeds[].url`):
//
//   key                      type                      default
//   state_dir                path                      $STATE_DIRECTORY, else ./state
//   store                    postgresql://USER@HOST:PORT/DBNAME  none: SQLite in state_dir (see docs/scaling.md)
//   metrics_file             path                      none (Prometheus text format, rewritten every 15 s)
//   rules                    path                      rules.conf ($CONFIGURATION_DIRECTORY or beside the file)
//   defaults.interval        duration 1s..7d           15m
//   defaults.full_text       bool                      true
//   defaults.identity        auto|guid|link|content    auto
//   defaults.alert_existing  bool                      false
//   defaults.respect_cache   bool                      true
//   limits.max_fetches       integer 1..1000           50 (HTTP transfers in flight)
//   limits.per_host          integer 1..16             2 (connections to one host)
//   limits.host_spacing      duration 0ms..1m          100ms (between request starts to one host)
//   feeds[]                  url (http/https), name, and any key of defaults
//   sinks[]                  see Configuration+Sinks.swift; default: one file sink,
//                            $LOGS_DIRECTORY/alerts.jsonl, else ./alerts.jsonl
//   routes                   rule name -> [sink names]; rules not listed go to every sink
//   stories                  off, or stories.window (duration, 72h), stories.similarity (0.2..1, 0.5),
//                            stories.every_copy ([rule names] that alert for every copy of a story)
//   archive                  off, or archive.keep (duration, 7d), archive.max_size (size such as 500MB, 1GB)
//
// Relative paths are relative to the configuration file. Every problem is reported at once, each as
// `file:line:column: message`: unknown keys, wrong types, bad values, duplicate feeds.
public import Foundation
import Fetching
import Store
import Yams

/// A problem in a configuration file, placed like a compiler error.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int
    public let column: Int
    public let message: String
    public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// Every problem of a configuration file: it is rejected as a whole.
public struct ConfigurationErrors: Error, Sendable, CustomStringConvertible {
    public let errors: [ConfigurationError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

extension Configuration {
    /// Reads and validates the configuration file at `path`.
    /// - Parameters:
    ///   - environment: where `STATE_DIRECTORY`, `LOGS_DIRECTORY` and `CONFIGURATION_DIRECTORY` come
    ///     from (systemd sets them).
    public static func load(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationErrors) -> Configuration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationErrors(errors: [ConfigurationError(file: path, line: 1, column: 1,
                message: "cannot read the configuration file: \((error as NSError).localizedDescription)")])
        }
        return try parse(text, path: path, environment: environment)
    }

    /// Parses configuration text that came from `path` (used for relative paths and error positions).
    public static func parse(
        _ text: String, path: String, environment: [String: String] = [:]
    ) throws(ConfigurationErrors) -> Configuration {
        var reader = ConfigurationReader(path: path, environment: environment)
        let configuration = reader.read(text)
        guard reader.errors.isEmpty, let configuration else { throw ConfigurationErrors(errors: reader.errors) }
        return configuration
    }
}

/// Walks the YAML tree, collecting every error with its position.
struct ConfigurationReader {
    let path: String
    let environment: [String: String]
    private(set) var errors: [ConfigurationError] = []
    var directory: String { (path as NSString).deletingLastPathComponent }

    init(path: String, environment: [String: String]) {
        self.path = path
        self.environment = environment
    }

    mutating func read(_ text: String) -> Configuration? {
        let root: Node?
        do {
            // Every value is read as text and typed by the reader itself (with messages naming the
            // key), so Yams's implicit typing by regular expression per scalar is not needed.
            root = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            fail(at: Self.mark(of: error), "not valid YAML: \(Self.problem(of: error))")
            return nil
        } catch {
            fail(at: nil, "not valid YAML: \(error)")
            return nil
        }
        let systemd = environment["CONFIGURATION_DIRECTORY"].flatMap { $0.isEmpty ? nil : $0 }
        var configuration = Configuration(
            file: path,
            stateDirectory: environment["STATE_DIRECTORY"].flatMap { $0.isEmpty ? nil : $0 } ?? absolute("state"),
            rulesFile: systemd.map { ($0 as NSString).appendingPathComponent("rules.conf") } ?? absolute("rules.conf"))
        guard let root else {
            fail(at: nil, "the configuration is empty: list at least one feed under `feeds:`")
            return nil
        }
        guard let mapping = mapping(root, "the configuration") else { return nil }
        let topLevel = ["state_dir", "store", "rules", "metrics_file", "defaults", "limits", "feeds", "sinks", "routes", "stories", "archive"]
        for (key, _) in mapping where !topLevel.contains(key.string ?? "") {
            unknown(key, in: "the configuration", known: topLevel)
        }
        if let node = mapping["limits"], let limits = self.mapping(node, "limits") { configuration.limits = readLimits(limits) }
        if let node = mapping["state_dir"], let s = string(node, "state_dir") { configuration.stateDirectory = absolute(s) }
        if let node = mapping["metrics_file"], let s = string(node, "metrics_file") { configuration.metricsFile = absolute(s) }
        if let node = mapping["rules"], let s = string(node, "rules") { configuration.rulesFile = absolute(s) }
        // Defaults first: feeds inherit them whatever the order of the keys in the file.
        if let node = mapping["defaults"], let settings = self.mapping(node, "defaults") {
            configuration.defaults = readSettings(settings, base: FeedSettings(), context: "defaults", allowed: [])
        }
        if let node = mapping["feeds"] {
            configuration.feeds = readFeeds(node, defaults: configuration.defaults)
        } else {
            fail(at: root.mark, "no feeds: list at least one under `feeds:` (each with a `url:`)")
        }
        if let node = mapping["sinks"] {
            configuration.sinks = readSinks(node)
        } else {
            let logs = environment["LOGS_DIRECTORY"].flatMap { $0.isEmpty ? nil : $0 }
            let path = logs.map { ($0 as NSString).appendingPathComponent("alerts.jsonl") } ?? absolute("alerts.jsonl")
            configuration.sinks = [SinkConfiguration(kind: .file(path: path), line: 1)]
        }
        if let node = mapping["routes"] { configuration.routes = readRoutes(node, sinks: configuration.sinks) }
        if let node = mapping["stories"] { configuration.stories = readStories(node) }
        if let node = mapping["archive"] { configuration.archive = readArchive(node) }
        if let node = mapping["store"] { readStore(node, into: &configuration) }
        return configuration
    }

    // MARK: Sections

    /// `store: postgresql://…`: every instance's state, stories and archive in one database.
    private mutating func readStore(_ node: Node, into configuration: inout Configuration) {
        guard let text = string(node, "store") else { return }
        do {
            configuration.store = try PostgresLocation(text)
        } catch {
            fail(at: node.mark, "store: \(error.description)")
        }
    }

    private mutating func readFeeds(_ node: Node, defaults: FeedSettings) -> [FeedConfiguration] {
        guard case .sequence(let items) = node else {
            fail(at: node.mark, "`feeds` must be a list of feeds, each `- url: https://…`")
            return []
        }
        var feeds: [FeedConfiguration] = []
        var seen: [String: Int] = [:]
        for item in items {
            guard let entry = mapping(item, "a feed") else { continue }
            // One pass over the feed's keys (Yams has refused repeated keys): a configuration can
            // list ten thousand feeds, and a lookup by key walks the mapping.
            var urlNode: Node?
            var nameNode: Node?
            for (key, value) in entry {
                switch key.string {
                case "url": urlNode = value
                case "name": nameNode = value
                default: continue
                }
            }
            guard let urlNode, let url = string(urlNode, "url") else {
                if urlNode == nil { fail(at: item.mark, "a feed needs `url:`") }
                continue
            }
            guard HTTPClient.isWebURL(url), url.utf8.count > 8, !url.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else {
                fail(at: urlNode.mark, "feed url '\(url)' is not an http(s) URL")
                continue
            }
            let line = urlNode.mark?.line ?? 0
            let key = Self.normalized(url)
            if let first = seen[key] {
                fail(at: urlNode.mark, "duplicate feed '\(url)': it is already listed at line \(first)")
                continue
            }
            seen[key] = line
            let name = nameNode.flatMap { string($0, "name") }
            let settings = readSettings(entry, base: defaults, context: "a feed", allowed: Self.feedKeys)
            feeds.append(FeedConfiguration(url: url, name: name, settings: settings, line: line))
        }
        return feeds
    }

    /// A feed's own keys, beside the settings it may override.
    private static let feedKeys: Set<String> = ["url", "name"]
    private static let settingKeys = ["interval", "full_text", "identity", "alert_existing", "respect_cache"]

    private mutating func readSettings(_ mapping: Node.Mapping, base: FeedSettings, context: String, allowed: Set<String>) -> FeedSettings {
        var settings = base
        let known = Self.settingKeys
        for (key, value) in mapping {
            switch key.string {
            case "interval": if let d = duration(value, "interval") { settings.interval = d }
            case "full_text": if let b = bool(value, "full_text") { settings.fullText = b }
            case "alert_existing": if let b = bool(value, "alert_existing") { settings.alertExisting = b }
            case "respect_cache": if let b = bool(value, "respect_cache") { settings.respectCache = b }
            case "identity":
                if let s = string(value, "identity") {
                    if let identity = EntryIdentity(rawValue: s) {
                        settings.identity = identity
                    } else {
                        fail(at: value.mark, "identity must be auto, guid, link or content, not '\(s)'")
                    }
                }
            case let name? where allowed.contains(name): continue
            default: unknown(key, in: context, known: Array(allowed).sorted() + known)
            }
        }
        return settings
    }

    private mutating func readStories(_ node: Node) -> StorySettings? {
        if case .scalar = node {
            if bool(node, "stories") == false { return nil }
            return StorySettings()
        }
        guard let mapping = mapping(node, "stories") else { return StorySettings() }
        var stories = StorySettings()
        for (key, value) in mapping {
            switch key.string {
            case "window": if let d = duration(value, "window") { stories.window = d }
            case "similarity":
                if let x = value.string.flatMap(Double.init), (0.2...1).contains(x) {
                    stories.similarity = x
                } else {
                    fail(at: value.mark, "`similarity` must be a number from 0.2 to 1 (the share of the text two copies have in common), not '\(value.string ?? "a list or mapping")'")
                }
            case "every_copy":
                guard case .sequence(let names) = value else {
                    fail(at: value.mark, "`every_copy` must be a list of rule names, e.g. [breaking-news]")
                    break
                }
                stories.everyCopy = Set(names.compactMap { string($0, "every_copy") })
            default: unknown(key, in: "stories", known: ["window", "similarity", "every_copy"])
            }
        }
        return stories
    }

    private mutating func readArchive(_ node: Node) -> ArchivePolicy? {
        if case .scalar = node {
            return bool(node, "archive") == false ? nil : Configuration.defaultArchive
        }
        guard let mapping = mapping(node, "archive") else { return Configuration.defaultArchive }
        var archive = Configuration.defaultArchive
        for (key, value) in mapping {
            switch key.string {
            case "keep": if let d = duration(value, "keep") { archive.keep = Double(d.components.seconds) }
            case "max_size":
                if let bytes = Self.byteSize(value.string ?? ""), bytes >= 1 << 20 {
                    archive.maximumBytes = bytes
                } else {
                    fail(at: value.mark, "`max_size` must be a size of 1MB or more such as 500MB or 2GB, not '\(value.string ?? "a list or mapping")'")
                }
            default: unknown(key, in: "archive", known: ["keep", "max_size"])
            }
        }
        return archive
    }

    /// `500MB`, `2GB`, `64MiB`, `1048576`: bytes (K, M, G as powers of 1024).
    static func byteSize(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard let number = Int(digits) else { return nil }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        let scale: Int
        switch unit {
        case "", "B": scale = 1
        case "K", "KB", "KIB": scale = 1 << 10
        case "M", "MB", "MIB": scale = 1 << 20
        case "G", "GB", "GIB": scale = 1 << 30
        default: return nil
        }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: scale)
        return overflow ? nil : bytes
    }

    private mutating func readLimits(_ mapping: Node.Mapping) -> Limits {
        var limits = Limits()
        for (key, value) in mapping {
            switch key.string {
            case "max_fetches": if let n = integer(value, "max_fetches", 1...1000) { limits.maximumFetches = n }
            case "per_host": if let n = integer(value, "per_host", 1...16) { limits.perHost = n }
            case "host_spacing":
                guard let d = duration(value, "host_spacing", allowMilliseconds: true) else { break }
                if d <= .seconds(60) {
                    limits.hostSpacing = d
                } else {
                    fail(at: value.mark, "`host_spacing` must be at most 1m, not '\(value.string ?? "")'")
                }
            default: unknown(key, in: "limits", known: ["max_fetches", "per_host", "host_spacing"])
            }
        }
        return limits
    }

    // MARK: Values

    mutating func mapping(_ node: Node, _ what: String) -> Node.Mapping? {
        guard case .mapping(let mapping) = node else {
            fail(at: node.mark, "\(what) must be a mapping of `key: value` lines")
            return nil
        }
        return mapping
    }

    mutating func string(_ node: Node, _ key: String) -> String? {
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
            fail(at: node.mark, "`\(key)` must be a non-empty text value")
            return nil
        }
        return scalar.string
    }

    mutating func bool(_ node: Node, _ key: String) -> Bool? {
        switch node.string?.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            fail(at: node.mark, "`\(key)` must be true or false, not '\(node.string ?? "a list or mapping")'")
            return nil
        }
    }

    mutating func integer(_ node: Node, _ key: String, _ range: ClosedRange<Int>) -> Int? {
        guard let n = node.string.flatMap({ Int($0) }), range.contains(n) else {
            fail(at: node.mark, "`\(key)` must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(node.string ?? "a list or mapping")'")
            return nil
        }
        return n
    }

    /// `90s`, `15m`, `1h`, `7d` (1 s to 7 days); with `allowMilliseconds`, also `250ms` and zero.
    mutating func duration(_ node: Node, _ key: String, allowMilliseconds: Bool = false) -> Duration? {
        let text = node.string ?? ""
        if allowMilliseconds, text.hasSuffix("ms"), let ms = Int(text.dropLast(2)), ms >= 0, ms <= 60_000 {
            return .milliseconds(ms)
        }
        guard let unit = text.last, let number = Int(text.dropLast()), number >= 0,
            let scale = ["s": 1, "m": 60, "h": 3600, "d": 86_400][String(unit)]
        else {
            let forms = allowMilliseconds ? "250ms, 1s or 1m" : "90s, 15m, 1h or 7d"
            fail(at: node.mark, "`\(key)` must be a duration such as \(forms), not '\(text)'")
            return nil
        }
        let seconds = number.multipliedReportingOverflow(by: scale)
        let minimum = allowMilliseconds ? 0 : 1
        guard !seconds.overflow, seconds.partialValue >= minimum, seconds.partialValue <= 7 * 86_400 else {
            fail(at: node.mark, "`\(key)` must be between 1s and 7d, not '\(text)'")
            return nil
        }
        return .seconds(seconds.partialValue)
    }

    mutating func unknown(_ key: Node, in context: String, known: [String]) {
        fail(at: key.mark, "unknown key '\(key.string ?? "?")' in \(context): the keys are \(known.joined(separator: ", "))")
    }

    mutating func fail(at mark: Mark?, _ message: String) {
        errors.append(ConfigurationError(file: path, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message))
    }

    func absolute(_ relative: String) -> String {
        relative.hasPrefix("/") ? relative : ((directory.isEmpty ? "." : directory) as NSString).appendingPathComponent(relative)
    }

    /// Feed URLs compare without the scheme's and host's case and a trailing slash.
    private static func normalized(_ url: String) -> String {
        var bytes = Array(url.utf8)
        if bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        // Lowercase up to the first "/" after "://" (the scheme and the host), or all of it without one.
        var hostEnd = bytes.count
        if let colon = bytes.firstIndex(of: UInt8(ascii: ":")), bytes[colon...].starts(with: "://".utf8) {
            hostEnd = bytes[(colon + 3)...].firstIndex(of: UInt8(ascii: "/")) ?? bytes.count
        }
        for index in 0..<hostEnd { bytes[index] = bytes[index].asciiLowercased }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func mark(of error: YamlError) -> Mark? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _): return mark
        default: return nil
        }
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _): return problem
        default: return "\(error)"
        }
    }
}

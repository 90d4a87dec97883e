// SPDX-License-Identifier: MIT
import Foundation
import Store
import Testing
@testable import Daemon

struct ConfigurationTests {
    private func parse(_ text: String, environment: [String: String] = [:]) throws -> Configuration {
        try Configuration.parse(text, path: "/etc/feedwatch/feedwatch.yaml", environment: environment)
    }

    private func errors(_ text: String) -> [String] {
        do {
            _ = try Configuration.parse(text, path: "/etc/feedwatch/feedwatch.yaml")
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func theSampleConfigurationIsValid() throws {
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Config/feedwatch.yaml").path
        let configuration = try Configuration.load(path: sample, environment: [:])
        #expect(configuration.feeds.count == 5)
        #expect(configuration.feeds[3].settings.interval == .seconds(1800))
        #expect(configuration.feeds[4].settings.fullText == false)
        #expect(configuration.rulesFile.hasSuffix("Config/rules.conf"))
        #expect(configuration.sinks.count == 2)
    }

    @Test func defaultsInheritanceAndRelativePaths() throws {
        let configuration = try parse("""
            feeds:
              - url: https://example.org/rss
                identity: link
            defaults:
              interval: 90s
              full_text: no
            state_dir: var/state
            rules: /srv/rules.conf
            """)
        let feed = try #require(configuration.feeds.first)
        #expect(feed.settings.interval == .seconds(90))
        #expect(feed.settings.fullText == false)
        #expect(feed.settings.identity == .link)
        #expect(feed.settings.respectCache)
        #expect(feed.line == 2)
        #expect(configuration.stateDirectory == "/etc/feedwatch/var/state")
        #expect(configuration.rulesFile == "/srv/rules.conf")
        #expect(configuration.sinks.map(\.kind) == [.file(path: "/etc/feedwatch/alerts.jsonl")])
    }

    @Test func systemdDirectoriesAreTheDefaults() throws {
        let configuration = try parse("feeds:\n  - url: http://example.org/feed\n", environment: [
            "STATE_DIRECTORY": "/var/lib/feedwatch", "LOGS_DIRECTORY": "/var/log/feedwatch",
            "CONFIGURATION_DIRECTORY": "/etc/feedwatch-conf",
        ])
        #expect(configuration.stateDirectory == "/var/lib/feedwatch")
        #expect(configuration.rulesFile == "/etc/feedwatch-conf/rules.conf")
        #expect(configuration.sinks.map(\.kind) == [.file(path: "/var/log/feedwatch/alerts.jsonl")])
    }

    /// The rules file: relative to the configuration, systemd's configuration directory, or the default.
    @Test func theRulesFileIsResolvedWhereverTheKeyStands() throws {
        for (text, environment, expected) in [
            ("rules: my.conf\nfeeds:\n  - url: http://example.org/feed\n", [:], "/etc/feedwatch/my.conf"),
            ("feeds:\n  - url: http://example.org/feed\n", ["CONFIGURATION_DIRECTORY": "/etc/fw"], "/etc/fw/rules.conf"),
            ("feeds:\n  - url: http://example.org/feed\nrules: /srv/r.conf\n", [:], "/srv/r.conf"),
        ] {
            let configuration = try Configuration.parse(text, path: "/etc/feedwatch/feedwatch.yaml", environment: environment)
            #expect(configuration.rulesFile == expected)
        }
    }

    @Test func everyProblemIsReportedWithItsPosition() {
        let found = errors("""
            state_dir: state
            colour: blue
            defaults:
              interval: 10 minutes
              full_text: maybe
            feeds:
              - url: https://example.org/rss
              - url: https://EXAMPLE.org/rss/
              - url: ftp://example.org/rss
              - name: No URL here
              - url: https://example.org/other
                identity: hash
                speed: fast
            sinks:
              - type: webhook
              - type: stdout
                format: xml
            """)
        #expect(found == [
            "/etc/feedwatch/feedwatch.yaml:2:1: unknown key 'colour' in the configuration: the keys are state_dir, store, rules, metrics_file, defaults, limits, feeds, sinks, routes, stories, archive",
            "/etc/feedwatch/feedwatch.yaml:4:13: `interval` must be a duration such as 90s, 15m, 1h or 7d, not '10 minutes'",
            "/etc/feedwatch/feedwatch.yaml:5:14: `full_text` must be true or false, not 'maybe'",
            "/etc/feedwatch/feedwatch.yaml:8:10: duplicate feed 'https://EXAMPLE.org/rss/': it is already listed at line 7",
            "/etc/feedwatch/feedwatch.yaml:9:10: feed url 'ftp://example.org/rss' is not an http(s) URL",
            "/etc/feedwatch/feedwatch.yaml:10:5: a feed needs `url:`",
            "/etc/feedwatch/feedwatch.yaml:12:15: identity must be auto, guid, link or content, not 'hash'",
            "/etc/feedwatch/feedwatch.yaml:13:5: unknown key 'speed' in a feed: the keys are name, url, interval, full_text, identity, alert_existing, respect_cache",
            "/etc/feedwatch/feedwatch.yaml:15:11: a webhook sink needs `url:`",
            "/etc/feedwatch/feedwatch.yaml:17:13: format must be json or text, not 'xml'",
        ])
    }

    @Test func feedURLsWithWhitespaceOrControlCharactersAreRefused() {
        let found = errors("feeds:\n  - url: \"https://example.org/a b\"\n  - url: \"https://example.org/a\\tb\"\n  - url: https://example.org/ok\n")
        #expect(found == [
            "/etc/feedwatch/feedwatch.yaml:2:10: feed url 'https://example.org/a b' is not an http(s) URL",
            "/etc/feedwatch/feedwatch.yaml:3:10: feed url 'https://example.org/a\tb' is not an http(s) URL",
        ])
    }

    @Test func feedURLSchemesAreHTTPOrHTTPSInAnyCase() {
        let found = errors("""
            feeds:
              - url: HTTPS://Example.org/a
              - url: Http://example.org/b
              - url: httpx://example.org/c
              - url: http:/example.org/d
              - url: "http://"
              - name: Named first
                url: https://example.org/e
            """)
        #expect(found == [
            "/etc/feedwatch/feedwatch.yaml:4:10: feed url 'httpx://example.org/c' is not an http(s) URL",
            "/etc/feedwatch/feedwatch.yaml:5:10: feed url 'http:/example.org/d' is not an http(s) URL",
            "/etc/feedwatch/feedwatch.yaml:6:10: feed url 'http://' is not an http(s) URL",
        ])
    }

    @Test(arguments: [
        ("interval: 0s", "between 1s"), ("interval: 8d", "between 1s and 7d"), ("interval: 15", "duration such as"),
    ])
    func durationBounds(line: String, message: String) {
        let found = errors("defaults:\n  \(line)\nfeeds:\n  - url: https://example.org/rss\n")
        #expect(found.count == 1)
        #expect(found.first?.contains(message) == true)
    }

    @Test func invalidYAMLAndMissingFeeds() {
        #expect(errors("feeds: [unclosed").first?.contains("not valid YAML") == true)
        #expect(errors("state_dir: x").first?.contains("no feeds") == true)
        #expect(errors("").first?.contains("empty") == true)
        #expect(errors("- just\n- a list").first?.contains("must be a mapping") == true)
    }
}

@Suite struct LimitsConfigurationTests {
    private func parse(_ limits: String) throws -> Configuration {
        try Configuration.parse("limits:\n\(limits)\nfeeds:\n  - url: https://a.example/rss\n", path: "/etc/feedwatch/feedwatch.yaml")
    }

    @Test func defaultsAndValues() throws {
        #expect(try parse("  per_host: 2").limits == Limits())
        let limits = try parse("  max_fetches: 200\n  per_host: 4\n  host_spacing: 0ms").limits
        #expect(limits.maximumFetches == 200 && limits.perHost == 4 && limits.hostSpacing == .zero)
        #expect(try parse("  host_spacing: 2s").limits.hostSpacing == .seconds(2))
    }

    @Test func badValuesNameTheirLine() {
        #expect(throws: ConfigurationErrors.self) { try parse("  per_host: 0") }
        do {
            _ = try parse("  max_fetches: 10\n  host_spacing: 5m\n  speed: 3")
            Issue.record("accepted")
        } catch let error as ConfigurationErrors {
            #expect(error.errors.map(\.line) == [3, 4])
            #expect(error.description.contains("at most 1m") && error.description.contains("unknown key 'speed' in limits"))
        } catch {
            Issue.record("\(error)")
        }
    }
}

/// `stories:`: on by default (72 h, similarity 0.5), `off`, or a mapping; bad values name their line.
@Suite struct StoriesConfigurationTests {
    private func parse(_ stories: String) throws -> Configuration {
        try Configuration.parse("feeds:\n  - url: https://a.example/rss\n\(stories)", path: "/etc/feedwatch/feedwatch.yaml")
    }

    @Test func onByDefaultOffOrSet() throws {
        let standard = try #require(try parse("").stories)
        #expect(standard.window == .seconds(72 * 3600) && standard.similarity == 0.5 && standard.everyCopy.isEmpty)
        #expect(try parse("stories: off\n").stories == nil)
        let set = try #require(try parse("stories:\n  window: 24h\n  similarity: 0.6\n  every_copy: [breaking, markets]\n").stories)
        #expect(set.window == .seconds(86_400) && set.similarity == 0.6 && set.everyCopy == ["breaking", "markets"])
        #expect(set.policy == StoryPolicy(window: 86_400, similarity: 0.6))
    }

    @Test func badValuesNameTheirLine() {
        for (text, message) in [
            ("stories:\n  similarity: 0.1\n", "4:15: `similarity` must be a number from 0.2 to 1"),
            ("stories:\n  every_copy: breaking\n", "4:15: `every_copy` must be a list of rule names"),
            ("stories:\n  windows: 2h\n", "4:3: unknown key 'windows' in stories: the keys are window, similarity, every_copy"),
            ("stories: sometimes\n", "3:10: `stories` must be true or false"),
        ] {
            do {
                _ = try parse(text)
                Issue.record("accepted: \(text)")
            } catch {
                #expect("\(error)".contains(message), "\(error)")
            }
        }
    }
}

/// `archive:`: on by default (7 days, 1 GiB), `off`, or a mapping with sizes in bytes, KB, MB, GB.
@Suite struct ArchiveConfigurationTests {
    private func parse(_ archive: String) throws -> Configuration {
        try Configuration.parse("feeds:\n  - url: https://a.example/rss\n\(archive)", path: "/etc/feedwatch/feedwatch.yaml")
    }

    @Test func onByDefaultOffOrSet() throws {
        #expect(try parse("").archive == ArchivePolicy(keep: 7 * 86_400, maximumBytes: 1 << 30))
        #expect(try parse("archive: off\n").archive == nil)
        #expect(try parse("archive:\n  keep: 2d\n  max_size: 500MB\n").archive == ArchivePolicy(keep: 2 * 86_400, maximumBytes: 500 << 20))
        #expect(ConfigurationReader.byteSize("64MiB") == 64 << 20 && ConfigurationReader.byteSize("2 GB") == 2 << 30)
        #expect(ConfigurationReader.byteSize("1048576") == 1 << 20 && ConfigurationReader.byteSize("lots") == nil)
    }

    @Test func badValuesNameTheirLine() {
        for (text, message) in [
            ("archive:\n  max_size: 10KB\n", "4:13: `max_size` must be a size of 1MB or more"),
            ("archive:\n  kept: 2d\n", "4:3: unknown key 'kept' in archive: the keys are keep, max_size"),
        ] {
            do {
                _ = try parse(text)
                Issue.record("accepted: \(text)")
            } catch {
                #expect("\(error)".contains(message), "\(error)")
            }
        }
    }
}

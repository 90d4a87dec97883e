// SPDX-License-Identifier: MIT
import ArgumentParser
import Daemon
@testable import feedwatch
import Foundation
import TestSupport
import Testing

/// `run` and `once` read their configuration while the command line is parsed; what was read is used
/// only for the path the command resolves.
@Suite(.serialized) struct ConfigurationPrefetchTests {
    private func path(_ arguments: [String], environment: [String: String] = [:]) -> String? {
        ConfigurationPrefetch.configurationPath(in: ["feedwatch"] + arguments, environment: environment)
    }

    @Test func thePathIsTakenAsTheCommandLineGivesIt() {
        #expect(path(["once", "--config", "a.yaml"]) == "a.yaml")
        #expect(path(["run", "--log-level", "debug", "--config=b.yaml"]) == "b.yaml")
        #expect(path(["once", "--all"]) == "/etc/feedwatch/feedwatch.yaml")
        #expect(path(["run"], environment: ["CONFIGURATION_DIRECTORY": "/etc/fw"]) == "/etc/fw/feedwatch.yaml")
        #expect(path(["once", "--", "--config", "c.yaml"]) == "/etc/feedwatch/feedwatch.yaml")
        #expect(path(["status", "--config", "a.yaml"]) == nil)
        #expect(path([]) == nil)
    }

    /// Where an option is given twice, ArgumentParser and the guess agree on which one counts.
    @Test func theGuessAgreesWithArgumentParser() throws {
        for arguments in [["--config", "a.yaml"], ["--config", "a.yaml", "--config", "b.yaml"], ["--config=a.yaml", "--all"], ["--all"]] {
            let parsed = try OnceCommand.parse(arguments)
            #expect(path(["once"] + arguments) == parsed.options.configuration.configurationPath, "\(arguments)")
        }
    }

    @Test func whatWasReadIsUsedForItsPathOnly() async throws {
        let directory = try makeScratchDirectory("prefetch")
        let config = directory + "/feedwatch.yaml"
        try """
            state_dir: state
            rules: rules.conf
            feeds:
              - url: https://example.org/rss
            """.write(toFile: config, atomically: true, encoding: .utf8)
        try "war = Russia AND aircraft\n".write(toFile: directory + "/rules.conf", atomically: true, encoding: .utf8)

        ConfigurationPrefetch.start(arguments: ["feedwatch", "once", "--config", config])
        #expect(await ConfigurationPrefetch.take(path: directory + "/other.yaml") == nil)
        #expect(await ConfigurationPrefetch.take(path: config) == nil, "a read not taken for its path is dropped")

        ConfigurationPrefetch.start(arguments: ["feedwatch", "once", "--config", config])
        let loaded = try #require(await ConfigurationPrefetch.take(path: config))
        let (configuration, rules) = try loaded.get()
        #expect(configuration.feeds.map(\.url) == ["https://example.org/rss"])
        #expect(rules?.path == directory + "/rules.conf")
        #expect(await ConfigurationPrefetch.take(path: config) == nil, "handed over once")
    }

    @Test func aBrokenConfigurationFailsAsWhenReadDirectly() async throws {
        let directory = try makeScratchDirectory("prefetch-broken")
        let config = directory + "/feedwatch.yaml"
        try "feeds:\n  - url: https://example.org/rss\n    colour: blue\n".write(toFile: config, atomically: true, encoding: .utf8)
        ConfigurationPrefetch.start(arguments: ["feedwatch", "run", "--config", config])
        let prefetched = try #require(await ConfigurationPrefetch.take(path: config))
        let direct = ConfigurationPrefetch.load(path: config)
        guard case .failure(let early) = prefetched, case .failure(let late) = direct else {
            Issue.record("the configuration was accepted")
            return
        }
        #expect(early.description == late.description)
        #expect(early.description.contains("feedwatch.yaml:3"), "\(early)")
    }
}

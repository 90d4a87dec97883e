// SPDX-License-Identifier: MIT
import Foundation
import Testing

struct RuleCommandTests {
    private let rules = """
        # watch rules
        russia-syria-aircraft = Russia AND Syria AND aircraft
        tokyo = Tokyo OR Ｔｏｋｙｏ
        """

    @Test func matchPrintsIdTabSortedNames() throws {
        let rulesFile = try FeedwatchProcess.temporaryFile(Array(rules.utf8), suffix: ".conf")
        let articles = """
            {"id": "a1", "title": "Russian jets in Syria", "body": "Russia sent combat aircraft. Tokyo watched."}

            {"id": "a2", "title": "Nothing", "body": "at all"}
            {"id": 7, "title": "ＴＯＫＹＯ", "body": ""}
            """
        let result = try FeedwatchProcess.run(["match", "--rules", rulesFile], stdin: Data(articles.utf8))
        #expect(result.status == 0)
        #expect(result.stdout == "a1\trussia-syria-aircraft tokyo\na2\t\n7\ttokyo\n")
    }

    @Test func matchWithSeveralJobsKeepsInputOrder() throws {
        let rulesFile = try FeedwatchProcess.temporaryFile(Array(rules.utf8), suffix: ".conf")
        var articles = ""
        var expected = ""
        for i in 0..<20000 {  // enough batches that a race between the workers shows
            articles += "{\"id\": \"d\(i)\", \"title\": \"\(i % 3 == 0 ? "Tokyo" : "Osaka")\", \"body\": \"\"}\n"
            expected += "d\(i)\t\(i % 3 == 0 ? "tokyo" : "")\n"
        }
        let file = try FeedwatchProcess.temporaryFile(Array(articles.utf8), suffix: ".jsonl")
        let result = try FeedwatchProcess.run(["match", "--rules", rulesFile, "--jobs", "2", file])
        #expect(result.status == 0)
        #expect(result.stdout == expected)
    }

    @Test func badArticleLineNamesTheLine() throws {
        let rulesFile = try FeedwatchProcess.temporaryFile(Array(rules.utf8), suffix: ".conf")
        let file = try FeedwatchProcess.temporaryFile(Array("{\"id\": \"x\", \"title\": \"\", \"body\": \"\"}\n{not json\n".utf8))
        let result = try FeedwatchProcess.run(["match", "--rules", rulesFile, file])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(file):2: not valid JSON"))
    }

    @Test func checkReportsEveryErrorWithCaretsAndExitsOne() throws {
        let file = try FeedwatchProcess.temporaryFile(Array("a = (x\nb = ok\nb = y OR\n".utf8), suffix: ".conf")
        let result = try FeedwatchProcess.run(["check", "--rules", file])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(file):1:7: expected ')' to close '(' opened at 1:5\n    a = (x\n          ^"))
        #expect(result.stderr.contains("\(file):3:1: duplicate rule name 'b': it is already defined at line 2"))
        #expect(result.stderr.contains("2 errors"))
        let good = try FeedwatchProcess.temporaryFile(Array(rules.utf8), suffix: ".conf")
        let ok = try FeedwatchProcess.run(["check", "--rules", good])
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("2 rules"))
    }

    @Test func explainShowsEachNodeAndWhereItMatched() throws {
        let rulesFile = try FeedwatchProcess.temporaryFile(Array(rules.utf8), suffix: ".conf")
        let article = "{\"id\": \"s\", \"title\": \"Russian Jets in Syria\", \"body\": \"Russian combat aircraft arrived. Russia might be drawn in.\"}"
        let result = try FeedwatchProcess.run(["explain", "--rules", rulesFile, "russia-syria-aircraft", "-"], stdin: Data(article.utf8))
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0] == "rule russia-syria-aircraft = russia AND syria AND aircraft")
        #expect(lines[1] == "article s: MATCHES")
        #expect(lines[2].hasPrefix("AND") && lines[2].contains("true"))
        #expect(lines[3].hasPrefix("├─ russia") && lines[3].hasSuffix("body@4"))
        #expect(lines[4].hasPrefix("├─ syria") && lines[4].hasSuffix("title@3"))
        #expect(lines[5].hasPrefix("└─ aircraft") && lines[5].hasSuffix("body@2"))

        let miss = try FeedwatchProcess.run(["explain", "--rules", rulesFile, "tokyo AND NOT syria", "-"], stdin: Data(article.utf8))
        #expect(miss.stdout.contains("does not match"))
        #expect(miss.stdout.contains("└─ NOT"))
    }
}

struct ConfigCheckTests {
    @Test func checkValidatesTheConfigurationAndTheRulesItNames() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("feedwatch-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("feedwatch.yaml").path
        try "feeds:\n  - url: https://example.org/rss\n".write(toFile: config, atomically: true, encoding: .utf8)
        try "a = (x\n".write(toFile: directory.appendingPathComponent("rules.conf").path, atomically: true, encoding: .utf8)
        let bad = try FeedwatchProcess.run(["check", "--config", config])
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("1 feed, 1 sink, no errors"))
        #expect(bad.stderr.contains("rules.conf:1:7: expected ')'"))
        try "a = x\n".write(toFile: directory.appendingPathComponent("rules.conf").path, atomically: true, encoding: .utf8)
        let good = try FeedwatchProcess.run(["check", "--config", config])
        #expect(good.status == 0)
        try "feeds:\n  - url: https://example.org/rss\n    colour: red\n".write(toFile: config, atomically: true, encoding: .utf8)
        let unknown = try FeedwatchProcess.run(["check", "--config", config])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("\(config):3:5: unknown key 'colour' in a feed"))
    }

    @Test func checkWithoutOptionsReadsTheDefaultConfiguration() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("feedwatch-check-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let systemd = directory + "/etc"
        try FileManager.default.createDirectory(atPath: systemd, withIntermediateDirectories: true)
        let missing = try FeedwatchProcess.run(["check"], environment: ["CONFIGURATION_DIRECTORY": systemd])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("\(systemd)/feedwatch.yaml"))
        #expect(missing.stderr.contains("no --config was given"))

        try "russia-syria-aircraft = Russia AND Syria AND aircraft\n".write(toFile: systemd + "/rules.conf", atomically: true, encoding: .utf8)
        try "state_dir: \(directory)/state\nfeeds:\n  - url: https://example.org/feed.xml\nsinks:\n  - type: stdout\n"
            .write(toFile: systemd + "/feedwatch.yaml", atomically: true, encoding: .utf8)
        let found = try FeedwatchProcess.run(["check"], environment: ["CONFIGURATION_DIRECTORY": systemd])
        #expect(found.status == 0, "\(found.stderr)")
        #expect(found.stdout.contains("\(systemd)/feedwatch.yaml: 1 feed, 1 sink, no errors"))
        #expect(found.stdout.contains("\(systemd)/rules.conf: 1 rule, no errors"))
    }

    @Test func onlyTheCommandsThatLogOfferALogLevel() throws {
        for command in [["status"], ["tail"], ["feeds", "list"], ["run"], ["once"]] {
            let help = try FeedwatchProcess.run(command + ["--help"])
            #expect(help.stdout.contains("--config"), "\(command)")
            #expect(help.stdout.contains("--log-level") == (command == ["run"] || command == ["once"]), "\(command)")
        }
    }
}

// SPDX-License-Identifier: MIT
import Alerts
import Foundation
import Glibc
import TestSupport
import Testing

/// Stories through the real binary: `once` merges copies across feeds, `tail` and `status` show them,
/// `stories.every_copy` lets a rule alert for each copy.
@Suite struct StoriesCommandTests {
    let directory: String

    init() throws {
        directory = try makeScratchDirectory("stories")
    }

    private var path: String { directory + "/alerts.jsonl" }

    /// A story on three feeds alerts once; `tail` (which reads the stories from the state database
    /// through the configuration) says it is also in the other feeds, and `tail -f` says so when a
    /// copy arrives later.
    @Test func aStoryOnOtherFeedsSaysSo() async throws {
        let site = SiteContent()
        let server = try TestHTTPServer { site.reply($0) }
        var generator = StoryGenerator(seed: 12)
        let story = generator.story(subject: 0)
        func publish(on feeds: Range<Int>) {
            for feed in 0..<3 {
                let text = StoryGenerator.text(feed == 0 ? story : generator.copy(of: story, subject: 0))
                let items = feeds.contains(feed) ? [("s-\(feed)", "The quake, as feed \(feed) tells it", server.url("/\(feed)/s"), text)] : []
                site.set("/\(feed).xml", body: SiteContent.rss(items: items.map { (guid: Optional($0.0), title: $0.1, link: $0.2, description: $0.3) }))
            }
        }
        let config = try writeFeedTextSetup(in: directory, rules: "quake = earthquake OR aftershocks\n", feeds: (0..<3).map { server.url("/\($0).xml") })
        publish(on: 0..<2)
        let once = try FeedwatchProcess.run(["once", "--config", config, "--log-level", "debug"])
        #expect(once.status == 0 && once.stderr.contains("1 alerts"), "\(once.stderr)")
        #expect(once.stderr.contains("entry joined a story seen before") && once.stderr.contains("similarity=0.9"), "\(once.stderr)")
        let tail = try FeedwatchProcess.run(["tail", "--config", config, "--color", "never"])
        #expect(tail.stdout.contains("also in 1 feed\n"), "\(tail.stdout)")

        let following = try DaemonProcess(["tail", "-f", "--config", config, "--color", "never"], directory: directory)
        #expect(await eventually { following.stdout.contains("also in 1 feed") }, "\(following.stdout)")
        publish(on: 0..<3)
        _ = try FeedwatchProcess.run(["once", "--config", config, "--all"])
        // The story's one alert is for whichever copy `once` recorded first.
        let title = try #require(["The quake, as feed 0 tells it", "The quake, as feed 1 tells it"].first { tail.stdout.contains($0) }, "\(tail.stdout)")
        #expect(await eventually { following.stdout.contains("\(title)  also in 2 feeds") }, "\(following.stdout)")
        following.signal(SIGTERM)
        _ = await following.waitForExit(timeout: .seconds(5))
        let status = try FeedwatchProcess.run(["status", "--config", config])
        #expect(status.stdout.contains("stories in the last 72h: 1, with 2 copies from other feeds merged into them"), "\(status.stdout)")
    }

    /// A rule listed in `stories.every_copy` alerts for each copy; the others once per story.
    @Test func everyCopyRulesAlertForEachCopy() throws {
        let site = SiteContent()
        let server = try TestHTTPServer { site.reply($0) }
        var generator = StoryGenerator(seed: 13)
        let story = generator.story(subject: 0)
        for feed in 0..<3 {
            let text = StoryGenerator.text(generator.copy(of: story, subject: 0)) + " Officials said more."
            site.set("/\(feed).xml", body: SiteContent.rss(items: [("c-\(feed)", "Quake \(feed)", server.url("/\(feed)/c"), text)]))
        }
        try writeFeedTextSetup(in: directory, rules: "quake = earthquake OR aftershocks\nofficials = officials\n",
                               feeds: (0..<3).map { server.url("/\($0).xml") }, extra: "stories:\n  every_copy: [quake]\n")
        let once = try FeedwatchProcess.run(["once", "--config", directory + "/feedwatch.yaml"])
        #expect(once.status == 0, "\(once.stderr)")
        let alerts = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { try Alert(jsonLine: $0) }
        #expect(alerts.filter { $0.rule == "quake" }.count == 3)
        #expect(alerts.filter { $0.rule == "officials" }.count == 1)
        #expect(Set(alerts.compactMap(\.story?.id)).count == 1, "one story")
    }
}

// SPDX-License-Identifier: MIT
import Daemon
import Foundation
import Testing

@Suite struct ConfigurationEditorTests {
    let text = """
        # my feeds
        state_dir: state
        feeds:
          - url: https://a.example/rss   # first
            name: A
          - url: https://b.example/rss

        # where alerts go
        sinks:
          - type: stdout
        """

    @Test func addingKeepsCommentsAndLandsInTheList() throws {
        let edited = try ConfigurationEditor.adding([OPML.Outline(url: "https://c.example/feed?x=1", title: "C: news")], to: text, path: "f.yaml")
        #expect(edited.contains("# my feeds") && edited.contains("# first") && edited.contains("# where alerts go"))
        let configuration = try Configuration.parse(edited, path: "/tmp/f.yaml")
        #expect(configuration.feeds.map(\.url) == ["https://a.example/rss", "https://b.example/rss", "https://c.example/feed?x=1"])
        #expect(configuration.feeds[2].name == "C: news")
        #expect(configuration.sinks.map(\.kind) == [.stdout(format: .json)])
    }

    @Test func removingTakesTheWholeItem() throws {
        let edited = try ConfigurationEditor.removing("https://a.example/rss", from: text, path: "f.yaml")
        let configuration = try Configuration.parse(edited, path: "/tmp/f.yaml")
        #expect(configuration.feeds.map(\.url) == ["https://b.example/rss"])
        #expect(!edited.contains("name: A"))
        let last = try ConfigurationEditor.removing("https://b.example/rss", from: text, path: "f.yaml")
        #expect(try Configuration.parse(last, path: "/tmp/f.yaml").feeds.map(\.url) == ["https://a.example/rss"])
    }

    @Test func editsThatBreakTheFileAreRefused() {
        #expect(throws: ConfigurationErrors.self) {
            try ConfigurationEditor.adding([OPML.Outline(url: "https://a.example/rss", title: nil)], to: text, path: "f.yaml")
        }
        #expect(throws: ConfigurationErrors.self) { try ConfigurationEditor.removing("https://nope.example/", from: text, path: "f.yaml") }
    }

    @Test func opmlRoundTrip() {
        let feeds = [OPML.Outline(url: "https://a.example/rss?a=1&b=2", title: "A & B"), OPML.Outline(url: "https://b.example/", title: nil)]
        let document = OPML.document(feeds)
        let read = OPML.outlines(Array(document.utf8))
        #expect(read == [feeds[0], OPML.Outline(url: "https://b.example/", title: "https://b.example/")])
        let nested = #"<opml version="1.0"><body><outline text="News"><outline text="X" xmlUrl="https://x.example/feed"/></outline></body></opml>"#
        #expect(OPML.outlines(Array(nested.utf8)) == [OPML.Outline(url: "https://x.example/feed", title: "X")])
    }
}

// SPDX-License-Identifier: MIT
import Foundation
import Testing
@testable import Markup

/// A feed is untrusted data: these documents must neither expand, leak, hang nor crash.
struct HostileXMLTests {
    private func parse(_ text: String) -> MarkupDocument { XMLDocumentParser.parse(Array(text.utf8)) }

    @Test func billionLaughsIsNotExpanded() {
        var doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n"
        for level in 1...9 {
            let previous = level == 1 ? "lol" : "lol\(level - 1)"
            doc += "<!ENTITY lol\(level) \"" + String(repeating: "&\(previous);", count: 10) + "\">\n"
        }
        doc += "]>\n<rss><channel><title>&lol9;</title></channel></rss>"
        let start = ContinuousClock.now
        let result = parse(doc)
        #expect(ContinuousClock.now - start < .seconds(5))
        let title = result.root?.elements.first?.elements.first?.textContent ?? ""
        #expect(title.count < 100)
        #expect(title == "&lol9;")
    }

    @Test func externalEntitiesLeakNothing() throws {
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("feedwatch-secret-\(getpid())")
        try "TOP-SECRET".write(to: secret, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: secret) }
        let doc = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://\(secret.path)"><!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>
            <rss><channel><title>a&xxe;b</title></channel></rss>
            """
        let result = parse(doc)
        let title = result.root?.elements.first?.elements.first?.textContent ?? ""
        #expect(!title.contains("TOP-SECRET"))
        #expect(title.hasPrefix("a"))
    }

    @Test func plainTextEntitiesDeclaredInTheDTDAreExpanded() {
        let result = parse("<!DOCTYPE rss [<!ENTITY id \"tag:example.com,\">]><rss><guid>&id;2006</guid></rss>")
        #expect(result.root?.elements.first?.textContent == "tag:example.com,2006")
    }

    @Test func htmlEntitiesAndBareAmpersandsAreRead() {
        let result = parse("<rss><t>caf&eacute; &amp; bar&nbsp;AT&T ?a=1&b=2 &bogus;</t></rss>")
        #expect(result.root?.elements.first?.textContent == "café & bar\u{00A0}AT&T ?a=1&b=2 &bogus;")
        #expect(result.errorCount == 0)
    }

    @Test func entitiesInsideCDATAAndCommentsAreLeftAlone() {
        let result = parse("<rss><t><![CDATA[&eacute; <b>]]></t><!-- &eacute; --></rss>")
        #expect(result.root?.elements.first?.textContent == "&eacute; <b>")
    }

    @Test func deepNestingIsBounded() {
        let depth = 100_000
        let doc = String(repeating: "<a>", count: depth) + "x" + String(repeating: "</a>", count: depth)
        let result = parse(doc)
        #expect(result.root != nil)
        #expect(result.errorCount > 0)
        var level = 0
        var node = result.root
        while let current = node, let next = current.elements.first {
            node = next
            level += 1
        }
        #expect(level < maximumTreeDepth)
    }

    @Test func binaryGarbageAndEmptyInputDoNotCrash() {
        var generator = SystemRandomNumberGenerator()
        let garbage = (0..<100_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        _ = XMLDocumentParser.parse(garbage)
        _ = HTMLDocumentParser.parse(garbage)
        #expect(XMLDocumentParser.parse([]).root == nil)
        #expect(HTMLDocumentParser.parse([]).root == nil)
    }

    @Test func recoveryKeepsWhatPrecedesAFatalError() {
        let result = parse("<rss><channel><item><title>one</title></item><item><title>two</title></item><item><title>three<</channel>")
        let items = result.root?.elements.first.map { Array($0.elements) } ?? []
        #expect(items.count >= 2)
        #expect(result.firstError != nil)
    }
}

// SPDX-License-Identifier: MIT
import Testing
import Markup

struct HTMLDocumentParserTests {
    @Test func parsesTagSoupWithTheDeclaredCharset() throws {
        let bytes: [UInt8] = Array("<html><head><meta charset=\"iso-8859-1\"><title>T</title></head><body><p>caf".utf8) + [0xE9]
            + Array("<p>second<div>third</body>".utf8)
        let document = HTMLDocumentParser.parse(bytes)
        let root = try #require(document.root)
        #expect(root.name == "html")
        #expect(root.textContent.contains("café"))
        #expect(root.textContent.contains("second"))
    }

    @Test func utf8PageWithLatinMetaKeepsHTTPCharset() throws {
        let bytes = Array("<meta charset=\"iso-8859-1\"><p>東京".utf8)
        let document = HTMLDocumentParser.parse(bytes, charset: "utf-8")
        #expect(try #require(document.root).textContent.contains("東京"))
    }
}

// SPDX-License-Identifier: MIT
import Testing
@testable import Markup

/// The shape of a parsed document: elements, text runs and attributes as the stages read them.
struct MarkupTreeTests {
    private func parse(_ text: String) -> MarkupDocument { XMLDocumentParser.parse(Array(text.utf8)) }

    private func describe(_ element: MarkupElement) -> String {
        element.children.map { node in
            switch node {
            case .text(let text): "'\(text)'"
            case .element(let child): "\(child.name)(\(describe(child)))"
            }
        }.joined(separator: " ")
    }

    @Test func childrenInterleaveTextAndElementsInDocumentOrder() throws {
        let root = try #require(parse("<p>one <b>two</b> three<!-- c --> four<i/></p>").root)
        #expect(describe(root) == "'one ' b('two') ' three four' i()")
        #expect(root.elements.map(\.name) == ["b", "i"])
        #expect(root.elements.first?.name == "b")
        #expect(root.hasElementChildren)
        #expect(root.elements.first?.hasElementChildren == false)
        #expect(try #require(root.elements.first { $0.name == "i" }).children.isEmpty)
    }

    @Test func textContentIsAllTextBelowInOrder() throws {
        let document = parse("<a>x<b>y<c>z</c></b><d/>w</a>")
        let root = try #require(document.root)
        #expect(root.textContent == "xyzw")
        #expect(root.elements.first?.textContent == "yz")
        #expect(Array(root.elements).last?.textContent == "")
        #expect(document.elementCount == 4)
        #expect(root.elements.map(\.index) == [1, 3])
    }

    @Test func attributesBelongToTheirOwnElement() throws {
        let source = "<feed xmlns='http://www.w3.org/2005/Atom' xml:base='http://a/'><link rel='self' href='x'/><id>1</id></feed>"
        let root = try #require(parse(source).root)
        #expect(root.attribute("base", namespace: xmlNamespaceURI) == "http://a/")
        #expect(root.namespace == "http://www.w3.org/2005/Atom")
        let link = try #require(root.elements.first)
        #expect(link.attributes.map(\.name) == ["rel", "href"])
        #expect(link.attribute("href") == "x")
        #expect(try #require(Array(root.elements).last).attributes.isEmpty)
    }

    @Test func elementsOfOneDocumentCompareByPosition() throws {
        let root = try #require(parse("<a><b/><b/></a>").root)
        let children = Array(root.elements)
        #expect(children[0] == root.elements.first)
        #expect(children[0] != children[1])
        #expect(try #require(parse("<a><b/><b/></a>").root) != root)  // same shape, another document
    }

    @Test func anUnclosedElementStillHasItsText() throws {
        let root = try #require(parse("<rss><channel><title>cut off here").root)
        #expect(root.textContent == "cut off here")
        #expect(root.elements.first?.elements.first?.textContent == "cut off here")
    }

    @Test func textOfHTMLScriptsAndStylesIsDropped() throws {
        let page = "<html><body><p>a<script>var x;</script>b<style>p{}</style>c</p>"
            + "<script type='application/ld+json'>{\"k\":1}</script></body></html>"
        let document = HTMLDocumentParser.parse(Array(page.utf8))
        let body = try #require(document.root?.elements.first { $0.name == "body" })
        #expect(body.elements.first?.textContent == "abc")
        #expect(Array(body.elements).last?.textContent == "{\"k\":1}")
    }
}

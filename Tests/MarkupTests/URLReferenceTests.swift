// SPDX-License-Identifier: MIT
import Testing
import Markup

struct URLReferenceTests {
    // RFC 3986, section 5.4.1 and 5.4.2.
    @Test(arguments: [
        ("g:h", "g:h"), ("g", "http://a/b/c/g"), ("./g", "http://a/b/c/g"), ("g/", "http://a/b/c/g/"),
        ("/g", "http://a/g"), ("//g", "http://g"), ("?y", "http://a/b/c/d;p?y"), ("g?y", "http://a/b/c/g?y"),
        ("#s", "http://a/b/c/d;p?q#s"), ("g#s", "http://a/b/c/g#s"), (";x", "http://a/b/c/;x"), ("", "http://a/b/c/d;p?q"),
        (".", "http://a/b/c/"), ("./", "http://a/b/c/"), ("..", "http://a/b/"), ("../", "http://a/b/"),
        ("../g", "http://a/b/g"), ("../..", "http://a/"), ("../../g", "http://a/g"), ("../../../g", "http://a/g"),
        ("/./g", "http://a/g"), ("/../g", "http://a/g"), ("g.", "http://a/b/c/g."), ("..g", "http://a/b/c/..g"),
        ("./../g", "http://a/b/g"), ("g/./h", "http://a/b/c/g/h"), ("g/../h", "http://a/b/c/h"),
    ])
    func resolvesRFC3986Examples(reference: String, expected: String) {
        #expect(URLReference.resolve(reference, against: "http://a/b/c/d;p?q") == expected)
    }

    @Test func absoluteReferencesAreNotNormalised() {
        #expect(URLReference.resolve("http://www.example.com/%7ebob", against: "http://x/") == "http://www.example.com/%7ebob")
        #expect(URLReference.resolve("tag:example.com,2006:/blog/", against: "http://x/") == "tag:example.com,2006:/blog/")
    }

    @Test func withoutABaseTheReferenceStays() {
        #expect(URLReference.resolve("/relative", against: nil) == "/relative")
        #expect(URLReference.scheme(of: "HTTPS://x") == "https")
        #expect(URLReference.scheme(of: "/a:b") == nil)
        #expect(!URLReference.isWebURL("javascript:alert(1)"))
    }
}

// SPDX-License-Identifier: MIT
import Fetching
import Testing

/// The unit of politeness: the per-host cap and the per-host spacing count by the same key.
@Suite struct HostKeyTests {
    @Test(arguments: [
        ("https://news.example.org/feed.xml", "https://news.example.org"),
        ("HTTP://User:secret@Example.COM:8080/a/b?c=d#e", "http://example.com:8080"),
        ("http://127.0.0.2:39955?q=1", "http://127.0.0.2:39955"),
        ("http://host#fragment", "http://host"),
        ("https://[::1]:8443/feed", "https://[::1]:8443"),
        ("not a url", "not a url"),
    ])
    func keyIsSchemeAndAuthorityInLowerCase(url: String, key: String) {
        #expect(HostKey.of(url) == key)
    }

    @Test func schemesAndPortsAreDifferentHosts() {
        let keys = Set(["http://example.org/a", "https://example.org/a", "http://example.org:8080/a", "http://EXAMPLE.org/b"].map(HostKey.of))
        #expect(keys.count == 3)
    }
}

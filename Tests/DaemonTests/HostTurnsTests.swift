// SPDX-License-Identifier: MIT
@testable import Daemon
import Testing

/// Hosts take turns for poll slots: a host's n-th due feed waits for every host's (n−1)-th.
@Suite struct HostTurnsTests {
    @Test func hostsTakeTurnsAndEachKeepsItsOrder() {
        var turns = HostTurns()
        let urls = ["http://a.example/1", "http://a.example/2", "http://a.example/3", "http://b.example/1", "http://b.example/2", "http://c.example/1"]
        #expect(turns.order(urls, url: { $0 }, running: []) == [
            "http://a.example/1", "http://b.example/1", "http://c.example/1",
            "http://a.example/2", "http://b.example/2", "http://a.example/3",
        ])
    }

    @Test func runningPollsCountAsTurnsTaken() {
        var turns = HostTurns()
        let urls = ["http://a.example/1", "http://b.example/1", "http://b.example/2", "http://b.example/3"]
        let running = ["http://a.example/8", "http://a.example/9"]
        #expect(turns.order(urls, url: { $0 }, running: running) == [
            "http://b.example/1", "http://b.example/2", "http://a.example/1", "http://b.example/3",
        ])
        #expect(turns.order(urls, url: { $0 }, running: running, limit: 2) == ["http://b.example/1", "http://b.example/2"])
    }

    @Test func aHostIsItsSchemeNameAndPortInAnyCase() {
        var turns = HostTurns()
        let urls = ["http://a.example/1", "http://A.EXAMPLE/2", "http://a.example:8080/1", "https://a.example/1"]
        #expect(turns.order(urls, url: { $0 }, running: []) == [
            "http://a.example/1", "http://a.example:8080/1", "https://a.example/1", "http://A.EXAMPLE/2",
        ])
    }
}

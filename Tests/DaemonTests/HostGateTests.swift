// SPDX-License-Identifier: MIT
@testable import Daemon
import Testing

/// Per-host spacing: request starts to one host are at least `host_spacing` apart; other hosts do not wait.
@Suite struct HostGateTests {
    @Test func startsToOneHostAreSpacedAndOtherHostsDoNotWait() async {
        let spacing = Duration.milliseconds(250)
        let gate = HostGate(spacing: spacing)
        let clock = ContinuousClock()
        let start = clock.now
        await gate.wait(for: "http://a.example/1")
        let other = clock.now
        await gate.wait(for: "http://b.example/1")
        #expect(clock.now - other < spacing, "another host has its own slots")
        await gate.wait(for: "http://A.EXAMPLE/2")
        await gate.wait(for: "http://a.example/3?x")
        #expect(clock.now - start >= spacing * 2, "the third start to a.example waits two spacings")
    }

    @Test func noSpacingNeverWaits() async {
        let gate = HostGate(spacing: .zero)
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<1_000 { await gate.wait(for: "http://a.example/") }
        #expect(clock.now - start < .seconds(1))
    }
}

// SPDX-License-Identifier: MIT
import Daemon
import FeedParsing
import Foundation
import Testing

@Suite struct PollScheduleTests {
    let now = Date(timeIntervalSince1970: 1_764_072_000) // 2025-11-25 12:00:00 UTC, a Tuesday

    private func settings(_ interval: Int, respectCache: Bool = true) -> FeedSettings {
        var settings = FeedSettings()
        settings.interval = .seconds(interval)
        settings.respectCache = respectCache
        return settings
    }

    @Test func theIntervalByDefault() {
        let due = PollSchedule.afterSuccess(now: now, settings: settings(900), cache: .init(), feed: PollingHints())
        #expect(due == now.addingTimeInterval(900))
    }

    @Test func cacheHeadersAndFeedHintsPostponeButNeverHasten() {
        #expect(PollSchedule.afterSuccess(now: now, settings: settings(60), cache: .init(maxAge: 600), feed: PollingHints()) == now.addingTimeInterval(600))
        #expect(PollSchedule.afterSuccess(now: now, settings: settings(900), cache: .init(maxAge: 60), feed: PollingHints()) == now.addingTimeInterval(900))
        #expect(PollSchedule.afterSuccess(now: now, settings: settings(60), cache: .init(expires: now.addingTimeInterval(300)), feed: PollingHints()) == now.addingTimeInterval(300))
        var hints = PollingHints()
        hints.ttlMinutes = 30
        #expect(PollSchedule.afterSuccess(now: now, settings: settings(60), cache: .init(), feed: hints) == now.addingTimeInterval(1800))
        hints = PollingHints()
        hints.updateIntervalSeconds = 7200
        #expect(PollSchedule.afterSuccess(now: now, settings: settings(60), cache: .init(), feed: hints) == now.addingTimeInterval(7200))
    }

    @Test func respectCacheOffLetsAShorterIntervalWin() {
        #expect(PollSchedule.afterSuccess(now: now, settings: settings(60, respectCache: false), cache: .init(maxAge: 600), feed: PollingHints()) == now.addingTimeInterval(60))
    }

    @Test func hintsAreCappedAtADay() {
        #expect(PollSchedule.afterSuccess(now: now, settings: settings(60), cache: .init(maxAge: 10_000_000), feed: PollingHints()) == now.addingTimeInterval(86_400))
    }

    @Test func skipHoursAndDaysMoveThePollOut() {
        var hints = PollingHints()
        hints.skipHours = [12, 13]
        #expect(PollSchedule.afterSuccess(now: now, settings: settings(60), cache: .init(), feed: hints) == now.addingTimeInterval(2 * 3600))
        hints = PollingHints()
        hints.skipDays = [3] // Tuesday
        #expect(PollSchedule.afterSuccess(now: now, settings: settings(60), cache: .init(), feed: hints) == now.addingTimeInterval(12 * 3600))
    }

    @Test func backoffDoublesWithJitterUpToADay() {
        let s = settings(60)
        #expect(PollSchedule.afterFailure(now: now, settings: s, failures: 1, retryAfter: nil, jitter: 0.5) == now.addingTimeInterval(60))
        #expect(PollSchedule.afterFailure(now: now, settings: s, failures: 3, retryAfter: nil, jitter: 0.5) == now.addingTimeInterval(240))
        #expect(PollSchedule.afterFailure(now: now, settings: s, failures: 3, retryAfter: nil, jitter: 0) == now.addingTimeInterval(192))
        #expect(PollSchedule.afterFailure(now: now, settings: s, failures: 3, retryAfter: nil, jitter: 1) == now.addingTimeInterval(288))
        #expect(PollSchedule.afterFailure(now: now, settings: s, failures: 40, retryAfter: nil, jitter: 1) == now.addingTimeInterval(86_400))
    }

    @Test func retryAfterIsHonoured() {
        let later = now.addingTimeInterval(3600)
        #expect(PollSchedule.afterFailure(now: now, settings: settings(60), failures: 1, retryAfter: later, jitter: 0.5) == later)
        let tooFar = now.addingTimeInterval(10 * 86_400)
        #expect(PollSchedule.afterFailure(now: now, settings: settings(60), failures: 1, retryAfter: tooFar, jitter: 0.5) == now.addingTimeInterval(86_400))
    }
}

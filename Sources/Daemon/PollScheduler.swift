// SPDX-License-Identifier: MIT
import Fetching
import Foundation
import Logging
import ServiceLifecycle

/// Polls each feed when it is due: starts the due polls (at most
/// ``FeedwatchEngine/maximumConcurrentPolls`` at once, hosts taking turns), then sleeps until the next
/// feed is due or a poll ends or the feeds are reloaded. While the state database cannot be written
/// (``StoreOutage``) it starts no poll and tries the store again with backoff. On graceful shutdown it
/// starts no new poll and gives the running ones ``shutdownGrace`` to finish, then cancels them (an
/// unfinished poll has written nothing and runs again at the next start).
struct PollScheduler: Service {
    let engine: FeedwatchEngine
    let notifier: SystemdNotifier

    /// The fewest free places worth a look at the due feeds.
    static let batch = 64

    /// How long running polls get to finish on shutdown.
    static let shutdownGrace = Duration.seconds(8)

    func run() async {
        let stop = StopSignal()
        let clock = engine.clock
        // The daemon matches as soon as a story comes: build the matcher now, not at the first story.
        engine.rules.prepare()
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { polls in
                while !stop.isSet {
                    if let retry = engine.outage.nextTry {
                        if clock.now >= retry { await engine.retryUnsaved() }
                        if let next = engine.outage.nextTry {
                            await engine.feedsChanged.wait(until: next, on: clock)
                            continue
                        }
                    }
                    // Taking due feeds looks at every feed due (hosts take turns among them): with a
                    // backlog, that is done once a batch of places is free, not as each poll ends.
                    let room = FeedwatchEngine.maximumConcurrentPolls - engine.inFlightCount
                    if room >= Self.batch {
                        for (feed, record) in engine.takeDueFeeds(at: clock.now, limit: room) {
                            polls.addTask { _ = await engine.poll(feed, record) }
                        }
                    }
                    // With no room, a poll's end wakes the loop; the next due time matters only with room.
                    let full = FeedwatchEngine.maximumConcurrentPolls - engine.inFlightCount < Self.batch
                    await engine.feedsChanged.wait(until: full ? nil : engine.nextDue, on: clock)
                }
                let deadline = clock.now.advanced(by: Self.shutdownGrace)
                while engine.inFlightCount > 0 && clock.now < deadline {
                    await engine.feedsChanged.wait(until: deadline, on: clock)
                }
                if engine.inFlightCount > 0 {
                    engine.logger.warning("polls still running at shutdown were cancelled; they run again at the next start",
                                          metadata: ["polls": "\(engine.inFlightCount)"])
                }
                polls.cancelAll()
            }
        } onGracefulShutdown: {
            notifier.stopping()
            stop.set()
            engine.feedsChanged.signal()
        }
    }
}

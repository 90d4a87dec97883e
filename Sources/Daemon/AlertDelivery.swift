// SPDX-License-Identifier: MIT
import Fetching
import Logging
import ServiceLifecycle
import Store

/// Delivers alerts as polls queue them (``AlertDispatcher``), and dead letters that `feedwatch retry`
/// puts back. On graceful shutdown, which comes last, every sink gets what is owed once more.
struct AlertDelivery: Service {
    let engine: FeedwatchEngine

    /// How often an instance of a cluster looks for alerts it did not raise itself.
    static let clusterLook = Duration.seconds(5)

    func run() async {
        let dispatcher = engine.dispatcher
        let requeued: FileWatcher?
        do {
            requeued = try engine.store.outboxSignalPath.map { path throws in try FileWatcher(path: path) }
        } catch {
            requeued = nil
            engine.logger.warning("cannot watch for dead letters put back by `feedwatch retry`; they go out at the next alert or start",
                                  metadata: ["error": "\(error)"])
        }
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                if let requeued {
                    group.addTask {
                        for await _ in requeued.changes { dispatcher.alertsQueued() }
                    }
                } else {
                    // A cluster's store: alerts other instances raised, or left behind when they died,
                    // are looked for every few seconds.
                    let clock = engine.clock
                    group.addTask {
                        while (try? await clock.sleep(until: clock.now.advanced(by: Self.clusterLook))) != nil {
                            dispatcher.alertsQueued()
                        }
                    }
                }
                await dispatcher.run()
                requeued?.stop()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            dispatcher.stop()
        }
    }
}

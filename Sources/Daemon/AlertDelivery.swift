// SPDX-License-Identifier: MIT
import Logging
import ServiceLifecycle
import Store

/// Delivers alerts as polls queue them (``AlertDispatcher``), and dead letters that `feedwatch retry`
/// puts back. On graceful shutdown, which comes last, every sink gets what is owed once more.
struct AlertDelivery: Service {
    let engine: FeedwatchEngine

    func run() async {
        let dispatcher = engine.dispatcher
        let requeued: FileWatcher?
        do {
            requeued = try FileWatcher(path: engine.store.outboxSignalPath)
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
                }
                await dispatcher.run()
                requeued?.stop()
            }
        } onGracefulShutdown: {
            dispatcher.stop()
        }
    }
}

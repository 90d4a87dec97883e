// SPDX-License-Identifier: MIT
import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the configuration and rules on SIGHUP, and the rules when their file changes.
struct ConfigurationWatcher: Service {
    let engine: FeedwatchEngine
    let notifier: SystemdNotifier

    func run() async {
        let rulesFile = engine.configuration.rulesFile
        let watcher: FileWatcher?
        do {
            watcher = try FileWatcher(path: rulesFile)
        } catch {
            watcher = nil
            engine.logger.warning("cannot watch the rules file; reload it with SIGHUP", metadata: ["rules.file": "\(rulesFile)", "error": "\(error)"])
        }
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await _ in hangups {
                    notifier.reloading()
                    engine.logger.notice("SIGHUP: reloading the configuration and rules, reopening sinks")
                    await engine.reload()
                    notifier.ready(status: engine.statusLine)
                }
            }
            if let watcher {
                group.addTask {
                    for await _ in watcher.changes { engine.reloadRules() }
                }
            }
            try? await gracefulShutdown()
            watcher?.stop()
            group.cancelAll()
        }
    }
}

// SPDX-License-Identifier: MIT
// An engine: one dedicated thread drives a libcurl multi handle that runs the transfers of its share of
// the hosts (HTTPClient gives each host to one engine), keeps their connection cache (keep-alive, HTTP/2
// multiplexing) and DNS cache, and enforces its share of the global cap on transfers in flight (the
// per-host cap is HostPoliteness's, before a transfer reaches an engine). Callers hand transfers over
// through a locked queue and wake the thread with curl_multi_wakeup; completions resume the callers'
// continuations from this thread.
import CCurl
import Foundation
import Synchronization

private let curlInitialised: Bool = fw_curl_global_init() == CURLE_OK

final class CurlEngine: Sendable {
    private struct Queue: ~Copyable {
        var submitted: [CurlTransfer] = []
        /// Some transfer's flag was set since the engine last looked.
        var cancellations = false
        /// The kept connections are to be closed once no transfer runs.
        var closingIdle = false
        var stopping = false
    }

    // Safe: `multi` is used by the engine thread, and by other threads only for curl_multi_wakeup
    // (which libcurl documents as callable from any thread) under `queue`'s lock, under which the
    // engine thread replaces it.
    private nonisolated(unsafe) var multi: UnsafeMutableRawPointer
    private let queue = Mutex(Queue())
    private let globalLimit: Int
    private let idleConnections: Int
    /// `User-Agent: …`, as every transfer sends it.
    let userAgentLine: String

    init(globalLimit: Int, idleConnections: Int, userAgent: String) {
        precondition(curlInitialised, "libcurl could not be initialised")
        self.globalLimit = globalLimit
        self.idleConnections = idleConnections
        userAgentLine = "User-Agent: " + userAgent
        multi = Self.makeMulti(idleConnections: idleConnections)
        let thread = Thread { [self] in run() }
        thread.name = "feedwatch-curl"
        thread.start()
    }

    private static func makeMulti(idleConnections: Int) -> UnsafeMutableRawPointer {
        let multi = curl_multi_init()!
        _ = fw_curl_multi_setopt_long(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX)
        _ = fw_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, idleConnections)
        return multi
    }

    /// Queues a transfer; `transfer` must not be touched by the caller afterwards.
    func submit(_ transfer: CurlTransfer) {
        queue.withLock { state in
            state.submitted.append(transfer)
            // The engine drains the whole queue at once: only the first submission after a drain needs
            // to wake it (a wake-up is a syscall, and a thousand feeds queue at once).
            if state.submitted.count == 1 { curl_multi_wakeup(multi) }
        }
    }

    /// Has the engine abort every transfer, queued or running, whose ``CurlTransfer/cancelled`` flag is
    /// set (call it after setting one); their completions report `cancelled`.
    func cancellationsPending() {
        queue.withLock { state in
            state.cancellations = true
            curl_multi_wakeup(multi)
        }
    }

    /// Has the engine close the connections it keeps for reuse as soon as no transfer runs (at once
    /// when none does); transfers after that open new ones.
    func closeIdleConnections() {
        queue.withLock { state in
            state.closingIdle = true
            curl_multi_wakeup(multi)
        }
    }

    /// Stops the engine thread after the transfers in flight are aborted.
    func stop() {
        queue.withLock { state in
            state.stopping = true
            curl_multi_wakeup(multi)
        }
    }

    // MARK: Engine thread

    private func run() {
        var waiting = WaitingTransfers()
        var running: [UnsafeMutableRawPointer: CurlTransfer] = [:]
        // Easy handles of finished transfers, reset for the next ones: making one costs more than
        // resetting it (a large zeroed allocation and its set-up).
        var spares: [UnsafeMutableRawPointer] = []
        var closingIdle = false
        while true {
            let (incoming, cancellations, stopping) = queue.withLock { state -> ([CurlTransfer], Bool, Bool) in
                defer {
                    state.submitted.removeAll()
                    state.cancellations = false
                    state.closingIdle = false
                }
                closingIdle = closingIdle || state.closingIdle
                return (state.submitted, state.cancellations, state.stopping)
            }
            waiting.append(contentsOf: incoming)
            // The flags are the truth; a transfer whose flag was set before it arrived is caught here too.
            if stopping || cancellations || incoming.contains(where: \.cancelled.isSet) {
                for (handle, transfer) in running where stopping || transfer.cancelled.isSet {
                    curl_multi_remove_handle(multi, handle)
                    running.removeValue(forKey: handle)
                    transfer.fail(FetchError(.cancelled, url: transfer.url, detail: "the fetch was cancelled"))
                }
                waiting.remove { transfer in
                    guard stopping || transfer.cancelled.isSet else { return false }
                    transfer.fail(FetchError(.cancelled, url: transfer.url, detail: "the fetch was cancelled"))
                    return true
                }
                if stopping { break }
            }
            // Start what the cap allows, oldest first.
            while running.count < globalLimit, let transfer = waiting.popFirst() {
                if let error = transfer.prepare(userAgentLine: userAgentLine, spare: spares.popLast()) {
                    transfer.fail(error)
                } else if let handle = transfer.handle, curl_multi_add_handle(multi, handle) == CURLM_OK {
                    running[handle] = transfer
                } else {
                    transfer.fail(FetchError(.transport, url: transfer.url, detail: "libcurl could not start the transfer"))
                }
            }
            var active: Int32 = 0
            curl_multi_perform(multi, &active)
            var pending: Int32 = 0
            while let message = curl_multi_info_read(multi, &pending) {
                guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle else { continue }
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi, handle)
                if let transfer = running.removeValue(forKey: handle) {
                    transfer.finish(code)
                    if spares.count < globalLimit, let spare = transfer.takeHandleForReuse() { spares.append(spare) }
                }
            }
            if closingIdle && running.isEmpty && waiting.isEmpty {
                // The multi handle keeps the connections: a new one starts without any. A transfer
                // submitted since the queue was drained woke the old handle, so the queue is looked at
                // again before the engine sleeps on the new one.
                let idle = multi
                queue.withLock { _ in multi = Self.makeMulti(idleConnections: idleConnections) }
                curl_multi_cleanup(idle)
                closingIdle = false
                continue
            }
            // Transfers waiting while there is room means some finished since the starts above: start
            // the waiting ones at once rather than sleeping.
            if !waiting.isEmpty && running.count < globalLimit {
                continue
            }
            curl_multi_poll(multi, nil, 0, running.isEmpty ? 5000 : 200, nil)
        }
        for handle in spares { curl_easy_cleanup(handle) }
        curl_multi_cleanup(multi)
    }
}

/// Transfers not yet started, oldest first, for the engine thread. Taking or cancelling one leaves a
/// hole that the front skips, so each costs O(1) however many wait (a thousand feeds queue at once);
/// holes are compacted away once they are most of the storage.
private struct WaitingTransfers {
    private var slots: [CurlTransfer?] = []
    private var head = 0

    var isEmpty: Bool { head == slots.count }

    mutating func append(contentsOf transfers: [CurlTransfer]) {
        slots.append(contentsOf: transfers.map(Optional.some))
    }

    /// Takes the oldest waiting transfer.
    mutating func popFirst() -> CurlTransfer? {
        guard !isEmpty, let transfer = slots[head] else { return nil }
        slots[head] = nil
        compact()
        return transfer
    }

    /// Drops the transfers `shouldRemove` says to.
    mutating func remove(where shouldRemove: (CurlTransfer) -> Bool) {
        for index in head..<slots.count {
            if let transfer = slots[index], shouldRemove(transfer) { slots[index] = nil }
        }
        compact()
    }

    private mutating func compact() {
        while head < slots.count && slots[head] == nil { head += 1 }
        if head == slots.count {
            slots.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024 && head * 2 > slots.count {
            slots.removeFirst(head)
            head = 0
        }
    }
}

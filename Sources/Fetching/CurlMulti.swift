// SPDX-License-Identifier: MIT
// The engine: one dedicated thread drives a libcurl multi handle that runs every transfer, keeps the
// connection cache (keep-alive, HTTP/2 multiplexing) and the DNS cache, and enforces the global and
// per-host caps on transfers in flight. Callers hand transfers over through a locked queue and wake the
// thread with curl_multi_wakeup; completions resume the callers' continuations from this thread.
import CCurl
import Foundation
import Synchronization

private let curlInitialised: Bool = fw_curl_global_init() == CURLE_OK

final class CurlEngine: Sendable {
    private struct Queue: ~Copyable {
        var submitted: [Int: CurlTransfer] = [:]
        var order: [Int] = []
        var cancelled: Set<Int> = []
        var stopping = false
    }

    // Safe: `multi` is only used by the engine thread, except curl_multi_wakeup, which libcurl
    // documents as callable from any thread.
    private nonisolated(unsafe) let multi: UnsafeMutableRawPointer
    private let queue = Mutex(Queue())
    private let globalLimit: Int
    private let perHostLimit: Int
    let userAgent: String

    init(globalLimit: Int, perHostLimit: Int, userAgent: String) {
        precondition(curlInitialised, "libcurl could not be initialised")
        multi = curl_multi_init()!
        self.globalLimit = globalLimit
        self.perHostLimit = perHostLimit
        self.userAgent = userAgent
        _ = fw_curl_multi_setopt_long(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX)
        _ = fw_curl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, perHostLimit)
        let thread = Thread { [self] in run() }
        thread.name = "feedwatch-curl"
        thread.start()
    }

    /// Queues a transfer; `transfer` must not be touched by the caller afterwards.
    func submit(_ transfer: CurlTransfer) {
        let wasEmpty = queue.withLock { state in
            state.submitted[transfer.id] = transfer
            state.order.append(transfer.id)
            return state.order.count == 1
        }
        // The engine drains the whole queue at once: only the first submission after a drain needs to
        // wake it (a wake-up is a syscall, and a thousand feeds queue at once).
        if wasEmpty { curl_multi_wakeup(multi) }
    }

    /// Aborts a transfer, queued or running; its completion reports `cancelled`.
    func cancel(_ id: Int) {
        queue.withLock { _ = $0.cancelled.insert(id) }
        curl_multi_wakeup(multi)
    }

    /// Stops the engine thread after the transfers in flight are aborted.
    func stop() {
        queue.withLock { $0.stopping = true }
        curl_multi_wakeup(multi)
    }

    // MARK: Engine thread

    private func run() {
        var waiting = WaitingTransfers()
        var running: [UnsafeMutableRawPointer: CurlTransfer] = [:]
        var perHost: [String: Int] = [:]
        while true {
            let (incoming, cancelledIDs, stopping) = queue.withLock { state -> ([CurlTransfer], Set<Int>, Bool) in
                let incoming = state.order.compactMap { state.submitted.removeValue(forKey: $0) }
                state.order.removeAll()
                let cancelled = state.cancelled
                state.cancelled.removeAll()
                return (incoming, cancelled, state.stopping)
            }
            waiting.append(contentsOf: incoming)
            // A cancellation can overtake its submission (the id was read before the transfer came).
            let overtaken = Set(incoming.filter(\.cancelled.isSet).map(\.id))
            let cancelled = cancelledIDs.union(overtaken)
            if stopping || !cancelled.isEmpty {
                for (handle, transfer) in running where stopping || cancelled.contains(transfer.id) {
                    curl_multi_remove_handle(multi, handle)
                    running.removeValue(forKey: handle)
                    perHost[transfer.host, default: 1] -= 1
                    transfer.fail(FetchError(.cancelled, url: transfer.url, detail: "the fetch was cancelled"))
                }
                waiting.remove { transfer in
                    guard stopping || cancelled.contains(transfer.id) else { return false }
                    transfer.fail(FetchError(.cancelled, url: transfer.url, detail: "the fetch was cancelled"))
                    return true
                }
                if stopping { break }
            }
            // Start what the caps allow, oldest first; those whose host is busy keep their place.
            let started = waiting.start(while: { running.count < globalLimit }) { transfer in
                guard perHost[transfer.host, default: 0] < perHostLimit else { return false }
                if let error = transfer.prepare(userAgent: userAgent) {
                    transfer.fail(error)
                } else if let handle = transfer.handle, curl_multi_add_handle(multi, handle) == CURLM_OK {
                    running[handle] = transfer
                    perHost[transfer.host, default: 0] += 1
                } else {
                    transfer.fail(FetchError(.transport, url: transfer.url, detail: "libcurl could not start the transfer"))
                }
                return true
            }
            var active: Int32 = 0
            curl_multi_perform(multi, &active)
            var pending: Int32 = 0
            var completed = 0
            while let message = curl_multi_info_read(multi, &pending) {
                guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle else { continue }
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi, handle)
                if let transfer = running.removeValue(forKey: handle) {
                    perHost[transfer.host, default: 1] -= 1
                    transfer.finish(code)
                    completed += 1
                }
            }
            // Finished transfers free places: start the waiting ones at once rather than sleeping.
            if !waiting.isEmpty && running.count < globalLimit && (completed > 0 || started || running.isEmpty) {
                continue
            }
            curl_multi_poll(multi, nil, 0, running.isEmpty ? 5000 : 200, nil)
        }
        curl_multi_cleanup(multi)
    }
}

/// Transfers not yet started, oldest first, for the engine thread. Starting one leaves a hole that the
/// front skips, so a start costs O(1) however many wait (a thousand feeds queue at once); holes are
/// compacted away once they are most of the storage.
private struct WaitingTransfers {
    private var slots: [CurlTransfer?] = []
    private var head = 0

    var isEmpty: Bool { head == slots.count }

    mutating func append(contentsOf transfers: [CurlTransfer]) {
        slots.append(contentsOf: transfers.map(Optional.some))
    }

    /// Offers waiting transfers to `start`, oldest first, while `more()` holds; `start` returns false
    /// for one that must keep waiting (its host is busy). Returns whether any was taken.
    mutating func start(while more: () -> Bool, _ start: (CurlTransfer) -> Bool) -> Bool {
        var taken = false
        var index = head
        while index < slots.count && more() {
            if let transfer = slots[index], start(transfer) {
                slots[index] = nil
                taken = true
            }
            index += 1
        }
        compact()
        return taken
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

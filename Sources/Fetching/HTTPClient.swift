// SPDX-License-Identifier: MIT
import Foundation
import Synchronization

/// Every network read of Feedwatch goes through an `HTTPClient`: HTTP over the libcurl multi interface,
/// on a few dedicated threads (each host always on the same one), with a cap on transfers in flight,
/// every request let through by one ``HostPoliteness`` (per-host cap, spacing, priority), the limits of
/// ``FetchLimits``, redirects followed one hop at a time (each
/// recorded, only to http/https, loops caught), bodies decoded from their content codings, and
/// cancellation: cancelling the awaiting task aborts its transfer.
public final class HTTPClient: Sendable {
    /// Client-wide settings.
    public struct Configuration: Sendable {
        /// Transfers in flight at once. Default 50.
        public var maximumConcurrentTransfers = 50
        /// Transfers in flight per scheme, host and port (``HostKey``). Default 2.
        public var maximumTransfersPerHost = 2
        /// The least time between two request starts to one host. Default none.
        public var hostSpacing: Duration = .zero
        /// What host spacing waits on and what stamps each response's ``FetchResponse/receivedAt``.
        public var clock: any WallClock = SystemClock()
        /// Default `Feedwatch/<version> (+<project URL>)`.
        public var userAgent = HTTPClient.defaultUserAgent
        /// Finished connections kept open for reuse. Default 512: a cycle over hundreds of hosts comes
        /// back to each host over a kept-alive connection instead of connecting again (libcurl's own
        /// default, four per transfer in flight, is exhausted by a few hundred hosts). Lowered where the
        /// process may open few descriptors: at most half of its soft `RLIMIT_NOFILE`.
        public var maximumIdleConnections = 512
        /// Threads that run transfers, each with its own libcurl multi handle and connections. A host
        /// always goes to the same thread, so its connections are reused and its cap holds; the global
        /// cap and the idle connections are shared out among the threads. Default: one per processor,
        /// at most 4 (libcurl's work for a transfer — headers, decompression — is serial within a thread;
        /// a 1,000-feed cycle on two cores took 8% less time on two threads than on one).
        public var transferThreads = min(4, ProcessInfo.processInfo.activeProcessorCount)

        public init() {}
    }

    public static let version = "0.1.0"
    public static let projectURL = "https://github.com/feedwatch/feedwatch"
    public static let defaultUserAgent = "Feedwatch/\(version) (+\(projectURL))"

    private let engines: [CurlEngine]
    private let clock: any WallClock
    /// Lets every request through: ``fetch(_:)`` waits here for each hop's host.
    public let politeness: HostPoliteness

    public init(configuration: Configuration = Configuration()) {
        clock = configuration.clock
        politeness = HostPoliteness(
            perHost: configuration.maximumTransfersPerHost, spacing: configuration.hostSpacing, clock: configuration.clock)
        let global = max(1, configuration.maximumConcurrentTransfers)
        let count = max(1, min(configuration.transferThreads, global))
        let idle = Self.idleConnectionLimit(configuration.maximumIdleConnections)
        engines = (0..<count).map { index in
            CurlEngine(
                globalLimit: Self.share(global, index, count), idleConnections: Self.share(idle, index, count), userAgent: configuration.userAgent)
        }
    }

    deinit { for engine in engines { engine.stop() } }

    /// Closes the connections kept for reuse once the transfers running now are done (at once where
    /// none run); later fetches open new ones. For the end of a batch of work: closing them then, on
    /// the transfer threads, costs less than leaving them to the process's exit.
    public func closeIdleConnections() {
        for engine in engines { engine.closeIdleConnections() }
    }

    /// Fetches `request`, following redirects if it asks to.
    ///
    /// Any HTTP status is a response (a 304 or a 503 are answers the caller acts on); only transport
    /// failures, limits, forbidden schemes, redirect loops and cancellation throw.
    public func fetch(_ request: FetchRequest) async throws(FetchError) -> FetchResponse {
        var current = request
        var redirects: [Redirect] = []
        var visited: Set<String> = [request.url]
        guard Self.isWebURL(request.url) else {
            throw FetchError(.forbiddenScheme, url: request.url, detail: "only http and https URLs are fetched")
        }
        while true {
            let hop = try await transfer(current)
            guard current.followRedirects, (300...399).contains(hop.status), hop.status != 304, let location = hop.location
            else {
                let codings = hop.headers.values("Content-Encoding").joined(separator: ", ")
                let body = try ContentDecoding.decode(
                    hop.body, contentEncoding: codings, limit: current.limits.maximumBodyBytes, url: current.url)
                return FetchResponse(
                    status: hop.status, url: current.url, redirects: redirects, headers: hop.headers, body: body, receivedAt: clock.now)
            }
            redirects.append(Redirect(url: current.url, status: hop.status))
            guard Self.isWebURL(location) else {
                throw FetchError(.forbiddenScheme, url: current.url, detail: "redirects to \(location), but only http and https URLs are fetched")
            }
            guard !visited.contains(location) else {
                throw FetchError(.redirectLoop, url: request.url, detail: "the redirects loop back to \(location)")
            }
            guard redirects.count <= request.limits.maximumRedirects else {
                throw FetchError(.tooManyRedirects, url: request.url,
                                 detail: "more than \(request.limits.maximumRedirects) redirects (the limit)")
            }
            visited.insert(location)
            current.url = location
            if hop.status == 303 || ((hop.status == 301 || hop.status == 302) && current.method == .post) {
                current.method = .get
                current.body = nil
            }
        }
    }

    private func transfer(_ request: FetchRequest) async throws(FetchError) -> HopResult {
        let host = HostKey.of(request.url)
        guard await politeness.admit(host, purpose: request.purpose) else {
            throw FetchError(.cancelled, url: request.url, detail: "the fetch was cancelled")
        }
        defer { politeness.finished(host) }
        // Set before the engine is told, so a cancellation that overtakes the submission is still seen.
        let cancelled = CancellationFlag()
        let engine = engines[Self.engineIndex(for: host, among: engines.count)]
        let result: Result<HopResult, FetchError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let transfer = CurlTransfer(url: request.url, request: request, cancelled: cancelled) {
                    continuation.resume(returning: $0)
                }
                engine.submit(transfer)
            }
        } onCancel: {
            cancelled.set()
            engine.cancellationsPending()
        }
        return try result.get()
    }

    /// Part `index` of `total` shared out among `count`: the parts differ by at most one and add up to
    /// `total`.
    static func share(_ total: Int, _ index: Int, _ count: Int) -> Int {
        total / count + (index < total % count ? 1 : 0)
    }

    /// Which of `count` engines runs the transfers to `host`: always the same one for a host (FNV-1a,
    /// high bits), spread evenly over many hosts.
    static func engineIndex(for host: String, among count: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in host.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int((hash >> 32) % UInt64(count))
    }

    /// `wanted`, but at most half the descriptors the process may open (the store, sinks and transfers
    /// in flight need the rest).
    static func idleConnectionLimit(_ wanted: Int, descriptorLimit: Int = openFileLimit()) -> Int {
        max(0, min(wanted, descriptorLimit / 2))
    }

    /// The soft `RLIMIT_NOFILE` of this process.
    static func openFileLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return Int(Int32.max) }
        return Int(clamping: limit.rlim_cur)
    }

    /// True when `url` starts with `http://` or `https://`, in any case (compared by bytes, without
    /// allocating: the configuration checks every feed with it).
    public static func isWebURL(_ url: String) -> Bool {
        func starts(with scheme: String) -> Bool {
            url.utf8.count >= scheme.utf8.count && zip(url.utf8, scheme.utf8).allSatisfy { $0.asciiLowercased == $1 }
        }
        return starts(with: "https://") || starts(with: "http://")
    }
}

/// Whether the task awaiting a transfer was cancelled: set once, read by the engine thread.
final class CancellationFlag: Sendable {
    private let flag = Atomic(false)
    var isSet: Bool { flag.load(ordering: .acquiring) }
    func set() { flag.store(true, ordering: .releasing) }
}

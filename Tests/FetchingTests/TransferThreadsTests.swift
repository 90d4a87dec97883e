// SPDX-License-Identifier: MIT
import Foundation
import Synchronization
import Testing
@testable import Fetching
import TestSupport

/// Transfers run on several threads, each host always on the same one: the caps and connection reuse
/// must hold as they do on one.
@Suite(.timeLimit(.minutes(1)))
struct TransferThreadsTests {
    private func client(threads: Int, global: Int) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.transferThreads = threads
        configuration.maximumConcurrentTransfers = global
        return HTTPClient(configuration: configuration)
    }

    @Test func theCapsAreSharedOutWhole() {
        for (total, count) in [(50, 2), (51, 2), (3, 4), (512, 3), (0, 2)] {
            let parts = (0..<count).map { HTTPClient.share(total, $0, count) }
            #expect(parts.reduce(0, +) == total)
            #expect(parts.max()! - parts.min()! <= 1)
        }
    }

    @Test func aHostAlwaysGoesToTheSameThreadAndHostsSpreadEvenly() {
        let hosts = (1...250).map { "http://127.0.0.\($0):8080" }
        for count in [2, 3, 4] {
            let indices = hosts.map { HTTPClient.engineIndex(for: $0, among: count) }
            #expect(indices == hosts.map { HTTPClient.engineIndex(for: $0, among: count) })
            for engine in 0..<count {
                let share = indices.filter { $0 == engine }.count
                #expect(abs(share - hosts.count / count) < hosts.count / (3 * count), "engine \(engine) of \(count) has \(share)")
            }
        }
        #expect(HTTPClient.engineIndex(for: "http://example.com", among: 1) == 0)
    }

    @Test func theGlobalCapHoldsAcrossThreads() async throws {
        struct Load { var active = 0, maximum = 0 }
        let load = Mutex(Load())
        let handler: @Sendable (TestHTTPServer.Request) -> TestHTTPServer.Reply = { _ in
            load.withLock { $0.active += 1; $0.maximum = max($0.maximum, $0.active) }
            Thread.sleep(forTimeInterval: 0.03)
            load.withLock { $0.active -= 1 }
            return .respond(status: 200, body: Data("x".utf8))
        }
        // Hosts on both threads (ports are ephemeral, so add servers until both threads have some).
        var servers: [TestHTTPServer] = []
        while servers.count < 4 || Set(servers.map { HTTPClient.engineIndex(for: HostKey.of($0.url("/")), among: 2) }).count < 2 {
            servers.append(try TestHTTPServer(handler))
        }
        let client = client(threads: 2, global: 2)  // one transfer at a time on each thread
        try await withThrowingTaskGroup(of: Int.self) { group in
            for server in servers {
                for i in 0..<4 { group.addTask { try await client.fetch(FetchRequest(url: server.url("/\(i)"))).status } }
            }
            for try await status in group { #expect(status == 200) }
        }
        #expect(load.withLock { $0.maximum } == 2)  // both threads at once, never more than the cap
    }

    @Test func eachHostKeepsItsConnectionAcrossRounds() async throws {
        let servers = try (0..<8).map { _ in try TestHTTPServer { _ in .respond(status: 200, body: Data("x".utf8)) } }
        let client = client(threads: 3, global: 3)
        for round in 0..<3 {
            for server in servers { #expect(try await client.fetch(FetchRequest(url: server.url("/\(round)"))).status == 200) }
        }
        #expect(servers.map(\.connectionCount) == Array(repeating: 1, count: 8))
    }
}

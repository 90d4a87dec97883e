// SPDX-License-Identifier: MIT
public import Foundation
public import Logging
import NIOSSL
import PostgresNIO
import Synchronization

/// Feedwatch's state in one PostgreSQL database shared by several instances (`store: postgresql://…`).
/// The same tables as ``SQLiteStore`` plus the cluster's own: the instances with their heartbeats and
/// the host leases that split the polling (``heartbeat(rulesHash:hostname:pid:started:)``). Outbox rows
/// are claimed by one instance at a time (`FOR UPDATE SKIP LOCKED`) for ``claimLease``, so each alert
/// goes to one instance's sinks. Stories and the archive are shared too: a story begun on one instance
/// is joined by copies any instance polls, and `rules test` reads every instance's archive.
public final class PostgresStore: Store {
    public let location: PostgresLocation
    private let password: String?
    /// This instance's stable identity (kept in its state directory): its leases and claims are its own
    /// across restarts.
    public let instance: String
    /// The key host leases go by: the key the instances' politeness counts requests by, so that a host
    /// polled by one instance at a time is exactly a host as politeness sees it.
    let hostKey: @Sendable (String) -> String
    let client: PostgresClient
    private let running: Task<Void, Never>
    let logger: Logger
    /// Since when the server has not answered, and when it was last tried.
    private let reach = Mutex<(unreachableSince: ContinuousClock.Instant?, lastTry: ContinuousClock.Instant)>((nil, .now))

    /// How long an outbox claim stays with its instance without being renewed (60 s).
    public let claimLease: TimeInterval
    /// How long one database operation may take before it counts as failed (the server is away).
    static let operationTimeout = Duration.seconds(15)
    /// While the server does not answer, one operation a second tries it; the others fail at once
    /// (a poll waiting on an absent server would hold its feed and its host's turn).
    static let retryEvery = Duration.seconds(1)

    /// Connects to `location`, creating or migrating the schema under a lock (instances starting
    /// together do it once); refuses a schema newer than this build knows.
    public init(
        _ location: PostgresLocation, instance: String, hostKey: @escaping @Sendable (String) -> String, logger: Logger, claimLease: TimeInterval = 60
    ) async throws(StoreError) {
        let password = try location.password()
        // One connection of its own first: a server that is not there is said at once, not after the
        // pool has waited out its operation timeout.
        do {
            try await Self.probe(location, password: password)
        } catch {
            throw StoreError("cannot connect to \(location): \(Self.describe(error))", cannotOpen: true)
        }
        let tls = Self.tls(location.tls)
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user, password: password,
            database: location.database, tls: tls.map { $0.required ? .require($0.configuration) : .prefer($0.configuration) } ?? .disable)
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.maximumConnections = 8
        // The pool's own reports (a connection attempt refused, each retry) are ours to make once.
        var poolLogger = logger
        poolLogger.logLevel = .critical
        let client = PostgresClient(configuration: configuration, backgroundLogger: poolLogger)
        self.client = client
        self.running = Task { await client.run() }
        self.location = location
        self.password = password
        self.instance = instance
        self.hostKey = hostKey
        self.logger = logger
        self.claimLease = claimLease
        do {
            try await migrate()
        } catch {
            running.cancel()
            throw error
        }
    }

    deinit { running.cancel() }

    /// TLS as libpq's `sslmode` asks: none, or a configuration and whether it is required.
    private static func tls(_ mode: PostgresLocation.TLSMode) -> (configuration: TLSConfiguration, required: Bool)? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch mode {
        case .disable: return nil
        // libpq's prefer and require encrypt without checking the server's certificate.
        case .prefer, .require:
            configuration.certificateVerification = .none
            return (configuration, mode == .require)
        case .verifyCA:
            configuration.certificateVerification = .noHostnameVerification
            return (configuration, true)
        case .verifyFull:
            return (configuration, true)
        }
    }

    /// Opens and closes one connection of its own, outside the pool (which waits for a server
    /// rather than failing).
    private static func probe(_ location: PostgresLocation, password: String?) async throws {
        let tls: PostgresConnection.Configuration.TLS = try tls(location.tls).map { settings in
            let context = try NIOSSLContext(configuration: settings.configuration)
            return settings.required ? .require(context) : .prefer(context)
        } ?? .disable
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: password, database: location.database, tls: tls)
        configuration.options.connectTimeout = .seconds(5)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: quiet)
        try await connection.close()
    }

    public var outboxSignalPath: String? { nil }

    /// Runs `body` within ``operationTimeout``, its failure in words.
    func run<T: Sendable>(_ what: String, _ body: @escaping @Sendable (PostgresClient) async throws -> T) async throws(StoreError) -> T {
        let client = client
        let now = ContinuousClock.now
        let away = reach.withLock { reach -> ContinuousClock.Instant? in
            guard let since = reach.unreachableSince, now - reach.lastTry < Self.retryEvery else {
                reach.lastTry = now
                return nil
            }
            return since
        }
        if let away {
            throw StoreError("\(what) on \(location) failed: the server has not answered for \(Int((now - away).components.seconds)) s")
        }
        // The try of a server that did not answer: a connection of its own says at once whether it is back.
        if reach.withLock({ $0.unreachableSince }) != nil {
            do {
                try await Self.probe(location, password: password)
            } catch {
                throw StoreError("\(what) on \(location) failed: \(Self.describe(error))")
            }
        }
        do {
            let value = try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask { try await body(client) }
                group.addTask {
                    try await Task.sleep(for: Self.operationTimeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let value = first else { throw NoAnswer() }
                return value
            }
            reach.withLock { $0.unreachableSince = nil }
            return value
        } catch {
            if Self.meansUnreachable(error) { reach.withLock { $0.unreachableSince = $0.unreachableSince ?? now } }
            throw StoreError("\(what) on \(location) failed: \(Self.describe(error))")
        }
    }

    /// No answer within ``operationTimeout``.
    private struct NoAnswer: Error, CustomStringConvertible {
        var description: String { "no answer within \(PostgresStore.operationTimeout)" }
    }

    /// Whether `error` says the server is away (no answer, no connection), not that it refused a
    /// statement or that the operation itself failed.
    private static func meansUnreachable(_ error: any Error) -> Bool {
        causes(error).contains { cause in
            if cause is NoAnswer { return true }
            guard let cause = cause as? PSQLError else { return false }
            return [.connectionError, .serverClosedConnection, .uncleanShutdown].contains(cause.code)
        }
    }

    /// What failed under `error`: a transaction's own failures (its body's first, then beginning,
    /// committing, rolling back), else `error` itself.
    private static func causes(_ error: any Error) -> [any Error] {
        guard let transaction = error as? PostgresTransactionError else { return [error] }
        let causes = [transaction.closureError, transaction.beginError, transaction.commitError, transaction.rollbackError].compactMap { $0 }
        return causes.isEmpty ? [error] : causes
    }

    /// Runs `body` in one transaction within ``operationTimeout``.
    func transaction<T: Sendable>(_ what: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws(StoreError) -> T {
        let logger = logger
        return try await run(what) { client in
            try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        }
    }

    /// A PostgreSQL error in words: the server's message, else what failed under it.
    static func describe(_ error: any Error) -> String {
        let cause = causes(error)[0]
        guard let error = cause as? PSQLError else { return "\(cause)" }
        if let message = error.serverInfo?[.message] { return message }
        if let underlying = error.underlying { return "\(underlying)" }
        return "\(error.code)"
    }

    public func verify() async throws(StoreError) { try await ping() }

    public func ping() async throws(StoreError) {
        _ = try await run("asking the database") { client in
            try await client.query("SELECT 1").collect().count
        }
    }

    /// Hands this instance's host leases back and marks it stopped, so the others take its hosts at
    /// their next heartbeat instead of after the lease; its outbox claims stay for a restart to finish.
    public func close() async throws(StoreError) {
        defer { running.cancel() }
        let instance = instance
        try await transaction("leaving the cluster") { connection in
            try await connection.query("DELETE FROM host_lease WHERE instance = \(instance)", logger: Self.quiet)
            try await connection.query("UPDATE instance SET stopped = TRUE WHERE id = \(instance)", logger: Self.quiet)
        }
    }

    /// postgres-nio's per-query logger, silent (failures come back as errors).
    static let quiet = Logger(label: "feedwatch.postgres.query", factory: { _ in SwiftLogNoOpLogHandler() })
}

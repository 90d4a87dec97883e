// SPDX-License-Identifier: MIT
import Foundation
import Glibc
import Synchronization

/// A throwaway PostgreSQL server from Debian's `postgresql` package: `initdb` in a scratch directory,
/// `pg_ctl start` on a free loopback port (as `nobody` when the tests run as root: the server refuses
/// root), trust authentication for the user `feedwatch`, no fsync. Stopped by ``stop()``, or when the
/// test process exits (``shared``).
public final class PostgresServer: Sendable {
    public let port: Int
    public let directory: String
    private let bin: String

    /// One server for the test process, started on first use; each test makes its own database.
    public static func shared() throws -> PostgresServer {
        try sharedServer.withLock { server in
            if let server { return server }
            let started = try PostgresServer()
            server = started
            atexit { try? PostgresServer.sharedServer.withLock { $0 }?.stop() }
            return started
        }
    }

    private static let sharedServer = Mutex<PostgresServer?>(nil)
    private static let counter = Atomic(0)

    /// Makes and starts a server of its own.
    public init() throws {
        guard let bin = Self.binaries() else {
            throw PostgresServerError("PostgreSQL's server programs are not installed: apt-get install postgresql (README command 1 does)")
        }
        self.bin = bin
        directory = try makeScratchDirectory("postgres")
        port = Int(TestHTTPServer.closedPort())
        if getuid() == 0 { chown(directory, Self.nobody, Self.nobody) }
        try run("initdb", ["-D", directory + "/data", "-U", "feedwatch", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"])
        try start()
    }

    /// Starts the server (again, after ``stop()``) on the same port and data.
    public func start() throws {
        try run("pg_ctl", ["-D", directory + "/data", "-l", directory + "/server.log", "-w", "-t", "30", "-o",
                           "-c listen_addresses=127.0.0.1 -p \(port) -k \(directory) -c fsync=off -c max_connections=200", "start"])
    }

    /// Stops the server at once (what a crash or a pulled cable looks like to its clients).
    public func stop() throws {
        try run("pg_ctl", ["-D", directory + "/data", "-m", "immediate", "-w", "stop"])
    }

    /// A new, empty database; its `postgresql://` URL.
    public func makeDatabase() throws -> String {
        let name = "t\(getpid())_\(Self.counter.add(1, ordering: .relaxed).newValue)"
        try run("psql", ["-h", "127.0.0.1", "-p", "\(port)", "-U", "feedwatch", "-d", "postgres", "-q", "-c", "CREATE DATABASE \(name)"])
        return url(name)
    }

    /// Runs `sql` in the database of `url` through psql, as an operator would.
    public func execute(_ sql: String, in url: String) throws {
        let database = String(url.split(separator: "/").last?.split(separator: "?").first ?? "")
        try run("psql", ["-h", "127.0.0.1", "-p", "\(port)", "-U", "feedwatch", "-d", database, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
    }

    public func url(_ database: String) -> String { "postgresql://feedwatch@127.0.0.1:\(port)/\(database)?sslmode=disable" }

    /// Runs a PostgreSQL program (as `nobody` when root), failing with its output. Spawned and waited
    /// for directly, its output into a file, no other descriptor inherited: `pg_ctl start` leaves a
    /// server behind, and Foundation's Process waits for its child's descriptors to close.
    private func run(_ program: String, _ arguments: [String]) throws {
        let path = program == "psql" ? "/usr/bin/psql" : bin + "/" + program
        let argv = getuid() == 0
            ? ["/usr/bin/setpriv", "--reuid=\(Self.nobody)", "--regid=\(Self.nobody)", "--clear-groups", path] + arguments
            : [path] + arguments
        let output = directory + "/\(program).out"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of the test process is inherited: the server pg_ctl leaves running would hold
        // on to the pipes and sockets of processes other tests are running, and those never end.
        guard let closeFrom = Self.addCloseFrom, closeFrom(&actions, 3) == 0 else {
            throw PostgresServerError("posix_spawn_file_actions_addclosefrom_np (glibc 2.34) is not available")
        }
        var pid: pid_t = 0
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ)
        guard spawned == 0 else { throw PostgresServerError("cannot start \(argv[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            let log = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
            throw PostgresServerError("\(program) \(arguments.joined(separator: " ")) failed (status \(status)): \(text)\n\(log.suffix(2000))")
        }
    }

    private static let nobody: UInt32 = 65534

    /// glibc's `posix_spawn_file_actions_addclosefrom_np`, which Swift's Glibc module does not show.
    private static let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self) }
    }()

    /// The newest installed server's programs (`/usr/lib/postgresql/VERSION/bin`).
    private static func binaries() -> String? {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
        return versions.reversed().map { "\(root)/\($0)/bin" }.first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }
    }
}

public struct PostgresServerError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

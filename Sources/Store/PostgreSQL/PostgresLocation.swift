// SPDX-License-Identifier: MIT
public import Foundation

/// Where a PostgreSQL store is: `postgresql://USER@HOST:PORT/DBNAME` in libpq's URL form. The password
/// comes from `?password_file=PATH` (its first line) or `$PGPASSWORD`, never from the URL in the
/// configuration file; `sslmode` is `disable`, `prefer` (the default), `require`, `verify-ca` or
/// `verify-full`, as libpq reads it.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public enum TLSMode: String, Sendable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    public var passwordFile: String?
    public var tls: TLSMode

    /// Parses `text`; the error says what is wrong and what the form is.
    public init(_ text: String) throws(StoreError) {
        let form = "the form is postgresql://USER@HOST:PORT/DBNAME[?sslmode=…&password_file=PATH]"
        guard let url = URLComponents(string: text), ["postgresql", "postgres"].contains(url.scheme ?? "") else {
            throw StoreError("'\(text)' is not a PostgreSQL URL: \(form)")
        }
        guard url.password == nil else {
            throw StoreError("'\(text)' holds a password: keep it out of the configuration, in $PGPASSWORD or ?password_file=PATH")
        }
        guard let host = url.host, !host.isEmpty else { throw StoreError("'\(text)' names no host: \(form)") }
        let database = String(url.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else { throw StoreError("'\(text)' names no database: \(form)") }
        self.host = host
        self.port = url.port ?? 5432
        self.user = url.user ?? ProcessInfo.processInfo.environment["PGUSER"] ?? "feedwatch"
        self.database = database
        self.tls = .prefer
        for item in url.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                    throw StoreError("'\(text)': sslmode must be disable, prefer, require, verify-ca or verify-full")
                }
                tls = mode
            case "password_file":
                passwordFile = item.value
            default:
                throw StoreError("'\(text)': unknown parameter '\(item.name)' (known: sslmode, password_file)")
            }
        }
    }

    /// The password: `password_file`'s first line, else `$PGPASSWORD`, else none (trust or peer
    /// authentication).
    public func password(environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) -> String? {
        guard let passwordFile else { return environment["PGPASSWORD"] }
        do {
            let text = try String(contentsOfFile: passwordFile, encoding: .utf8)
            return String(text.prefix { $0 != "\n" && $0 != "\r" })
        } catch {
            throw StoreError("cannot read the PostgreSQL password file \(passwordFile): \((error as NSError).localizedDescription)")
        }
    }

    /// The URL without secrets, for messages.
    public var description: String { "postgresql://\(user)@\(host):\(port)/\(database)" }
}

// SPDX-License-Identifier: MIT
public import Foundation
import PostgresNIO

/// The cluster's alerts as they are raised, for `feedwatch tail --cluster`: every instance announces
/// each new alert's id on the `feedwatch_alerts` channel when its poll commits.
extension PostgresStore {
    /// The JSON lines of the newest `limit` alerts raised since `since` (any time: nil), oldest first.
    public func alertLines(since: Date?, limit: Int) async throws(StoreError) -> [String] {
        let since = since?.timeIntervalSince1970 ?? 0
        return try await run("reading the alerts") { client in
            var lines: [String] = []
            for try await json in try await client.query("""
                SELECT json FROM (SELECT json, created, id FROM alert WHERE created >= \(since) ORDER BY created DESC, id DESC LIMIT \(limit)) t
                ORDER BY created, id
                """).decode(String.self) {
                lines.append(json)
            }
            return lines
        }
    }

    /// Hands `body` each alert's JSON line as any instance raises it, until the task is cancelled or
    /// the connection to the database is lost (thrown).
    public func followAlerts(_ body: @escaping @Sendable (String) async -> Void) async throws(StoreError) {
        let client = client
        do {
            try await client.withConnection { connection in
                try await connection.listen(on: "feedwatch_alerts") { notifications in
                    for try await notification in notifications {
                        let id = notification.payload
                        for try await json in try await client.query("SELECT json FROM alert WHERE id = \(id)").decode(String.self) {
                            await body(json)
                        }
                    }
                }
            }
        } catch {
            throw StoreError("following the alerts on \(location) failed: \(Self.describe(error))")
        }
    }
}

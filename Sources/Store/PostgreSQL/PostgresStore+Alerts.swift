// SPDX-License-Identifier: MIT
public import Foundation
import PostgresNIO

/// An alert as the store keeps it: its JSON line as raised, and the story it was raised for (which
/// the sinks add to the line when they deliver it).
public struct RaisedAlert: Sendable, Equatable {
    public var json: String
    public var story: StoryJoin?
}

/// The cluster's alerts as they are raised, for `feedwatch tail --cluster`: every instance announces
/// each new alert's id on the `feedwatch_alerts` channel when its poll commits.
extension PostgresStore {
    /// The newest `limit` alerts raised since `since` (any time: nil), oldest first.
    public func alerts(since: Date?, limit: Int) async throws(StoreError) -> [RaisedAlert] {
        let since = since?.timeIntervalSince1970 ?? 0
        return try await run("reading the alerts") { client in
            var alerts: [RaisedAlert] = []
            for try await row in try await client.query("""
                SELECT \(unescaped: Self.raisedColumns) FROM (
                    SELECT json, story_key, story_copies, created, id FROM alert WHERE created >= \(since) ORDER BY created DESC, id DESC LIMIT \(limit)
                ) t ORDER BY created, id
                """).decode((String, String?, Int?).self) {
                alerts.append(Self.raised(row))
            }
            return alerts
        }
    }

    /// Hands `body` each alert as any instance raises it, until the task is cancelled or the
    /// connection to the database is lost (thrown).
    public func followAlerts(_ body: @escaping @Sendable (RaisedAlert) async -> Void) async throws(StoreError) {
        let client = client
        do {
            try await client.withConnection { connection in
                try await connection.listen(on: "feedwatch_alerts") { notifications in
                    for try await notification in notifications {
                        let id = notification.payload
                        for try await row in try await client.query("""
                            SELECT \(unescaped: Self.raisedColumns) FROM alert WHERE id = \(id)
                            """).decode((String, String?, Int?).self) {
                            await body(Self.raised(row))
                        }
                    }
                }
            }
        } catch {
            throw StoreError("following the alerts on \(location) failed: \(Self.describe(error))")
        }
    }

    private static let raisedColumns = "json, story_key, story_copies"

    /// A row of ``raisedColumns``.
    private static func raised(_ row: (json: String, storyKey: String?, storyCopies: Int?)) -> RaisedAlert {
        RaisedAlert(json: row.json, story: story(key: row.storyKey, copies: row.storyCopies))
    }

    /// The story an alert row names (`story_key`, `story_copies`), if any.
    static func story(key: String?, copies: Int?) -> StoryJoin? {
        key.map { StoryJoin(key: $0, copies: copies ?? 1) }
    }
}

// SPDX-License-Identifier: MIT
import Fetching
import Foundation
import Logging
import Store
import TestSupport
import Testing

/// The two implementations of ``Store``: the behavioural suites (feeds, seen entries, outbox) run each
/// test against both, the PostgreSQL one on a throwaway server of the test process's own.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
    case sqlite, postgresql

    var testDescription: String { rawValue }

    /// Where a new, empty store of this kind lives.
    func place() throws -> StorePlace {
        StorePlace(kind: self, directory: try makeScratchDirectory("store-\(rawValue)"),
                   database: self == .postgresql ? try PostgresServer.shared().makeDatabase() : nil)
    }

    /// A new, empty store of this kind.
    func make() async throws -> any Store { try await place().open() }
}

/// A store's state directory and, for PostgreSQL, its database: opened as often as a test likes.
struct StorePlace {
    let kind: StoreKind
    let directory: String
    let database: String?

    func open(instance: String? = nil, claimLease: TimeInterval = 60) async throws -> any Store {
        guard let database else { return try SQLiteStore(directory: directory) }
        return try await PostgresStore(
            PostgresLocation(database), instance: instance ?? InstanceIdentity.load(in: directory), hostKey: HostKey.of,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), claimLease: claimLease)
    }
}

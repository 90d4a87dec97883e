// SPDX-License-Identifier: MIT
import Fetching
import Foundation
public import Logging
public import Store

extension Configuration {
    /// The store this configuration names: the PostgreSQL database of `store:` (this instance known by
    /// the identity kept in the state directory), else SQLite in the state directory.
    public func openStore(logger: Logger = Configuration.silent) async throws(StoreError) -> any Store {
        guard let store else { return try SQLiteStore(directory: stateDirectory) }
        return try await PostgresStore(store, instance: try InstanceIdentity.load(in: stateDirectory), hostKey: HostKey.of, logger: logger)
    }

    /// The store as the daemon left it, for the commands that read what it keeps (the archive): an
    /// embedded store not made yet is said so, not created empty.
    public func openExistingStore() async throws(StoreError) -> any Store {
        if store == nil {
            let database = SQLiteStore.databasePath(in: stateDirectory)
            guard FileManager.default.fileExists(atPath: database) else {
                throw StoreError("\(database): no state database yet; run the daemon (feedwatch run or once) first")
            }
        }
        return try await openStore()
    }

    /// A logger that says nothing: commands report the store's failures themselves.
    public static let silent = Logger(label: "feedwatch.store", factory: { _ in SwiftLogNoOpLogHandler() })
}

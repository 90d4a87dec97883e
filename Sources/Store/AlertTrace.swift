// SPDX-License-Identifier: MIT
public import Foundation

/// An alert as the store knows it, for `feedwatch trace`.
public struct AlertTrace: Sendable {
    public struct Delivery: Sendable {
        public var sink: String
        public var attempts: Int
        public var lastError: String?
        /// Given up on (a dead letter).
        public var dead: Bool
    }

    public var id: String
    public var created: Date
    public var story: String?
    /// The sinks still owing it (pending or given up); a sink it was routed to and not listed here has it.
    public var owed: [Delivery]
}

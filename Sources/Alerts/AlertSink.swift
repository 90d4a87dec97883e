// SPDX-License-Identifier: MIT
public import Foundation

/// Somewhere alerts go. The daemon hands a sink the alerts its outbox holds for it, oldest first; the
/// sink says which it delivered. An alert it did not deliver stays owed and is offered again. A reload
/// builds every sink afresh from the configuration; the old object is let go after its last batch.
public protocol AlertSink: Sendable {
    /// Stable name: the outbox keys undelivered alerts by it across restarts.
    var name: String { get }
    /// Attempts before an alert becomes a dead letter; `nil`: retried until delivered.
    var maximumAttempts: Int? { get }
    /// Delivers `alerts` in order, stopping at the first failure. Each sink encodes an alert in its
    /// own form (a JSON line, a text line, environment variables) when it writes it.
    func deliver(_ alerts: [Alert]) async -> DeliveryReport
}

/// What a delivery achieved.
public struct DeliveryReport: Sendable, Equatable {
    /// Ids delivered (or found already delivered), in order.
    public var delivered: [String]
    /// The alert that failed and why; the ones after it were not tried.
    public var failure: DeliveryFailure?

    public init(delivered: [String], failure: DeliveryFailure? = nil) {
        self.delivered = delivered
        self.failure = failure
    }
}

/// Why an alert was not delivered.
public struct DeliveryFailure: Sendable, Equatable {
    public var id: String
    public var message: String
    /// When the receiver asked to be tried again (HTTP `Retry-After`).
    public var retryAfter: Date?

    public init(id: String, message: String, retryAfter: Date? = nil) {
        self.id = id
        self.message = message
        self.retryAfter = retryAfter
    }
}

// SPDX-License-Identifier: MIT
public import Fetching
import Foundation

/// POSTs each alert's JSON line to a URL through Feedwatch's HTTP client. A 2xx answer is delivery;
/// anything else is a failure, and 429/503 carry the receiver's `Retry-After`. Header values (tokens)
/// never appear in a failure message.
public struct WebhookSink: AlertSink {
    public let name: String
    public let url: String
    public let maximumAttempts: Int?
    private let headers: [(name: String, value: String)]
    private let timeout: Duration
    private let client: HTTPClient

    public init(name: String, url: String, headers: [(name: String, value: String)], timeout: Duration, maximumAttempts: Int, client: HTTPClient) {
        self.name = name
        self.url = url
        self.headers = headers
        self.timeout = timeout
        self.maximumAttempts = maximumAttempts
        self.client = client
    }

    public func deliver(_ alerts: [Alert]) async -> DeliveryReport {
        var delivered: [String] = []
        for alert in alerts {
            var request = FetchRequest(url: url)
            request.method = .post
            request.headers = headers + [(name: "Content-Type", value: "application/json")]
            request.body = Data(alert.jsonLine.utf8)
            request.followRedirects = false
            request.purpose = .delivery
            request.limits.totalTimeout = timeout
            request.limits.maximumBodyBytes = 1 << 20
            let fetched = await client.outcome(of: request)
            guard case .fresh = fetched else {
                var retryAfter: Date?
                if case .retryLater(_, let notBefore) = fetched { retryAfter = notBefore }
                let message: String
                if let error = fetched.error {
                    // "answered HTTP 429" beside the hook's URL; a failure without an answer says its own.
                    message = error.httpAnswer.map { "\(name): \(url) \($0)" } ?? "\(name): \(error)"
                } else {
                    message = "\(name): \(url) answered without accepting the alert"
                }
                return DeliveryReport(delivered: delivered, failure: DeliveryFailure(id: alert.id, message: message, retryAfter: retryAfter))
            }
            delivered.append(alert.id)
        }
        return DeliveryReport(delivered: delivered)
    }
}

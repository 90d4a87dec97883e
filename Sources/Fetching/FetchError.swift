// SPDX-License-Identifier: MIT

/// Why a fetch failed, in plain words, with the URL and (for transport errors) libcurl's code.
public struct FetchError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The host name could not be resolved.
        case dns
        /// Nothing accepts connections at that address and port.
        case connectionRefused
        /// The TLS handshake or certificate check failed.
        case tls
        /// A time limit was reached (connect, total, or the low-speed limit).
        case timeout
        /// The body, decompressed, is larger than the limit.
        case tooLarge
        /// More redirects than allowed, or a redirect back to a URL already visited.
        case tooManyRedirects
        case redirectLoop
        /// Only http and https are fetched, also as redirect targets.
        case forbiddenScheme
        /// The connection broke off before the response was complete.
        case connectionLost
        /// The server answered with a status other than 2xx where a body was needed
        /// (``FetchResponse/requireSuccess()``).
        case httpStatus(Int)
        /// The awaiting task was cancelled.
        case cancelled
        /// Anything else libcurl reported.
        case transport
    }

    public let kind: Kind
    /// The URL being fetched when it failed.
    public let url: String
    /// What happened, for the user.
    public let detail: String
    /// libcurl's `CURLcode`, where libcurl reported the failure.
    public let curlCode: Int?

    public init(_ kind: Kind, url: String, detail: String, curlCode: Int? = nil) {
        self.kind = kind
        self.url = url
        self.detail = detail
        self.curlCode = curlCode
    }

    /// `answered HTTP 429` for an error status; `nil` for a failure without an answer.
    public var httpAnswer: String? {
        if case .httpStatus(let status) = kind { return "answered HTTP \(status)" }
        return nil
    }

    public var description: String {
        "\(url): \(detail)" + (curlCode.map { " (curl error \($0))" } ?? "")
    }
}

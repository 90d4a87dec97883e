// SPDX-License-Identifier: MIT
public import Foundation

/// What an answer means to whoever asked, decided here once (RFC 9110), so that the poller and the
/// sinks act on meanings and never read a status code. Every case with an answer keeps it: its
/// headers (validators, freshness) and `permanentURL` (where the resource lives when every redirect
/// on the way was permanent) matter whatever the status.
public enum FetchOutcome: Sendable {
    /// 2xx: the representation.
    case fresh(FetchResponse)
    /// 304: what the caller holds is still current; the answer may carry new validators and freshness.
    case notModified(FetchResponse)
    /// 410: the resource was removed for good; asking again is pointless.
    case gone(FetchResponse)
    /// 429 or 503: ask again, and no earlier than `notBefore` when the server said when (`Retry-After`,
    /// counted from the answer's arrival).
    case retryLater(FetchResponse, notBefore: Date?)
    /// Any other status (with its answer), or no answer at all.
    case failed(FetchError, answer: FetchResponse?)

    /// The answer, when there was one.
    public var response: FetchResponse? {
        switch self {
        case .fresh(let response), .notModified(let response), .gone(let response), .retryLater(let response, _): response
        case .failed(_, let answer): answer
        }
    }

    /// What went wrong: `nil` for `fresh` and `notModified`.
    public var error: FetchError? {
        switch self {
        case .fresh, .notModified: nil
        case .gone(let response), .retryLater(let response, _): response.statusError
        case .failed(let error, _): error
        }
    }
}

extension FetchResponse {
    /// This answer's meaning.
    public var outcome: FetchOutcome {
        switch status {
        case 200...299: .fresh(self)
        case 304: .notModified(self)
        case 410: .gone(self)
        case 429, 503: .retryLater(self, notBefore: retryAfter(now: receivedAt))
        default: .failed(statusError, answer: self)
        }
    }
}

extension HTTPClient {
    /// Fetches `request` and says what the answer means. Never throws: a transfer that fails, a limit
    /// reached or a cancellation is `.failed` without an answer.
    public func outcome(of request: FetchRequest) async -> FetchOutcome {
        do {
            return try await fetch(request).outcome
        } catch {
            return .failed(error, answer: nil)
        }
    }
}

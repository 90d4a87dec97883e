// SPDX-License-Identifier: MIT
import Foundation
import Testing
@testable import Fetching

/// HTTP's meaning, decided in Fetching: each status class to its outcome.
struct FetchOutcomeTests {
    private let arrival = Date(timeIntervalSince1970: 1_800_000_000)

    private func answer(_ status: Int, _ headers: [(name: String, value: String)] = [], redirects: [Redirect] = []) -> FetchResponse {
        FetchResponse(status: status, url: "https://example.org/feed", redirects: redirects, headers: HTTPHeaders(headers), body: [],
                      receivedAt: arrival)
    }

    @Test(arguments: [200, 203, 226])
    func successIsFresh(status: Int) {
        guard case .fresh = answer(status).outcome else { Issue.record("\(status) is not fresh"); return }
        #expect(answer(status).outcome.error == nil)
    }

    @Test func notModifiedKeepsTheAnswerForItsValidators() {
        let outcome = answer(304, [("ETag", "\"v2\"")]).outcome
        guard case .notModified(let response) = outcome else { Issue.record("304 is not notModified"); return }
        #expect(response.etag == "\"v2\"" && outcome.error == nil)
    }

    @Test func goneIsGoneAndKeepsWhereTheFeedMoved() {
        let moved = answer(410, redirects: [Redirect(url: "https://old.example.org/feed", status: 301)]).outcome
        guard case .gone = moved else { Issue.record("410 is not gone"); return }
        #expect(moved.response?.permanentURL == "https://example.org/feed")
        #expect(moved.error?.kind == .httpStatus(410))
    }

    @Test(arguments: [429, 503])
    func retryLaterCountsRetryAfterFromTheArrival(status: Int) {
        guard case .retryLater(_, let notBefore) = answer(status, [("Retry-After", "120")]).outcome else {
            Issue.record("\(status) is not retryLater"); return
        }
        #expect(notBefore == arrival.addingTimeInterval(120))
        guard case .retryLater(_, let none) = answer(status).outcome else { Issue.record("no retryLater"); return }
        #expect(none == nil)
        #expect(answer(status).outcome.error?.httpAnswer == "answered HTTP \(status)")
    }

    @Test(arguments: [301, 400, 404, 500, 502])
    func otherStatusesFailWithTheirAnswer(status: Int) {
        guard case .failed(let error, let response) = answer(status).outcome else { Issue.record("\(status) did not fail"); return }
        #expect(error.kind == .httpStatus(status) && response != nil)
        #expect(error.description.hasPrefix("https://example.org/feed: the server answered HTTP \(status)"))
    }

    @Test func aTransferThatFailsIsFailedWithoutAnAnswer() async {
        let outcome = await HTTPClient().outcome(of: FetchRequest(url: "ftp://example.org/feed"))
        guard case .failed(let error, nil) = outcome else { Issue.record("not failed without answer"); return }
        #expect(error.kind == .forbiddenScheme && error.httpAnswer == nil)
    }
}

// SPDX-License-Identifier: MIT
import Fetching

/// Commands that take a file or a URL fetch URLs through one shared client.
enum URLInput {
    static func isURL(_ argument: String) -> Bool {
        let lower = argument.prefix(8).lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    /// Fetches `request`; a transport failure or a non-2xx status ends the command with exit code 3.
    static func fetch(_ request: FetchRequest, client: HTTPClient = HTTPClient()) async throws -> FetchResponse {
        do {
            return try await client.fetch(request).requireSuccess()
        } catch {
            throw CommandFailure.runtime(error.description)
        }
    }
}

// SPDX-License-Identifier: MIT
import ArgumentParser
import FeedParsing
import Fetching
import Foundation
import Markup

/// `feedwatch fetch URL…`: what a server answers, through the same client the daemon uses.
struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Fetch URLs as Feedwatch does and show what each server answered.",
        discussion: """
            For each URL, one line: status, body bytes (decompressed), the final URL and any redirects, and \
            the caching headers a poller honours. --json prints one JSON object per URL instead. All URLs \
            are fetched concurrently, within the global and per-host caps. Exits 3 when a fetch failed.
            """
    )

    @Argument(help: "http(s) URLs.")
    var urls: [String] = []

    @Option(help: "A file with one URL per line (in addition to the arguments).")
    var urlsFrom: String?

    @Flag(help: "One JSON object per URL.")
    var json = false

    @Option(help: "Transfers in flight at once.")
    var maxConcurrent = 50

    @Option(help: "Transfers in flight per host.")
    var maxPerHost = 2

    @Option(help: "Largest body accepted, in bytes (decompressed).")
    var maxSize = 16 << 20

    func run() async throws {
        var all = urls
        if let urlsFrom {
            guard let text = try? String(contentsOfFile: urlsFrom, encoding: .utf8) else {
                throw CommandFailure.invalidInput("\(urlsFrom): cannot read the URL list")
            }
            // Split on bytes: a list of thousands of URLs is read in well under a millisecond.
            all += text.utf8.split(whereSeparator: { $0 == 0x0A || $0 == 0x0D })
                .map { String(decoding: $0, as: UTF8.self).trimmingWhitespace() }.filter { !$0.isEmpty }
        }
        guard !all.isEmpty else { throw CommandFailure.usage("no URL given: pass URLs or --urls-from FILE") }
        var configuration = HTTPClient.Configuration()
        configuration.maximumConcurrentTransfers = maxConcurrent
        configuration.maximumTransfersPerHost = maxPerHost
        let client = HTTPClient(configuration: configuration)
        let results = await Self.fetchAll(all, client: client, limit: maxSize)
        var out = JSONWriter()
        var failures = 0
        for (url, result) in zip(all, results) {
            switch result {
            case .success(let response):
                json ? Self.writeJSON(url, response, to: &out) : out.raw(Self.line(url, response))
            case .failure(let error):
                failures += 1
                if json {
                    out.beginObject()
                    out.key("url"); out.string(url)
                    out.key("error"); out.string(error.detail)
                    out.key("curl_code"); out.integer(error.curlCode)
                    out.endObject()
                    out.raw("\n")
                } else {
                    out.raw("\(url)\terror\t\(error.detail)\n")
                }
            }
        }
        StandardOutput.write(out.bytes)
        if failures > 0 { throw CommandFailure.runtime("\(failures) of \(all.count) fetches failed") }
    }

    /// Fetches every URL concurrently (the client enforces the caps); results in input order.
    private static func fetchAll(_ urls: [String], client: HTTPClient, limit: Int) async -> [Result<FetchResponse, FetchError>] {
        await withTaskGroup(of: (Int, FetchResponse?, FetchError?).self) { group in
            for (index, url) in urls.enumerated() {
                group.addTask {
                    var request = FetchRequest(url: url)
                    request.limits.maximumBodyBytes = limit
                    do {
                        return (index, try await client.fetch(request), nil)
                    } catch let error as FetchError {
                        return (index, nil, error)
                    } catch {
                        return (index, nil, FetchError(.transport, url: url, detail: "\(error)"))
                    }
                }
            }
            var results = [Result<FetchResponse, FetchError>](
                repeating: .failure(FetchError(.cancelled, url: "", detail: "not fetched")), count: urls.count)
            for await (index, response, error) in group {
                if let response { results[index] = .success(response) } else if let error { results[index] = .failure(error) }
            }
            return results
        }
    }

    private static func line(_ url: String, _ r: FetchResponse) -> String {
        var parts = ["\(url)", "\(r.status)", "\(r.bodyBytes.count) bytes"]
        for hop in r.redirects { parts.append("\(hop.status) \(hop.url) →") }
        if !r.redirects.isEmpty { parts.append(r.url) }
        if let etag = r.etag { parts.append("etag \(etag)") }
        if let modified = r.lastModified { parts.append("last-modified \(modified)") }
        if let maxAge = r.cacheControl.maxAge { parts.append("max-age \(maxAge)") }
        return parts.joined(separator: "\t") + "\n"
    }

    private static func writeJSON(_ url: String, _ r: FetchResponse, to w: inout JSONWriter) {
        w.beginObject()
        w.key("url"); w.string(url)
        w.key("status"); w.integer(r.status)
        w.key("final_url"); w.string(r.url)
        w.key("redirects")
        w.beginArray()
        for hop in r.redirects {
            w.beginObject()
            w.key("url"); w.string(hop.url)
            w.key("status"); w.integer(hop.status)
            w.endObject()
        }
        w.endArray()
        w.key("bytes"); w.integer(r.bodyBytes.count)
        w.key("content_type"); w.string(r.contentType)
        w.key("etag"); w.string(r.etag)
        w.key("last_modified"); w.string(r.lastModified)
        w.key("max_age"); w.integer(r.cacheControl.maxAge)
        w.endObject()
        w.raw("\n")
    }
}

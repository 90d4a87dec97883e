// SPDX-License-Identifier: MIT
import ArgumentParser
import FeedParsing
import Fetching
import Foundation

/// `feedwatch parse FILE|URL`: one feed to normalised JSON on stdout.
struct ParseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse one feed (a file or an http(s) URL) and print it as normalised JSON.",
        discussion: """
            Detects RSS 0.90–2.0, RSS 1.0 (RDF), Atom 0.3/1.0, JSON Feed 1.x and CDF from the content. \
            FEED_URL (the URL the file came from: the base for relative links) and FEED_HTTP_HEADERS \
            (a JSON object of response headers; a Content-Type charset overrides the XML declaration) \
            describe how the file was retrieved, if it was. For a URL, the response's final URL and headers \
            play those roles.
            """
    )

    @Argument(help: "The feed file, or an http(s) URL.")
    var file: String

    @Option(help: "Refuse documents larger than this many bytes.")
    var maxSize: Int = FeedParser.defaultMaximumBytes

    func run() async throws {
        let (bytes, source) = URLInput.isURL(file) ? try await fetched() : try local()
        do {
            let feed = try FeedParser.parse(bytes, source: source, maximumBytes: maxSize)
            feed.writeNormalisedJSON(StandardOutput.write)
        } catch {
            throw CommandFailure.invalidInput("\(file): \(error)")
        }
    }

    private func local() throws -> ([UInt8], FeedParser.Source) {
        let bytes: [UInt8]
        do {
            bytes = try InputFile.read(file, limit: maxSize)
        } catch {
            throw CommandFailure.invalidInput("\(file): \(error)")
        }
        var source = FeedParser.Source(url: ProcessInfo.processInfo.environment["FEED_URL"])
        if let headers = ProcessInfo.processInfo.environment["FEED_HTTP_HEADERS"] {
            guard let object = try? JSONSerialization.jsonObject(with: Data(headers.utf8)) as? [String: Any] else {
                throw CommandFailure.usage("FEED_HTTP_HEADERS must be a JSON object of header names to values")
            }
            source.headers = object.compactMapValues { $0 as? String }
        }
        return (bytes, source)
    }

    private func fetched() async throws -> ([UInt8], FeedParser.Source) {
        var request = FetchRequest(url: file)
        request.limits.maximumBodyBytes = maxSize
        let response = try await URLInput.fetch(request)
        return (response.bodyBytes, FeedParser.Source(url: response.url) { response.headers[$0] })
    }
}

// SPDX-License-Identifier: MIT
import ArgumentParser
import Extraction
import FeedParsing
import Fetching
import Foundation

/// `feedwatch extract FILE|URL…`: the story text of article pages.
struct ExtractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Print the cleaned story text of article pages (files or http(s) URLs).",
        discussion: """
            With one input: the story's paragraphs separated by blank lines (the title is not part of them);
            --json prints every field (title, byline, published, text, language, canonical_url). With several
            inputs: one JSON object per line, {"input", "title", "text"}, all in one process.
            """
    )

    @Argument(help: "Page files or http(s) URLs.")
    var inputs: [String]

    @Flag(help: "Print all the article's fields as JSON.")
    var json = false

    @Option(help: "Refuse pages larger than this many bytes.")
    var maxSize = ArticleExtractor.defaultMaximumBytes

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one page file or URL") }
    }

    func run() async throws {
        let client = inputs.contains(where: URLInput.isURL) ? HTTPClient() : nil
        var out = JSONWriter()
        var failures: [String] = []
        for input in inputs {
            let article: ExtractedArticle
            do {
                article = try await extract(input, client: client)
            } catch let failure as CommandFailure {
                guard inputs.count > 1 else { throw failure }
                failures.append(failure.message)
                out.beginObject()
                out.key("input"); out.string(input)
                out.key("error"); out.string(failure.message)
                out.endObject()
                out.raw("\n")
                continue
            }
            if inputs.count == 1 && !json {
                out.raw(article.text.isEmpty ? "" : article.text + "\n")
            } else {
                out.beginObject()
                out.key("input"); out.string(input)
                out.key("title"); out.string(article.title)
                if json {
                    out.key("byline"); out.string(article.byline)
                    out.key("published"); out.string(article.published.map(DateParser.iso8601String))
                    out.key("language"); out.string(article.language)
                    out.key("canonical_url"); out.string(article.canonicalURL)
                }
                out.key("text"); out.string(article.text)
                out.endObject()
                out.raw("\n")
            }
            if out.bytes.count > 1 << 20 { out.drain(to: StandardOutput.write) }
        }
        out.drain(to: StandardOutput.write)
        if !failures.isEmpty { throw CommandFailure.invalidInput("\(failures.count) of \(inputs.count) pages failed") }
    }

    private func extract(_ input: String, client: HTTPClient?) async throws -> ExtractedArticle {
        var bytes: [UInt8]
        var url: String?
        var charset: String?
        if URLInput.isURL(input), let client {
            var request = FetchRequest(url: input)
            request.limits.maximumBodyBytes = maxSize
            let response = try await URLInput.fetch(request, client: client)
            bytes = Array(response.body)
            url = response.url
            charset = response.charset
        } else {
            do {
                bytes = try InputFile.read(input, limit: maxSize)
            } catch {
                throw CommandFailure.invalidInput("\(input): \(error)")
            }
        }
        do {
            return try ArticleExtractor.extract(bytes, url: url, charset: charset, maximumBytes: maxSize)
        } catch {
            throw CommandFailure.invalidInput("\(input): \(error)")
        }
    }
}

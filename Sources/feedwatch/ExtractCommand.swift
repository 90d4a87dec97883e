// SPDX-License-Identifier: MIT
import ArgumentParser
import Extraction
import FeedParsing
import Fetching
import Foundation
import Markup

/// `feedwatch extract FILE|URL…`: the story text of article pages.
struct ExtractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Print the cleaned story text of article pages (files or http(s) URLs).",
        discussion: """
            With one input: the story's paragraphs separated by blank lines (the title is not part of them); \
            --json prints every field (title, byline, published, text, language, canonical_url). With several \
            inputs: one JSON object per line, {"input", "title", "text"}, in input order, all in one process \
            (pages are extracted on --jobs threads, one per core by default).
            """
    )

    @Argument(help: "Page files or http(s) URLs.")
    var inputs: [String]

    @Flag(help: "Print all the article's fields as JSON.")
    var json = false

    @Option(help: "Refuse pages larger than this many bytes.")
    var maxSize = ArticleExtractor.defaultMaximumBytes

    @Option(help: "Pages extracted at once (default: one per core).")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one page file or URL") }
        guard jobs >= 1 && jobs <= 256 else { throw ValidationError("--jobs must be between 1 and 256") }
    }

    func run() async throws {
        let client = inputs.contains(where: URLInput.isURL) ? HTTPClient() : nil
        var out = JSONWriter()
        var failures: [String] = []
        for (input, result) in zip(inputs, await extractAll(client: client)) {
            let article: ExtractedArticle
            switch result {
            case .success(let extracted):
                article = extracted
            case .failure(let failure):
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

    /// Every input's article or failure, in input order, at most `jobs` at a time.
    private func extractAll(client: HTTPClient?) async -> [Result<ExtractedArticle, CommandFailure>] {
        await withTaskGroup(of: (Int, Result<ExtractedArticle, CommandFailure>).self) { group in
            var results = [Result<ExtractedArticle, CommandFailure>?](repeating: nil, count: inputs.count)
            var next = 0
            func start(_ index: Int) {
                let input = inputs[index]
                group.addTask {
                    do {
                        return (index, .success(try await extract(input, client: client)))
                    } catch let failure as CommandFailure {
                        return (index, .failure(failure))
                    } catch {
                        return (index, .failure(CommandFailure.runtime("\(input): \(error)")))
                    }
                }
            }
            while next < min(jobs, inputs.count) {
                start(next)
                next += 1
            }
            for await (index, result) in group {
                results[index] = result
                if next < inputs.count {
                    start(next)
                    next += 1
                }
            }
            return results.map { $0! }
        }
    }

    private func extract(_ input: String, client: HTTPClient?) async throws -> ExtractedArticle {
        var bytes: [UInt8]
        var url: String?
        var charset: String?
        if URLInput.isURL(input), let client {
            var request = FetchRequest(url: input)
            request.limits.maximumBodyBytes = maxSize
            let response = try await URLInput.fetch(request, client: client)
            bytes = response.bodyBytes
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

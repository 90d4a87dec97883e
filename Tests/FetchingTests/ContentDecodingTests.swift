// SPDX-License-Identifier: MIT
import CCompressionEncoders
import Foundation
import Testing
@testable import Fetching
import TestSupport

/// Bodies come from libcurl as received and are decoded by Fetching: every coding libcurl asks for,
/// within the size limit, and a clear error for what cannot be decoded.
@Suite(.timeLimit(.minutes(1)))
struct ContentDecodingTests {
    private let text = Array(String(repeating: "<item><title>Russia, Syria and an aircraft</title></item>\n", count: 400).utf8)

    private func decode(_ body: [UInt8], _ coding: String, limit: Int = 16 << 20) throws(FetchError) -> [UInt8] {
        try ContentDecoding.decode(body, contentEncoding: coding, limit: limit, url: "http://127.0.0.1/feed")
    }

    private func failure(_ body: [UInt8], _ coding: String, limit: Int = 16 << 20) -> FetchError? {
        do {
            _ = try decode(body, coding, limit: limit)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Reference encoders

    /// zlib's deflate: `windowBits` 15 + 16 for gzip, 15 for zlib, -15 for raw deflate.
    static func deflate(_ data: [UInt8], windowBits: Int32) -> [UInt8] {
        var stream = z_stream()
        precondition(fw_deflate_init(&stream, 6, windowBits) == Z_OK)
        defer { deflateEnd(&stream) }
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(data.count))) + 32)
        var input = data
        let produced = input.withUnsafeMutableBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                precondition(CCompressionEncoders.deflate(&stream, Z_FINISH) == Z_STREAM_END)
                return target.count - Int(stream.avail_out)
            }
        }
        return Array(out[..<produced])
    }

    static func zstd(_ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: ZSTD_compressBound(data.count))
        let size = out.withUnsafeMutableBytes { target in
            data.withUnsafeBytes { ZSTD_compress(target.baseAddress, target.count, $0.baseAddress, $0.count, 3) }
        }
        precondition(ZSTD_isError(size) == 0)
        return Array(out[..<size])
    }

    static func brotli(_ data: [UInt8]) -> [UInt8] {
        var size = BrotliEncoderMaxCompressedSize(data.count) + 1024
        var out = [UInt8](repeating: 0, count: size)
        let ok = out.withUnsafeMutableBufferPointer { target in
            data.withUnsafeBufferPointer { BrotliEncoderCompress(5, 22, BROTLI_MODE_TEXT, $0.count, $0.baseAddress, &size, target.baseAddress) }
        }
        precondition(ok == BROTLI_TRUE)
        return Array(out[..<size])
    }

    // MARK: Decoding

    @Test func everyCodingLibcurlOffersIsDecoded() throws {
        #expect(try decode(Self.deflate(text, windowBits: 31), "gzip") == text)
        #expect(try decode(Self.deflate(text, windowBits: 31), "x-gzip") == text)
        #expect(try decode(Self.deflate(text, windowBits: 15), "deflate") == text)
        #expect(try decode(Self.deflate(text, windowBits: -15), "deflate") == text)  // raw deflate, as some servers send
        #expect(try decode(Self.zstd(text), "zstd") == text)
        #expect(try decode(Self.brotli(text), "br") == text)
    }

    @Test func codingsAreReadAsTheHeaderListsThem() throws {
        #expect(ContentDecoding.codings(" GZip , identity,br ") == ["gzip", "br"])
        #expect(ContentDecoding.codings("") == [])
        #expect(try decode(text, "identity") == text)
        #expect(try decode(text, "") == text)
        // Applied in order, so undone last first.
        #expect(try decode(Self.brotli(Self.deflate(text, windowBits: 31)), "gzip, br") == text)
        #expect(try decode([], "gzip") == [])  // a 304 or HEAD answer has no body to decode
    }

    @Test func concatenatedGzipMembersAreOneBody() throws {
        let half = text.count / 2
        let body = Self.deflate(Array(text[..<half]), windowBits: 31) + Self.deflate(Array(text[half...]), windowBits: 31)
        #expect(try decode(body, "gzip") == text)
    }

    @Test func aDecoderStateIsReusedCleanly() throws {
        // The pool hands the same states out again: one body must not leak into the next.
        for round in 0..<20 {
            let body = Array("round \(round) ".utf8) + text
            #expect(try decode(Self.deflate(body, windowBits: 31), "gzip") == body)
            #expect(try decode(Self.zstd(body), "zstd") == body)
        }
    }

    @Test func bombsStopAtTheLimitInEveryCoding() {
        let zeros = [UInt8](repeating: 0, count: 8 << 20)
        let limit = 1 << 20
        for (body, coding) in [(Self.deflate(zeros, windowBits: 31), "gzip"), (Self.zstd(zeros), "zstd"), (Self.brotli(zeros), "br")] {
            #expect(body.count < 64 << 10)
            #expect(failure(body, coding, limit: limit)?.kind == .tooLarge, "\(coding)")
            #expect(failure(body, coding, limit: 8 << 20) == nil, "\(coding) exactly at the limit")
        }
    }

    @Test func corruptTruncatedAndUnknownBodiesAreErrorsNamingTheCoding() throws {
        let gzip = Self.deflate(text, windowBits: 31)
        var corrupt = gzip
        corrupt[20] ^= 0xFF
        corrupt[21] ^= 0xFF
        let truncated = Array(gzip[..<(gzip.count / 2)])
        for (body, coding) in [(corrupt, "gzip"), (truncated, "gzip"), (Array(Self.zstd(text).dropLast(8)), "zstd"),
                               (Array(Self.brotli(text).dropLast(8)), "br"), (Array("not compressed".utf8), "deflate")] {
            let error = try #require(failure(body, coding), "\(coding)")
            #expect(error.kind == .transport)
            #expect(error.detail.contains("the \(coding) body cannot be decoded"), "\(error.detail)")
            #expect(error.url == "http://127.0.0.1/feed")
        }
        let unknown = try #require(failure(text, "compress"))
        #expect(unknown.detail.contains("'compress'"))
    }

    @Test func aServersZstdAndBrotliBodiesArriveDecoded() async throws {
        let zstd = Data(Self.zstd(text)), brotli = Data(Self.brotli(text))
        let server = try TestHTTPServer { request in
            request.path == "/zstd"
                ? .respond(status: 200, headers: [("Content-Encoding", "zstd")], body: zstd)
                : .respond(status: 200, headers: [("Content-Encoding", "br")], body: brotli)
        }
        let client = HTTPClient()
        #expect(try await client.fetch(FetchRequest(url: server.url("/zstd"))).bodyBytes == text)
        #expect(try await client.fetch(FetchRequest(url: server.url("/br"))).bodyBytes == text)
    }
}

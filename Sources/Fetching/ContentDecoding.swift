// SPDX-License-Identifier: MIT
// Content codings (RFC 9110, section 8.4). Requests offer every coding decoded here (gzip, deflate, br,
// zstd); libcurl hands bodies over as received and they are decoded in the task that awaits the fetch.
// That keeps the work off the transfer threads, and lets decoder states be reused instead of libcurl
// allocating and zeroing zlib's 32 KB window for every response.
import CCompression
import Synchronization

enum ContentDecoding {
    /// The `Accept-Encoding` of every request: the codings ``decode(_:contentEncoding:limit:url:)`` undoes.
    static let offered = "gzip, deflate, br, zstd"

    /// `body` with the codings of its `Content-Encoding` undone (the last applied is undone first).
    /// Fails when the decoded body would exceed `limit` bytes, when a coding is unknown, or when the
    /// encoded data is corrupt or cut short.
    static func decode(_ body: [UInt8], contentEncoding: String, limit: Int, url: String) throws(FetchError) -> [UInt8] {
        let codings = Self.codings(contentEncoding)
        guard !body.isEmpty, !codings.isEmpty else { return body }
        let decoders = DecoderPool.shared.take()
        defer { DecoderPool.shared.give(decoders) }
        var current = body
        for coding in codings.reversed() {
            let outcome: DecoderSet.Outcome = current.withUnsafeBufferPointer { input in
                switch coding {
                case "gzip", "x-gzip": decoders.inflate(input, raw: false, limit: limit)
                case "deflate":
                    // RFC 9110 means zlib-wrapped data, but some servers send raw deflate.
                    switch decoders.inflate(input, raw: false, limit: limit) {
                    case .corrupt: decoders.inflate(input, raw: true, limit: limit)
                    case let other: other
                    }
                case "br": decoders.unbrotli(input, limit: limit)
                case "zstd": decoders.unzstd(input, limit: limit)
                default: .unknown
                }
            }
            switch outcome {
            case .decoded(let bytes):
                current = bytes
            case .tooLarge:
                throw FetchError(.tooLarge, url: url, detail: "the body is larger than the limit of \(limit) bytes")
            case .corrupt(let why):
                throw FetchError(.transport, url: url, detail: "the \(coding) body cannot be decoded: \(why)")
            case .unknown:
                throw FetchError(
                    .transport, url: url, detail: "the body is encoded as '\(coding)', which Feedwatch did not ask for and cannot decode")
            }
        }
        return current
    }

    /// The codings a `Content-Encoding` value lists, lower-cased, `identity` left out.
    static func codings(_ contentEncoding: String) -> [String] {
        contentEncoding.utf8.split(separator: UInt8(ascii: ",")).compactMap { part in
            let name = part.trimmingASCIIWhitespace()
            guard !name.isEmpty else { return nil }
            let coding = String(decoding: name.map(\.asciiLowercased), as: UTF8.self)
            return coding == "identity" ? nil : coding
        }
    }
}

/// Decoder states, reused across bodies. One task uses a set at a time.
final class DecoderSet: @unchecked Sendable {
    // Safe: a set is only reached through `DecoderPool`, which hands it to one task at a time.
    enum Outcome {
        case decoded([UInt8])
        case tooLarge
        case corrupt(String)
        case unknown
    }

    private static let chunkSize = 64 << 10
    private let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: DecoderSet.chunkSize)
    private var zlib: UnsafeMutablePointer<z_stream>?
    private var zstd: OpaquePointer?

    deinit {
        chunk.deallocate()
        if let zlib {
            inflateEnd(zlib)
            zlib.deallocate()
        }
        if let zstd { ZSTD_freeDCtx(zstd) }
    }

    /// gzip or zlib data (told apart by their headers), or raw deflate; concatenated gzip members are
    /// one body.
    func inflate(_ input: UnsafeBufferPointer<UInt8>, raw: Bool, limit: Int) -> Outcome {
        guard let stream = zlibStream() else { return .corrupt("zlib could not be initialised") }
        let windowBits: Int32 = raw ? -15 : 15 + 32
        guard inflateReset2(stream, windowBits) == Z_OK else { return .corrupt("zlib could not be reset") }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
        stream.pointee.avail_in = UInt32(input.count)
        var output: [UInt8] = []
        output.reserveCapacity(min(limit, Self.expectedSize(input)))
        while true {
            stream.pointee.next_out = chunk
            stream.pointee.avail_out = UInt32(Self.chunkSize)
            let status = CCompression.inflate(stream, Z_NO_FLUSH)
            let produced = Self.chunkSize - Int(stream.pointee.avail_out)
            guard output.count + produced <= limit else { return .tooLarge }
            output.append(contentsOf: UnsafeBufferPointer(start: chunk, count: produced))
            switch status {
            case Z_STREAM_END:
                let rest = Int(stream.pointee.avail_in)
                guard !raw, rest >= 2, let next = stream.pointee.next_in, next[0] == 0x1F, next[1] == 0x8B else {
                    return .decoded(output)  // anything after the last member is ignored, as gzip(1) does
                }
                guard inflateReset2(stream, windowBits) == Z_OK else { return .corrupt("zlib could not be reset") }
            case Z_OK:
                continue
            case Z_BUF_ERROR where stream.pointee.avail_in == 0:
                return .corrupt("the data ends early")
            default:
                return .corrupt(stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)")
            }
        }
    }

    func unbrotli(_ input: UnsafeBufferPointer<UInt8>, limit: Int) -> Outcome {
        guard let state = BrotliDecoderCreateInstance(nil, nil, nil) else { return .corrupt("brotli could not be initialised") }
        defer { BrotliDecoderDestroyInstance(state) }
        var availableIn = input.count
        var nextIn = input.baseAddress
        var output: [UInt8] = []
        while true {
            var availableOut = Self.chunkSize
            var nextOut: UnsafeMutablePointer<UInt8>? = chunk
            let result = BrotliDecoderDecompressStream(state, &availableIn, &nextIn, &availableOut, &nextOut, nil)
            let produced = Self.chunkSize - availableOut
            guard output.count + produced <= limit else { return .tooLarge }
            output.append(contentsOf: UnsafeBufferPointer(start: chunk, count: produced))
            switch result {
            case BROTLI_DECODER_RESULT_SUCCESS: return .decoded(output)
            case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT: continue
            case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT: return .corrupt("the data ends early")
            default: return .corrupt(String(cString: BrotliDecoderErrorString(BrotliDecoderGetErrorCode(state))))
            }
        }
    }

    func unzstd(_ input: UnsafeBufferPointer<UInt8>, limit: Int) -> Outcome {
        if zstd == nil { zstd = ZSTD_createDCtx() }
        guard let context = zstd else { return .corrupt("zstd could not be initialised") }
        ZSTD_DCtx_reset(context, ZSTD_reset_session_only)
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var output: [UInt8] = []
        while true {
            var target = ZSTD_outBuffer(dst: chunk, size: Self.chunkSize, pos: 0)
            let hint = ZSTD_decompressStream(context, &target, &source)
            if ZSTD_isError(hint) != 0 { return .corrupt(String(cString: ZSTD_getErrorName(hint))) }
            guard output.count + target.pos <= limit else { return .tooLarge }
            output.append(contentsOf: UnsafeBufferPointer(start: chunk, count: target.pos))
            let consumed = source.pos == source.size
            if hint == 0 && consumed { return .decoded(output) }  // the last frame is complete
            if consumed && target.pos < target.size { return .corrupt("the data ends early") }
        }
    }

    private func zlibStream() -> UnsafeMutablePointer<z_stream>? {
        if let zlib { return zlib }
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard fw_inflate_init(stream, 15 + 32) == Z_OK else {
            stream.deallocate()
            return nil
        }
        zlib = stream
        return stream
    }

    /// A guess at the decoded size: gzip's trailer gives it (modulo 4 GiB) for a single member. A
    /// server may write any number there: deflate expands at most 1,032 times, so a larger claim is cut.
    private static func expectedSize(_ input: UnsafeBufferPointer<UInt8>) -> Int {
        guard input.count >= 18, input[0] == 0x1F, input[1] == 0x8B else { return input.count * 4 }
        let n = input.count
        let size = Int(input[n - 4]) | Int(input[n - 3]) << 8 | Int(input[n - 2]) << 16 | Int(input[n - 1]) << 24
        return size > 0 ? min(size, input.count * 1032) : input.count * 4
    }
}

/// Decoder sets not in use; a cycle's concurrent decodes keep a few alive.
final class DecoderPool: Sendable {
    static let shared = DecoderPool()
    private static let kept = 16
    private let idle = Mutex<[DecoderSet]>([])

    func take() -> DecoderSet { idle.withLock { $0.popLast() } ?? DecoderSet() }

    func give(_ set: DecoderSet) {
        idle.withLock { idle in
            if idle.count < Self.kept { idle.append(set) }
        }
    }
}

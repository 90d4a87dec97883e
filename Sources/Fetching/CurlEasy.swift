// SPDX-License-Identifier: MIT
// One HTTP exchange (a single hop) on a libcurl easy handle. Owned by the engine thread from the
// moment it is started until it completes; callbacks reach it through CURLOPT_WRITEDATA/HEADERDATA.
import CCurl
import Foundation

/// The raw result of one hop.
struct HopResult: Sendable {
    let status: Int
    let headers: HTTPHeaders
    let body: [UInt8]
    /// Where a 3xx points, resolved by libcurl against the request URL.
    let location: String?
}

/// One transfer: its easy handle, its buffers and how to finish it.
final class CurlTransfer: @unchecked Sendable {
    // Safe: the caller creates it and hands it over once, through the engine's locked queue; from then
    // on only the engine thread touches it (libcurl's callbacks run on that thread too).
    let url: String
    let request: FetchRequest
    let cancelled: CancellationFlag
    private(set) var handle: UnsafeMutableRawPointer?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var body: [UInt8] = []
    private var headers = HTTPHeaders()
    private var status = 0
    private var bodyTooLarge = false
    private var postData: Data?
    private let completion: @Sendable (Result<HopResult, FetchError>) -> Void
    private var completed = false

    init(url: String, request: FetchRequest, cancelled: CancellationFlag,
         completion: @escaping @Sendable (Result<HopResult, FetchError>) -> Void) {
        self.url = url
        self.request = request
        self.cancelled = cancelled
        self.completion = completion
    }

    deinit {
        if let handle { curl_easy_cleanup(handle) }
        if let headerList { curl_slist_free_all(headerList) }
    }

    /// Configures an easy handle: `spare` (one reset after an earlier transfer) or a new one; sends
    /// `userAgentLine` (`User-Agent: …`) unless the request has its own. Returns an error when libcurl
    /// rejects an option.
    func prepare(userAgentLine: String, spare: UnsafeMutableRawPointer? = nil) -> FetchError? {
        guard let handle = spare ?? curl_easy_init() else {
            return FetchError(.transport, url: url, detail: "libcurl could not create a transfer")
        }
        self.handle = handle
        let limits = request.limits
        let context = Unmanaged.passUnretained(self).toOpaque()
        var code = CURLE_OK
        func set(_ result: CURLcode) { if code == CURLE_OK { code = result } }
        set(fw_curl_easy_setopt_string(handle, CURLOPT_URL, url))
        set(fw_curl_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"))
        set(fw_curl_easy_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"))
        set(fw_curl_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0))
        set(fw_curl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        // Bodies are handed over as received: ContentDecoding decodes the final response in the
        // awaiting task.
        set(fw_curl_easy_setopt_long(handle, CURLOPT_HTTP_CONTENT_DECODING, 0))
        set(fw_curl_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(limits.connectTimeout)))
        set(fw_curl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, milliseconds(limits.totalTimeout)))
        set(fw_curl_easy_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, limits.lowSpeedBytesPerSecond))
        set(fw_curl_easy_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, max(1, milliseconds(limits.lowSpeedTime) / 1000)))
        set(fw_curl_easy_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1))
        set(fw_curl_easy_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2))
        set(fw_curl_easy_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1))
        set(fw_curl_easy_setopt_long(handle, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS))
        set(fw_curl_easy_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, onBody))
        set(fw_curl_easy_setopt_ptr(handle, CURLOPT_WRITEDATA, context))
        set(fw_curl_easy_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, onHeader))
        set(fw_curl_easy_setopt_ptr(handle, CURLOPT_HEADERDATA, context))
        set(fw_curl_easy_setopt_ptr(handle, CURLOPT_PRIVATE, context))
        if Int64(limits.maximumBodyBytes) < Int64.max {
            // A Content-Length over the limit is refused before any byte of the body is read.
            set(fw_curl_easy_setopt_off(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(limits.maximumBodyBytes)))
        }
        // User-Agent and Accept-Encoding go in the header list as whole lines made once: given as
        // options, libcurl formats each afresh for every request.
        var lines = request.headers.map { "\($0.name): \($0.value)" }
        if !request.headers.contains(where: { HTTPHeaders.sameName($0.name, "User-Agent") }) { lines.append(userAgentLine) }
        if !request.headers.contains(where: { HTTPHeaders.sameName($0.name, "Accept-Encoding") }) {
            lines.append("Accept-Encoding: " + ContentDecoding.offered)
        }
        if let etag = request.etag { lines.append("If-None-Match: \(etag)") }
        if let lastModified = request.lastModified { lines.append("If-Modified-Since: \(lastModified)") }
        for line in lines { headerList = curl_slist_append(headerList, line) }
        if headerList != nil { set(fw_curl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)) }
        if request.method == .post {
            postData = request.body ?? Data()
            set(fw_curl_easy_setopt_long(handle, CURLOPT_POST, 1))
            set(fw_curl_easy_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(postData!.count)))
            set(postData!.withUnsafeBytes { fw_curl_easy_setopt_ptr(handle, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) })
        }
        guard code == CURLE_OK else {
            return FetchError(.transport, url: url, detail: "libcurl rejected an option: \(Self.message(code))", curlCode: Int(code.rawValue))
        }
        return nil
    }

    private func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }

    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard body.count + bytes.count <= request.limits.maximumBodyBytes else {
            bodyTooLarge = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    fileprivate func receiveHeader(_ line: UnsafeRawBufferPointer) {
        let bytes = line.trimmingASCIIWhitespace()
        if bytes.starts(with: "HTTP/".utf8) {
            // A new header block (after 100 Continue, or a proxy's CONNECT): start over.
            headers = HTTPHeaders()
            let afterVersion = bytes.drop { $0 != 0x20 }.dropFirst()
            status = Int(String(decoding: afterVersion.prefix { $0 != 0x20 }, as: UTF8.self)) ?? 0
        } else if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
            headers.append(
                name: String(decoding: bytes[..<colon], as: UTF8.self),
                value: String(decoding: bytes[(colon + 1)...].trimmingASCIIWhitespace(), as: UTF8.self))
        }
    }

    /// Finishes with libcurl's result for this handle. Called once, on the engine thread.
    func finish(_ code: CURLcode) {
        guard !completed else { return }
        completed = true
        guard code == CURLE_OK else {
            completion(.failure(error(for: code)))
            return
        }
        var location: UnsafeMutablePointer<CChar>?
        if let handle, fw_curl_easy_getinfo_string(handle, CURLINFO_REDIRECT_URL, &location) == CURLE_OK, let location {
            completion(.success(HopResult(status: status, headers: headers, body: body, location: String(cString: location))))
        } else {
            completion(.success(HopResult(status: status, headers: headers, body: body, location: nil)))
        }
    }

    /// Takes the easy handle back, reset to libcurl's defaults, for another transfer; the transfer
    /// must be finished and out of the multi handle.
    func takeHandleForReuse() -> UnsafeMutableRawPointer? {
        defer { handle = nil }
        if let handle { curl_easy_reset(handle) }
        return handle
    }

    /// Finishes without libcurl (cancelled, or never started).
    func fail(_ error: FetchError) {
        guard !completed else { return }
        completed = true
        completion(.failure(error))
    }

    private func error(for code: CURLcode) -> FetchError {
        let curl = Int(code.rawValue)
        let limits = request.limits
        switch code {
        case CURLE_WRITE_ERROR where bodyTooLarge, CURLE_FILESIZE_EXCEEDED:
            return FetchError(.tooLarge, url: url, detail: "the body is larger than the limit of \(limits.maximumBodyBytes) bytes", curlCode: curl)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return FetchError(.dns, url: url, detail: "the host name could not be resolved (DNS)", curlCode: curl)
        case CURLE_COULDNT_CONNECT:
            return FetchError(.connectionRefused, url: url, detail: "the connection was refused or the host is unreachable", curlCode: curl)
        case CURLE_OPERATION_TIMEDOUT:
            let detail = body.isEmpty && status == 0
                ? "no answer within the time limit (connect \(limits.connectTimeout), total \(limits.totalTimeout))"
                : "the transfer was too slow: under \(limits.lowSpeedBytesPerSecond) bytes/s for \(limits.lowSpeedTime), or over the total limit of \(limits.totalTimeout)"
            return FetchError(.timeout, url: url, detail: detail, curlCode: curl)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR:
            return FetchError(.tls, url: url, detail: "TLS failed: \(Self.message(code))", curlCode: curl)
        case CURLE_UNSUPPORTED_PROTOCOL:
            return FetchError(.forbiddenScheme, url: url, detail: "only http and https URLs are fetched", curlCode: curl)
        case CURLE_RECV_ERROR, CURLE_PARTIAL_FILE, CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return FetchError(.connectionLost, url: url, detail: "the connection broke off: \(Self.message(code))", curlCode: curl)
        default:
            return FetchError(.transport, url: url, detail: Self.message(code), curlCode: curl)
        }
    }

    static func message(_ code: CURLcode) -> String { String(cString: curl_easy_strerror(code)) }
}

private func transfer(_ context: UnsafeMutableRawPointer?) -> CurlTransfer {
    Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
}

private let onBody: fw_curl_data_callback = { data, size, count, context in
    let length = size * count
    let accepted = transfer(context).receiveBody(UnsafeRawBufferPointer(start: data, count: length))
    return accepted ? length : 0
}

private let onHeader: fw_curl_data_callback = { data, size, count, context in
    let length = size * count
    transfer(context).receiveHeader(UnsafeRawBufferPointer(start: data, count: length))
    return length
}

extension BidirectionalCollection where Element == UInt8 {
    /// Without leading and trailing spaces, tabs, CR and LF.
    func trimmingASCIIWhitespace() -> SubSequence {
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }
        var slice = self[...]
        while let first = slice.first, isSpace(first) { slice = slice.dropFirst() }
        while let last = slice.last, isSpace(last) { slice = slice.dropLast() }
        return slice
    }
}

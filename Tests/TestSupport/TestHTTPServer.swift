// SPDX-License-Identifier: MIT
public import Foundation
import Glibc
import Synchronization

/// A small HTTP/1.1 server on 127.0.0.1 (an ephemeral port) for tests: each connection on its own
/// thread, keep-alive, and answers that misbehave on purpose (dripping, resetting mid-body).
public final class TestHTTPServer: Sendable {
    public struct Request: Sendable {
        public let method: String
        public let path: String
        public let headers: [String: String]
        public let body: Data

        public func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    public enum Reply: Sendable {
        /// A complete response; `Content-Length` is added unless `chunked`.
        case respond(status: Int, headers: [(String, String)] = [], body: Data = Data(), chunked: Bool = false)
        /// Headers, then the body one byte every `interval`.
        case drip(body: Data, interval: Duration)
        /// Headers announcing `length` bytes, `partial` of them, then a TCP reset.
        case reset(length: Int, partial: Data)
        /// Waits, then replies.
        indirect case delayed(Duration, Reply)
    }

    private struct Counters {
        var active = 0
        var maximum = 0
        var connections = 0
        var closedByClient = 0
        public var requests: [Request] = []
    }

    public let port: UInt16
    private let listener: Int32
    private let counters = Mutex(Counters())
    private let handler: @Sendable (Request) -> Reply

    public init(_ handler: @escaping @Sendable (Request) -> Reply) throws {
        self.handler = handler
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            _ = $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        guard bound == 0, listen(listener, 128) == 0 else { throw POSIXError(.EADDRINUSE) }
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Largest number of requests the server was handling at once.
    public var maximumConcurrentRequests: Int { counters.withLock { $0.maximum } }
    public var connectionCount: Int { counters.withLock { $0.connections } }
    /// Connections the client closed (the server read the end of its stream).
    public var connectionsClosedByClient: Int { counters.withLock { $0.closedByClient } }
    public var requests: [Request] { counters.withLock { $0.requests } }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            counters.withLock { $0.connections += 1 }
            let thread = Thread { [self] in serve(client) }
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var buffer = Data()
        while true {
            guard let request = readRequest(fd, &buffer) else {
                counters.withLock { $0.closedByClient += 1 }
                return
            }
            counters.withLock {
                $0.active += 1
                $0.maximum = max($0.maximum, $0.active)
                $0.requests.append(request)
            }
            let keepOpen = send(handler(request), to: fd)
            counters.withLock { $0.active -= 1 }
            if !keepOpen { return }
        }
    }

    private func readRequest(_ fd: Int32, _ buffer: inout Data) -> Request? {
        let separator = Data("\r\n\r\n".utf8)
        while buffer.range(of: separator) == nil {
            guard let chunk = receive(fd) else { return nil }
            buffer.append(chunk)
        }
        let end = buffer.range(of: separator)!
        let head = String(decoding: buffer[buffer.startIndex..<end.lowerBound], as: UTF8.self)
        buffer = Data(buffer[end.upperBound...])
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while buffer.count < length {
            guard let chunk = receive(fd) else { return nil }
            buffer.append(chunk)
        }
        let body = Data(buffer.prefix(length))
        buffer = Data(buffer.dropFirst(length))
        return Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body)
    }

    private func receive(_ fd: Int32) -> Data? {
        var bytes = [UInt8](repeating: 0, count: 65536)
        let n = recv(fd, &bytes, bytes.count, 0)
        return n > 0 ? Data(bytes[..<n]) : nil
    }

    /// Sends a reply; false when the connection must close.
    private func send(_ reply: Reply, to fd: Int32) -> Bool {
        switch reply {
        case .delayed(let wait, let then):
            Thread.sleep(forTimeInterval: Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18)
            return send(then, to: fd)
        case .respond(let status, let headers, let body, let chunked):
            var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            if chunked {
                head += "Transfer-Encoding: chunked\r\n\r\n"
                guard write(fd, Data(head.utf8)) else { return false }
                var offset = 0
                while offset < body.count {
                    let piece = body[body.startIndex + offset..<body.startIndex + min(body.count, offset + 16384)]
                    guard write(fd, Data(String(piece.count, radix: 16).utf8 + [13, 10]) + piece + Data([13, 10])) else { return false }
                    offset += piece.count
                }
                return write(fd, Data("0\r\n\r\n".utf8))
            }
            head += "Content-Length: \(body.count)\r\n\r\n"
            return write(fd, Data(head.utf8) + body)
        case .drip(let body, let interval):
            guard write(fd, Data("HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\n\r\n".utf8)) else { return false }
            for byte in body {
                Thread.sleep(forTimeInterval: Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18)
                guard write(fd, Data([byte])) else { return false }
            }
            return true
        case .reset(let length, let partial):
            _ = write(fd, Data("HTTP/1.1 200 OK\r\nContent-Length: \(length)\r\n\r\n".utf8) + partial)
            Thread.sleep(forTimeInterval: 0.05)
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            return false
        }
    }

    private func write(_ fd: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
    }

    private static func reason(_ status: Int) -> String {
        [200: "OK", 301: "Moved Permanently", 302: "Found", 304: "Not Modified", 307: "Temporary Redirect",
         308: "Permanent Redirect", 404: "Not Found", 429: "Too Many Requests", 503: "Service Unavailable"][status] ?? "Status"
    }

    /// `data` compressed with gzip (the system's gzip tool).
    public static func gzip(_ data: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c", "-9"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let writer = Thread { input.fileHandleForWriting.write(data); try? input.fileHandleForWriting.close() }
        writer.start()
        let compressed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return compressed
    }

    /// A port on 127.0.0.1 where nothing listens.
    public static func closedPort() -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            _ = $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return UInt16(bigEndian: address.sin_port)
    }
}

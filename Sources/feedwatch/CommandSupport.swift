// SPDX-License-Identifier: MIT
import ArgumentParser
import Foundation

/// A failure that ends a command with a one-line message on stderr and the documented exit code.
struct CommandFailure: Error, Sendable, CustomStringConvertible {
    let message: String
    let code: Int32

    static func invalidInput(_ message: String) -> CommandFailure { CommandFailure(message: message, code: 1) }
    static func usage(_ message: String) -> CommandFailure { CommandFailure(message: message, code: 2) }
    static func runtime(_ message: String) -> CommandFailure { CommandFailure(message: message, code: 3) }

    var description: String { message }
}

/// Reading whole input files.
enum InputFile {
    struct ReadError: Error, CustomStringConvertible {
        let description: String
    }

    /// The bytes of `path`, refusing files over `limit` bytes.
    static func read(_ path: String, limit: Int) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReadError(description: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ReadError(description: String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) != S_IFDIR else { throw ReadError(description: "is a directory") }
        if Int(info.st_size) > limit {
            throw ReadError(description: "the file has \(info.st_size) bytes, over the limit of \(limit) bytes (--max-size)")
        }
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: max(65_536, Int(info.st_size) + 1))
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ReadError(description: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[..<n])
            if bytes.count > limit {
                throw ReadError(description: "over the limit of \(limit) bytes (--max-size)")
            }
        }
        return bytes
    }
}

/// Writing data to stdout in one go.
enum StandardOutput {
    /// Writes the pieces one after another, without first joining them into one copy.
    static func write(pieces: [[UInt8]]) {
        for piece in pieces where !piece.isEmpty { write(piece) }
    }

    static func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(1, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += n
            }
        }
    }
}

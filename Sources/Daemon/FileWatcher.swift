// SPDX-License-Identifier: MIT
import Foundation
import Glibc
import Synchronization

/// Tells when a file changes, through inotify on its directory, so that editors that replace the file
/// (write a copy, rename it over) are seen as well as those that write in place. Changes within
/// 100 ms count as one. The watching thread sleeps in `poll` until a change or ``stop()``.
final class FileWatcher: Sendable {
    let changes: AsyncStream<Void>
    private let descriptor: Int32
    private let continuation: AsyncStream<Void>.Continuation
    /// A pipe whose write end ``stop()`` closes to wake the thread: [read, write].
    private let stopPipe: [Int32]

    /// - Throws: when inotify is unavailable (the caller falls back to SIGHUP only).
    init(path: String) throws {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        changes = stream
        self.continuation = continuation
        descriptor = inotify_init1(Int32(IN_CLOEXEC) | Int32(IN_NONBLOCK))
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0, fcntl(ends[0], F_SETFD, FD_CLOEXEC) == 0, fcntl(ends[1], F_SETFD, FD_CLOEXEC) == 0 else {
            let code = errno
            close(descriptor)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
        stopPipe = ends
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MODIFY)
        guard inotify_add_watch(descriptor, directory.isEmpty ? "." : directory, mask) >= 0 else {
            let code = errno
            close(descriptor)
            for end in stopPipe { close(end) }
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
        let thread = Thread { [descriptor, stopPipe, continuation] in Self.watch(descriptor, stopPipe, name: name, continuation) }
        thread.name = "feedwatch-inotify"
        thread.start()
    }

    /// Stops watching; the thread ends at once.
    func stop() {
        continuation.finish()
    }

    private static func watch(_ descriptor: Int32, _ stopPipe: [Int32], name: String, _ continuation: AsyncStream<Void>.Continuation) {
        continuation.onTermination = { _ in close(stopPipe[1]) }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var pending = false
        while true {
            var pollers = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0), pollfd(fd: stopPipe[0], events: Int16(POLLIN), revents: 0)]
            let ready = poll(&pollers, 2, pending ? 100 : -1)
            if pollers[1].revents != 0 { break }
            if ready == 0 {
                if pending { continuation.yield() }
                pending = false
                continue
            }
            guard ready > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { continue }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= count {
                let (length, matches) = buffer.withUnsafeBytes { raw -> (Int, Bool) in
                    let nameLength = Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    let start = offset + MemoryLayout<inotify_event>.size
                    let bytes = raw[start..<(start + nameLength)].prefix { $0 != 0 }
                    return (MemoryLayout<inotify_event>.size + nameLength, String(decoding: bytes, as: UTF8.self) == name)
                }
                if matches { pending = true }
                offset += length
            }
        }
        close(descriptor)
        close(stopPipe[0])
    }
}


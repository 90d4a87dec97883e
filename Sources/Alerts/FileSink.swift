// SPDX-License-Identifier: MIT
import Foundation
import Glibc
import Synchronization

/// JSON lines appended to a file: one `write(2)` per line on an `O_APPEND` descriptor (mode 0640),
/// `fsync` after each batch. At start it reads the file's tail, so an alert written just before a crash
/// (and so still in the outbox) is not written twice. Rotation: after a rename or removal it notices
/// the path no longer names its file and opens a new one (and SIGHUP replaces the sink, which opens
/// the path afresh); a truncation (copytruncate) needs nothing, since appends go to the new end.
public final class FileSink: AlertSink {
    public let path: String
    public let name: String
    public var maximumAttempts: Int? { nil }

    /// How much of an existing file is read for ids already written.
    static let tailBytes = 4 << 20
    /// How many recent ids are remembered beyond that.
    static let rememberedIDs = 20_000

    private struct State {
        var descriptor: Int32 = -1
        var inode: ino_t = 0
        var written: Set<String> = []
        var order: [String] = []
    }

    private let state = Mutex(State())

    public init(path: String, name: String? = nil) {
        self.path = path
        self.name = name ?? "file:" + path
    }

    deinit {
        state.withLock { if $0.descriptor >= 0 { close($0.descriptor) } }
    }

    public func deliver(_ alerts: [Alert]) async -> DeliveryReport {
        state.withLock { state in
            var delivered: [String] = []
            do throws(SinkFailure) {
                try openIfNeeded(&state)
                for alert in alerts {
                    if !state.written.contains(alert.id) {
                        try appendWhole(alert.jsonLine + "\n", to: state.descriptor)
                        remember(alert.id, in: &state)
                    }
                    delivered.append(alert.id)
                }
                if !delivered.isEmpty, fsync(state.descriptor) != 0 { throw SinkFailure("fsync: \(errorText())") }
                return DeliveryReport(delivered: delivered)
            } catch {
                let id = alerts[min(delivered.count, alerts.count - 1)].id
                return DeliveryReport(delivered: delivered, failure: DeliveryFailure(id: id, message: "\(path): \(error.message)"))
            }
        }
    }

    private func openIfNeeded(_ state: inout State) throws(SinkFailure) {
        if state.descriptor >= 0 {
            var current = stat()
            if stat(path, &current) == 0 && current.st_ino == state.inode { return }
            close(state.descriptor)
            state.descriptor = -1
        }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw SinkFailure("cannot open for appending: \(errorText()); check that the directory exists and is writable")
        }
        var info = stat()
        fstat(descriptor, &info)
        state.descriptor = descriptor
        state.inode = info.st_ino
        let tail = readTail(size: Int(info.st_size))
        for id in Self.alertIDs(in: tail) { remember(id, in: &state) }
        // A line cut short by a crash must not swallow the next alert.
        if let last = tail.last, last != UInt8(ascii: "\n") { try appendWhole("\n", to: descriptor) }
    }

    private func readTail(size: Int) -> [UInt8] {
        guard size > 0, let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        let start = max(0, size - Self.tailBytes)
        try? handle.seek(toOffset: UInt64(start))
        var bytes = [UInt8]((try? handle.readToEnd()) ?? Data())
        // Drop a first line that the cut began inside.
        if start > 0, let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) { bytes.removeSubrange(...newline) }
        return bytes
    }

    /// The `id` of each complete alert line.
    static func alertIDs(in bytes: [UInt8]) -> [String] {
        bytes.split(separator: UInt8(ascii: "\n")).compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { return nil }
            return object["id"] as? String
        }
    }

    private func remember(_ id: String, in state: inout State) {
        guard state.written.insert(id).inserted else { return }
        state.order.append(id)
        if state.order.count > Self.rememberedIDs * 2 {
            let dropped = state.order.count - Self.rememberedIDs
            for old in state.order[..<dropped] { state.written.remove(old) }
            state.order.removeFirst(dropped)
        }
    }
}

/// Writes `line` with one `write(2)` (continued only if the kernel took part of it). When the line
/// goes to a regular file and only part of it could be written (a full disk takes what fits), the
/// part is cut off again, so the file never holds half an alert; the whole line goes in on the next
/// attempt. A pipe takes a short line whole or not at all.
func appendWhole(_ line: String, to descriptor: Int32) throws(SinkFailure) {
    var info = stat()
    let regular = fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    guard let code = writeFully(line, to: descriptor) else { return }
    if regular && (ftruncate(descriptor, info.st_size) != 0 || lseek(descriptor, info.st_size, SEEK_SET) < 0) {
        throw SinkFailure("write: \(errorText(code)); cutting off the partly written line failed too: \(errorText())")
    }
    throw SinkFailure("write: \(errorText(code))")
}

/// Why a sink could not deliver, in words.
struct SinkFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

func errorText(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

/// Writes all of `text` to `descriptor` as UTF-8, without copying it; see the byte version.
public func writeFully(_ text: String, to descriptor: Int32) -> Int32? {
    var text = text
    return text.withUTF8 { writeFully($0, to: descriptor) }
}

/// Writes all of `bytes` to `descriptor` — one `write(2)` unless the kernel takes only part, and
/// again after EINTR. Returns the errno of a failed write, or `nil` when everything was written.
public func writeFully(_ bytes: UnsafeBufferPointer<UInt8>, to descriptor: Int32) -> Int32? {
    guard let base = bytes.baseAddress else { return nil }
    var offset = 0
    while offset < bytes.count {
        let written = write(descriptor, base + offset, bytes.count - offset)
        if written < 0 {
            if errno == EINTR { continue }
            return errno
        }
        offset += written
    }
    return nil
}

// SPDX-License-Identifier: MIT
import Glibc

/// Reads an alert file line by line and keeps reading it as it grows, as `tail -F` does: when the
/// path comes to name another file (logrotate's rename), the rest of the old file is read first and
/// the new one from its start; when the file shrinks (copytruncate), reading starts over at its
/// beginning. Only whole lines are returned; a line still being written waits for its newline.
public final class AlertFileFollower {
    public let path: String
    private var descriptor: Int32 = -1
    private var identity: (device: UInt64, inode: UInt64) = (0, 0)
    private var offset: Int64 = 0
    private var assembler = LineAssembler()

    public init(path: String) {
        self.path = path
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Whether a file is open (the path may not exist yet).
    public var isOpen: Bool { descriptor >= 0 }

    /// Opens the file at the path; false when there is none.
    @discardableResult
    public func open() throws(AlertFileError) -> Bool {
        if descriptor >= 0 { return true }
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return false }
            throw AlertFileError(path: path, message: String(cString: strerror(errno)))
        }
        var status = stat()
        fstat(fd, &status)
        descriptor = fd
        identity = (UInt64(status.st_dev), UInt64(status.st_ino))
        offset = 0
        assembler.reset()
        return true
    }

    /// The whole lines added since the last call, across rotation and truncation.
    public func poll() throws(AlertFileError) -> [String] {
        guard try open() else { return [] }
        var lines: [String] = []
        var status = stat()
        if fstat(descriptor, &status) == 0, Int64(status.st_size) < offset {
            // Truncated in place: what is there now was written after the truncation.
            lseek(descriptor, 0, SEEK_SET)
            offset = 0
            assembler.reset()
        }
        lines += try readToEnd()
        var current = stat()
        if stat(path, &current) == 0, (UInt64(current.st_dev), UInt64(current.st_ino)) != identity {
            // Renamed away and replaced: finish the old file, then start on the new one.
            lines += try readToEnd()
            close(descriptor)
            descriptor = -1
            if try open() { lines += try readToEnd() }
        }
        return lines
    }

    private func readToEnd() throws(AlertFileError) -> [String] {
        var lines: [String] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw AlertFileError(path: path, message: String(cString: strerror(errno)))
            }
            if count == 0 { return lines }
            offset += Int64(count)
            lines += assembler.lines(completedBy: buffer[..<count])
        }
    }
}

/// An alert file that could not be read.
public struct AlertFileError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let message: String
    public var description: String { "\(path): \(message)" }
}

// SPDX-License-Identifier: MIT
// The binding to glibc's iconv, for documents in charsets other than UTF-8 and windows-1252.
import Glibc

enum Iconv {
    /// Transcodes with iconv; undecodable bytes become U+FFFD. `nil` when iconv does not know the label.
    static func transcode(_ bytes: Span<UInt8>, from label: String) -> [UInt8]? {
        bytes.withUnsafeBytes { transcode($0, from: label) }
    }

    private static func transcode(_ bytes: UnsafeRawBufferPointer, from label: String) -> [UInt8]? {
        let converter = iconv_open("UTF-8", label.uppercased())
        guard let converter, converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2 + 16)
        var chunk = [CChar](repeating: 0, count: 16384)
        guard let base = bytes.baseAddress else { return [] }
        var input = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: CChar.self))
        var inputLeft = bytes.count
        while inputLeft > 0 {
            let produced: Int = chunk.withUnsafeMutableBufferPointer { buffer in
                var output: UnsafeMutablePointer<CChar>? = buffer.baseAddress
                var outputLeft = buffer.count
                var inputCursor: UnsafeMutablePointer<CChar>? = input
                let result = iconv(converter, &inputCursor, &inputLeft, &output, &outputLeft)
                input = inputCursor!
                if result == -1 && errno != E2BIG {
                    // Invalid or truncated sequence: replace one byte and go on.
                    input += 1
                    inputLeft -= 1
                    let written = buffer.count - outputLeft
                    return -(written + 1)
                }
                return buffer.count - outputLeft
            }
            let written = produced < 0 ? -produced - 1 : produced
            chunk.withUnsafeBufferPointer { buffer in
                out.append(contentsOf: UnsafeRawBufferPointer(start: buffer.baseAddress, count: written))
            }
            if produced < 0 { out.append(contentsOf: [0xEF, 0xBF, 0xBD]) }
        }
        return out
    }
}

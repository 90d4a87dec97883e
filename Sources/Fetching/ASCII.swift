// SPDX-License-Identifier: MIT

extension UInt8 {
    /// This byte with an ASCII capital letter lower-cased; any other byte as it is. Schemes, host
    /// names, header names and content codings all compare this way.
    @inline(__always)
    package var asciiLowercased: UInt8 { self >= 0x41 && self <= 0x5A ? self | 0x20 : self }
}

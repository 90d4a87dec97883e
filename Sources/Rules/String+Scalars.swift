// SPDX-License-Identifier: MIT

extension String {
    /// `scalars` as a string, encoded straight into its storage. A rules file of 100,000 rules makes
    /// over a million of these; building a `UnicodeScalarView` one scalar at a time took most of the
    /// time of reading it.
    init(scalars: ArraySlice<Unicode.Scalar>) {
        var length = 0
        for scalar in scalars { length += UTF8.width(scalar) }
        self.init(unsafeUninitializedCapacity: length) { buffer in
            var offset = 0
            for scalar in scalars {
                UTF8.encode(scalar) { byte in
                    buffer[offset] = byte
                    offset += 1
                }
            }
            return offset
        }
    }
}

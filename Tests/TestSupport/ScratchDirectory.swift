// SPDX-License-Identifier: MIT
import Foundation

/// A new, empty directory of its own under the system's temporary directory, for one test:
/// `…/feedwatch-<label>-<UUID>`.
public func makeScratchDirectory(_ label: String) throws -> String {
    let path = NSTemporaryDirectory() + "feedwatch-\(label)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

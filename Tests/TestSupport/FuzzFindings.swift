// SPDX-License-Identifier: MIT
public import Foundation

/// The inputs the fuzz targets (Fuzz/) once failed on, kept as a test target's fixtures under
/// `Fixtures/fuzz-findings/`: each test replays them through the same property the target checks.
public func fuzzFindings(in bundle: Bundle) throws -> [(name: String, bytes: [UInt8])] {
    guard let folder = bundle.url(forResource: "Fixtures/fuzz-findings", withExtension: nil) else { return [] }
    return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map { name in
        (name, Array(try Data(contentsOf: folder.appendingPathComponent(name))))
    }
}

// swift-tools-version: 6.1
// SPDX-License-Identifier: MIT
//
// Coverage-guided fuzz targets for the stages that read strangers' bytes. A package of its own, because
// each target is a libFuzzer entry point (no `main`) that links only when built with the fuzzer:
//
//     swift build --package-path Fuzz -c release --sanitize=fuzzer --sanitize=address
//
// `make fuzz` (in the repository's root) builds them and runs each on its corpus under Fuzz/corpus.
import PackageDescription

let settings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("MemberImportVisibility")]

func fuzzTarget(_ name: String, _ products: [String]) -> Target {
    .executableTarget(
        name: "fuzz-\(name)",
        dependencies: ["FuzzSupport"] + products.map { .product(name: $0, package: "Feedwatch") },
        swiftSettings: settings + [.unsafeFlags(["-parse-as-library"])])
}

let package = Package(
    name: "FeedwatchFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Feedwatch", path: "..")],
    targets: [
        .target(name: "FuzzSupport", swiftSettings: settings),
        fuzzTarget("feed", ["FeedParsing"]),
        fuzzTarget("extract", ["Extraction"]),
        fuzzTarget("rules", ["Rules"]),
        fuzzTarget("http-headers", ["Fetching", "Markup"]),
        fuzzTarget("dates", ["Markup"]),
        fuzzTarget("alert-lines", ["Alerts"]),
    ],
    swiftLanguageModes: [.v6]
)

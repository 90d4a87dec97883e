// swift-tools-version: 6.1
// SPDX-License-Identifier: MIT
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Feedwatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "feedwatch", targets: ["feedwatch"]),
        // The stages that read untrusted bytes, for the fuzz targets in Fuzz/ (a package of its own,
        // built with the fuzzer and sanitizers; see `make fuzz`).
        .library(name: "FeedParsing", targets: ["FeedParsing"]),
        .library(name: "Extraction", targets: ["Extraction"]),
        .library(name: "Rules", targets: ["Rules"]),
        .library(name: "Markup", targets: ["Markup"]),
        .library(name: "Fetching", targets: ["Fetching"]),
        .library(name: "Alerts", targets: ["Alerts"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CCompression", providers: [.apt(["zlib1g-dev", "libzstd-dev", "libbrotli-dev"])]),
        .target(name: "Markup", dependencies: ["CLibXML2"], swiftSettings: upcoming),
        .target(name: "FeedParsing", dependencies: ["Markup"], swiftSettings: upcoming),
        .target(name: "Fetching", dependencies: ["CCurl", "CCompression"], swiftSettings: upcoming),
        .target(name: "Extraction", dependencies: ["Markup"], swiftSettings: upcoming),
        .target(
            name: "Store",
            dependencies: [
                "CCompression", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming),
        .target(name: "Alerts", dependencies: ["Fetching"], swiftSettings: upcoming),
        .target(
            name: "Daemon",
            dependencies: [
                "Alerts",
                "Extraction",
                "FeedParsing",
                "Fetching",
                "Markup",
                "Rules",
                "Store",
                "Yams",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming
        ),
        .target(name: "Rules", exclude: ["generate_unicode_tables.py"], swiftSettings: upcoming),
        // The story index at scale (Benchmarks/stories.py runs it); not part of the product.
        .executableTarget(name: "story-bench", dependencies: ["Store", "Extraction"], path: "Benchmarks/StoryBench", swiftSettings: upcoming),
        .executableTarget(
            name: "feedwatch",
            dependencies: [
                "Daemon",
                "Extraction",
                "FeedParsing",
                "Fetching",
                "Markup",
                "Rules",
                "Store",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(name: "MarkupTests", dependencies: ["Markup", "TestSupport"], resources: [.copy("Fixtures")], swiftSettings: upcoming),
        .testTarget(
            name: "FeedParsingTests", dependencies: ["FeedParsing", "Markup", "TestSupport"], resources: [.copy("Fixtures")],
            swiftSettings: upcoming),
        .target(name: "TestSupport", dependencies: ["Fetching"], path: "Tests/TestSupport", swiftSettings: upcoming),
        .systemLibrary(name: "CCompressionEncoders", path: "Tests/CCompressionEncoders"),
        .testTarget(
            name: "FetchingTests", dependencies: ["Fetching", "TestSupport", "CCompressionEncoders"], resources: [.copy("Fixtures")],
            swiftSettings: upcoming),
        .testTarget(
            name: "ExtractionTests", dependencies: ["Extraction", "Markup", "TestSupport"], resources: [.copy("Fixtures")],
            swiftSettings: upcoming),
        .testTarget(
            name: "StoreTests",
            dependencies: ["Store", "Fetching", "TestSupport", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log")],
            swiftSettings: upcoming),
        .testTarget(name: "AlertsTests", dependencies: ["Alerts", "Fetching", "TestSupport"], swiftSettings: upcoming),
        .testTarget(
            name: "DaemonTests",
            dependencies: [
                "Daemon", "FeedParsing", "Rules", "Store", "TestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: upcoming),
        .testTarget(name: "RulesTests", dependencies: ["Rules", "TestSupport"], resources: [.copy("Fixtures")], swiftSettings: upcoming),
        .testTarget(name: "CLITests", dependencies: ["feedwatch", "Alerts", "Daemon", "TestSupport"], swiftSettings: upcoming),
    ],
    swiftLanguageModes: [.v6]
)

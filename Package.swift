// swift-tools-version:6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

/// A cold `costwise select` spends most of its time starting up, so release builds on Linux link the
/// executable at a fixed address (the loader then applies none of the 40,000 relocations a
/// position-independent one needs; shared libraries, heap and stack keep their random addresses)
/// and link the C++ runtime, libyaml, libzstd and zlib from their static archives: the linker
/// scripts in `StaticLibraries` stand in for the shared libraries. About 1 ms of 5 (benchmarks/RESULTS.md).
let fastStartLinkerSettings: [LinkerSetting] = [
    .unsafeFlags(
        ["-Xclang-linker", "-no-pie", "-L", Context.packageDirectory + "/Sources/CostwiseCLI/StaticLibraries"],
        .when(platforms: [.linux], configuration: .release)
    ),
]

let package = Package(
    name: "Costwise",
    products: [
        .library(name: "Costwise", targets: ["Costwise"]),
        .executable(name: "costwise", targets: ["CostwiseCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CZstd",
            providers: [.apt(["libzstd-dev"])]
        ),
        .systemLibrary(
            name: "CYaml",
            providers: [.apt(["libyaml-dev"])]
        ),
        .systemLibrary(
            name: "CCurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .executableTarget(
            name: "CostwiseEmbed",
            swiftSettings: strictSettings
        ),
        .plugin(
            name: "EmbedCatalog",
            capability: .buildTool(),
            dependencies: ["CostwiseEmbed"]
        ),
        .target(
            name: "Costwise",
            dependencies: ["CSQLite", "CZlib", "CZstd", "CYaml", "CCurl"],
            swiftSettings: strictSettings,
            plugins: ["EmbedCatalog"]
        ),
        .executableTarget(
            name: "CostwiseCLI",
            dependencies: [
                "Costwise",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["StaticLibraries"],
            swiftSettings: strictSettings,
            linkerSettings: fastStartLinkerSettings
        ),
        .testTarget(
            name: "CostwiseTests",
            dependencies: ["Costwise"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CostwiseCLITests",
            swiftSettings: strictSettings
        ),
    ]
)

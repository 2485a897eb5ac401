// swift-tools-version:6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

/// A cold `costwise select` spends most of its time starting up, and loading and binding shared
/// libraries was a fifth of it, libstdc++ the costliest. So release builds on Linux take libstdc++,
/// libyaml, libzstd and zlib from their static archives: the linker finds the scripts in
/// `StaticLibraries`, named like the shared libraries, first, and they point it at the archives.
/// SQLite, libc and libm stay shared. See benchmarks/RESULTS.md, measurement 3.
let fastStartLinkerSettings: [LinkerSetting] = [
    .unsafeFlags(
        ["-L", Context.packageDirectory + "/Sources/CostwiseCLI/StaticLibraries"],
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
            exclude: ["Selection/README.md"],
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

// swift-tools-version:6.2
import PackageDescription

let strictSettings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

/// A cold `costwise select` spends most of its time starting up, and loading and binding shared
/// libraries was a fifth of it, libstdc++ the costliest. So release builds on Linux take libstdc++,
/// libyaml and zlib from their static archives: the linker finds the scripts in `StaticLibraries`,
/// named like the shared libraries, first, and they point it at the archives. SQLite, libc and libm
/// stay shared. Zstandard is not linked at all: the `.eval` importer loads the system's
/// `libzstd.so.1` with `dlopen` when it first meets a compressed member, so building needs no
/// libzstd-dev. See benchmarks/RESULTS.md, measurement 3.
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
        .library(name: "CostwiseUpstream", targets: ["CostwiseUpstream"]),
        .library(name: "CostwiseGateway", targets: ["CostwiseGateway"]),
        .executable(name: "costwise", targets: ["CostwiseCLI"]),
        .executable(name: "costwise-net", targets: ["CostwiseNet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
        // Without its default traits, Hummingbird needs neither swift-configuration nor full Foundation.
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
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
            name: "CYaml",
            providers: [.apt(["libyaml-dev"])]
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
            dependencies: ["CSQLite", "CZlib", "CYaml"],
            exclude: ["Selection/README.md"],
            swiftSettings: strictSettings,
            plugins: ["EmbedCatalog"]
        ),
        // Costwise's HTTP client for OpenAI-compatible chat-completions endpoints, on SwiftNIO: the
        // gateway forwards through it and the llm classifier's requests go through it. Kept out of
        // `Costwise`, so that the library and its users link no networking stack unless they ask
        // for this one.
        .target(
            name: "CostwiseUpstream",
            dependencies: [
                "Costwise",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        // The concurrency runtime's global-enqueue hook, found by the linker (see `EventLoopExecutor`).
        .target(name: "CConcurrencyHook"),
        .target(
            name: "CostwiseGateway",
            dependencies: [
                "Costwise",
                "CostwiseUpstream",
                "CConcurrencyHook",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // The store on PostgreSQL: `Costwise`'s SQL connection protocol over postgres-nio, so that
        // `Costwise` and the lean `costwise` link no networking stack.
        .target(
            name: "CostwisePostgres",
            dependencies: [
                "Costwise",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // The commands, parsed and printed; the library does the work. Both executables run them.
        .target(
            name: "CostwiseCommands",
            dependencies: [
                "Costwise",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // `costwise`: links no networking stack, because all that a binary carries slows its cold
        // start; `serve` and the llm classifier hand over to `costwise-net`.
        .executableTarget(
            name: "CostwiseCLI",
            dependencies: ["CostwiseCommands"],
            exclude: ["StaticLibraries"],
            swiftSettings: strictSettings,
            linkerSettings: fastStartLinkerSettings
        ),
        // `costwise-net`: the same commands with the upstream client and the gateway linked.
        .executableTarget(
            name: "CostwiseNet",
            dependencies: ["CostwiseCommands", "CostwiseUpstream", "CostwiseGateway", "CostwisePostgres"],
            swiftSettings: strictSettings,
            linkerSettings: fastStartLinkerSettings
        ),
        .testTarget(
            name: "CostwiseTests",
            dependencies: ["Costwise", "CostwisePostgres"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        // Runs the built `costwise`; it imports Costwise for its seeded generator, and the commands to
        // check `select`'s direct reading of its arguments against ArgumentParser's.
        .testTarget(
            name: "CostwiseCLITests",
            dependencies: ["Costwise", "CostwiseCommands"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CostwiseUpstreamTests",
            dependencies: [
                "CostwiseUpstream",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CostwiseGatewayTests",
            dependencies: [
                "CostwiseGateway",
                "CostwisePostgres",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)

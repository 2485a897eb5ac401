// swift-tools-version:6.1
import PackageDescription

// The benchmark harness: a separate package so that `swift build` and `swift test` of Costwise never
// compile it. `run.sh` builds it (and the `costwise` binary) in release and runs every measurement.
let package = Package(
    name: "CostwiseBenchmarks",
    dependencies: [
        // Named, so the harness builds whatever the checkout folder is called.
        .package(name: "Costwise", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
    ],
    targets: [
        // Raw sqlite3 C calls for the baselines (Costwise keeps its own CSQLite module internal).
        .systemLibrary(name: "BenchSQLite"),
        .executableTarget(
            name: "CostwiseBench",
            dependencies: [
                .product(name: "Costwise", package: "Costwise"),
                "BenchSQLite",
            ],
            // Linked as `costwise` is (see the root Package.swift), so that its start-up floor and
            // library-only cold select compare with the `costwise` process.
            linkerSettings: [
                .unsafeFlags(
                    ["-L", Context.packageDirectory + "/../Sources/CostwiseCLI/StaticLibraries"],
                    .when(platforms: [.linux], configuration: .release)
                ),
            ]
        ),
        .executableTarget(
            name: "NIOProxyFloor",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ]
)

// swift-tools-version:6.0
import PackageDescription

// Dependencies, and why each earns its build minutes:
// - swift-argument-parser: the CLI (subcommands, --help, usage errors exit 2).
// - swift-crypto: SHA-256 through BoringSSL's assembly, which uses the CPU's SHA extensions (~1 GB/s).
// - Yams: parsing pointer files now and cairn.yaml (the dvc.yaml schema) later.
let package = Package(
    name: "cairn",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "cairn", targets: ["cairn"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // System C libraries: each one is imported by exactly one Swift target.
        .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CSQLite3", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        .target(name: "Basics", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "ObjectStore", dependencies: ["Basics", "CZstd"]),   // wraps zstd
        .target(name: "Lineage", dependencies: ["Basics", "CSQLite3"]),    // wraps SQLite
        .target(name: "GitBridge", dependencies: ["Basics", "CGit2"]),     // wraps libgit2
        .target(name: "Remotes", dependencies: ["Basics", .product(name: "Crypto", package: "swift-crypto")]),  // HMAC for SigV4
        // The repository core: pointers, scanning, hashing through the stat cache, add/status/checkout/gc/fsck...
        .target(name: "Workspace", dependencies: ["Basics", "ObjectStore", "Lineage", "GitBridge", "Yams"]),
        // Push/fetch/pull, the remote catalog and remote configuration: where the store meets a Remote.
        .target(name: "Sync", dependencies: ["Basics", "ObjectStore", "GitBridge", "Remotes", "Workspace"]),
        // Pipelines: cairn.yaml (the dvc.yaml schema), params files, the stage graph, cairn.lock, the runner, the run-cache.
        .target(name: "Pipeline", dependencies: ["Basics", "Workspace", "Sync", "Yams"]),
        // Git hooks: installer, runner, pre-commit and pre-push checks.
        // Experiments: commits on refs/exps/ run from a baseline, the queue, and their transfer to teammates.
        .target(name: "Experiments", dependencies: ["Basics", "GitBridge", "Workspace", "Sync", "Remotes", "Pipeline"]),
        .target(name: "Hooks", dependencies: ["Basics", "GitBridge", "Workspace", "Sync", "Pipeline"]),
        .target(name: "Commands", dependencies: [
            "Basics", "Workspace", "Sync", "Pipeline", "Experiments", "Hooks", "Remotes", "ObjectStore", "GitBridge", "Lineage",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "cairn", dependencies: ["Commands"]),

        .testTarget(name: "BasicsTests", dependencies: ["Basics"]),
        .testTarget(name: "ObjectStoreTests", dependencies: ["ObjectStore", "Basics"]),
        .testTarget(name: "LineageTests", dependencies: ["Lineage", "Basics"]),
        .testTarget(name: "GitBridgeTests", dependencies: ["GitBridge", "Basics"]),
        // Real servers for the remote tests (SeaweedFS, sshd), shared by the unit and end-to-end tests.
        .target(name: "TestServers", dependencies: ["Basics"], path: "Tests/TestServers"),
        .testTarget(name: "RemotesTests", dependencies: ["Remotes", "Basics", "TestServers"]),
        .testTarget(name: "WorkspaceTests", dependencies: ["Workspace", "Basics", "GitBridge", "Lineage"]),
        .testTarget(name: "SyncTests", dependencies: ["Sync", "Workspace", "Remotes", "Basics"]),
        .testTarget(name: "HooksTests", dependencies: ["Hooks", "Basics"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Basics", "Workspace", "GitBridge", "Lineage"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "Pipeline", "Basics", "GitBridge"]),
        .testTarget(name: "EndToEndTests", dependencies: ["cairn", "Basics", "TestServers"]),
    ]
)

import Foundation

/// Finds the `cairn` executable that `swift test` built next to the test bundle.
///
/// Order of the search, first hit wins:
/// 1. `CAIRN_BINARY` in the environment (to test an installed or release build);
/// 2. the products directory of the running test bundle (`.build/<config>/`): on Linux the `.xctest` bundle is an
///    executable in that directory, on macOS it is a directory inside it (same idea as swift-argument-parser's
///    TestHelpers);
/// 3. `<package root>/.build/debug/cairn`, derived from this source file's location.
enum CairnBinary {
    static let path: String = locate()

    /// Whether the binary exists; tests fail with a clear message when it does not.
    static var exists: Bool { FileManager.default.isExecutableFile(atPath: path) }

    private static func locate() -> String {
        if let override = ProcessInfo.processInfo.environment["CAIRN_BINARY"], !override.isEmpty {
            return override
        }
        for directory in candidateProductDirectories() {
            let candidate = directory.appendingPathComponent("cairn").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        // Nothing found: return the most likely location so the failure message names it.
        return packageRoot().appendingPathComponent(".build/debug/cairn").path
    }

    private static func candidateProductDirectories() -> [URL] {
        var directories: [URL] = []
        #if os(macOS)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            directories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        #else
        directories.append(Bundle.main.bundleURL)
        #endif
        // The test runner executable itself sits in the products directory on Linux.
        let runner = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        directories.append(runner.deletingLastPathComponent())
        directories.append(packageRoot().appendingPathComponent(".build/debug"))
        return directories
    }

    /// Tests/EndToEndTests/Support/CairnBinary.swift -> the package root, three levels up.
    private static func packageRoot() -> URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()   // Support
            .deletingLastPathComponent()   // EndToEndTests
            .deletingLastPathComponent()   // Tests
            .deletingLastPathComponent()   // package root
    }
}

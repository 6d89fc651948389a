import Basics
import Foundation
import GitBridge
import XCTest
import Workspace
@testable import Pipeline

/// A real cairn repository in a temporary Git repository, for the run-cache and run-lineage tests.
class RunRepositoryTestCase: XCTestCase {
    var root = ""
    var repo: CairnRepository!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-runs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try git("init", "-q")
        try git("config", "user.name", "Runs Test")
        try git("config", "user.email", "runs@example.invalid")
        _ = try RepositoryInit.run(cwd: root)
        repo = try CairnRepository.open(cwd: root, lockMode: .exclusive, warn: { _ in })
    }

    override func tearDownWithError() throws {
        repo = nil
        Diagnostics.install(SilentDiagnostics())
        try? FileManager.default.removeItem(atPath: root)
    }

    func git(_ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        if process.terminationStatus != 0 { throw CairnError("git \(arguments.joined(separator: " ")) failed") }
    }

    func write(_ path: String, _ text: String) throws {
        let full = root + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: false, encoding: .utf8)
    }

    /// Stores `text` as a file object and returns its locked path (as an out).
    func storedOut(_ path: String, _ text: String, cache: Bool = true) throws -> LockedPath {
        let scratch = root + "/.cairn/tmp-\(UUID().uuidString)"
        try text.write(toFile: scratch, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let (id, size) = try repo.store.storeFile(path: scratch)
        try repo.store.commit()
        return LockedPath(path: path, type: .file, id: id, size: size, cache: cache)
    }

    /// A locked path whose content is not stored anywhere.
    func unstored(_ path: String, _ text: String, cache: Bool = true) -> LockedPath {
        LockedPath(path: path, type: .file, id: ObjectID.of(Array(text.utf8)), size: UInt64(text.utf8.count),
                   cache: cache)
    }

    func dep(_ path: String, _ text: String) -> LockedPath { unstored(path, text) }
}

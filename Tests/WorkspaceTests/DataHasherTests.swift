import Basics
import Foundation
import XCTest
@testable import Workspace

/// DataHasher is the Pipeline module's way to ask "what is at this path now": it must name data exactly as
/// `cairn add` does (sha256 of a file's bytes; the tree id for a directory) without storing anything.
final class DataHasherTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "/cairn-hasher-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let init_ = Process()
        init_.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        init_.arguments = ["init", "-q", directory]
        try init_.run()
        init_.waitUntilExit()
        _ = try RepositoryInit.run(cwd: directory)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    private func write(_ path: String, _ text: String) throws {
        let full = directory + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: false, encoding: .utf8)
    }

    func testFileIdIsTheSHA256OfItsBytesAndNothingIsStored() throws {
        try write("data/a.txt", "hello\n")
        let repo = try CairnRepository.open(cwd: directory, lockMode: .shared)
        let hasher = try DataHasher(repo: repo)
        let identity = try XCTUnwrap(try hasher.identify("data/a.txt"))
        hasher.finish()
        // sha256sum of "hello\n"
        XCTAssertEqual(identity.id.hex, "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03")
        XCTAssertEqual(identity.type, .file)
        XCTAssertEqual(identity.size, 6)
        XCTAssertFalse(repo.store.hasObject(identity.id), "identify must not store content")
        XCTAssertNil(try hasher.identify("data/absent.txt"))
    }

    func testDirectoryIdMatchesWhatAddStoresAndChangesWithOneFile() throws {
        try write("data/set/a.txt", "a\n")
        try write("data/set/sub/b.txt", "b\n")
        let before: DataIdentity
        do {
            let repo = try CairnRepository.open(cwd: directory, lockMode: .exclusive)
            let hasher = try DataHasher(repo: repo)
            before = try XCTUnwrap(try hasher.identify("data/set"))
            hasher.finish()
            XCTAssertEqual(before.type, .directory)
            XCTAssertEqual(before.fileCount, 2)
            XCTAssertFalse(repo.store.hasObject(before.id), "identify must not store trees")
            _ = try AddOperation.run(repo: repo, arguments: ["data/set"], cwd: directory, kind: nil, desc: nil)
            let tracked = try TargetResolver.trackedTargets(["data/set"], cwd: directory, root: repo.root)
            XCTAssertEqual(tracked.first?.pointer.id, before.id, "DataHasher and add must agree on a directory's id")
        }
        try write("data/set/sub/b.txt", "changed\n")
        let repo = try CairnRepository.open(cwd: directory, lockMode: .shared)
        let after = try XCTUnwrap(try DataHasher(repo: repo).identify("data/set"))
        XCTAssertNotEqual(after.id, before.id)
    }
}

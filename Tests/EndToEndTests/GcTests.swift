import XCTest

/// `cairn gc`: delete only what no pointer in the work tree references.
final class GcTests: EndToEndTestCase {
    /// Parses "removed N objects, ..." / "would remove N objects, ..." and returns N.
    private func objectCount(in result: CommandResult, prefix: String,
                             file: StaticString = #filePath, line: UInt = #line) -> Int? {
        for text in result.stdoutLines where text.hasPrefix(prefix + " ") {
            let rest = text.dropFirst(prefix.count + 1)
            if let number = Int(rest.prefix { $0.isNumber }), rest.dropFirst(String(number).count).hasPrefix(" object") {
                return number
            }
        }
        XCTFail("no '\(prefix) N objects' line\n\(result.transcript)", file: file, line: line)
        return nil
    }

    /// The store's files with their sizes, to prove that --dry-run touched nothing.
    private func storeSnapshot(_ repo: TempRepo) -> [String: Int] {
        var snapshot: [String: Int] = [:]
        for file in repo.files(under: ".cairn/cache") where !file.contains("/tmp/") {
            snapshot[file] = (try? FileManager.default.attributesOfItem(atPath: repo.path(file))[.size] as? Int) ?? -1
        }
        return snapshot
    }

    private func makeTwoVersions(_ repo: TempRepo) throws -> (old: PointerText, current: PointerText, hash: String) {
        try repo.writeRandom("data/x.bin", size: 300_000, seed: 31)
        let old = try add(repo, "data/x.bin")
        try repo.writeRandom("data/x.bin", size: 300_000, seed: 32)
        let current = try add(repo, "data/x.bin")
        try addFile(repo, "data/other.csv", text: "still referenced\n")
        return (old, current, try repo.sha256("data/x.bin"))
    }

    func testGcRemovesTheOldVersionAndKeepsTheCurrentOne() throws {
        let repo = try makeRepo()
        let versions = try makeTwoVersions(repo)
        let result = try repo.cairn("gc").assertSuccess()
        let removed = objectCount(in: result, prefix: "removed")
        XCTAssertGreaterThan(removed ?? 0, 0, result.transcript)

        try repo.remove("data/x.bin")
        try repo.remove("data/other.csv")
        try repo.cairn("checkout").assertSuccess()
        try assertContent(repo, "data/x.bin", sha256: versions.hash)
        XCTAssertEqual(try repo.readText("data/other.csv"), "still referenced\n")
        try repo.cairn("fsck").assertSuccess()

        // The old version really is gone.
        try repo.write("data/x.bin.cairn", versions.old.raw)
        try repo.remove("data/x.bin")
        try repo.cairn("checkout").assertError(containing: "is not in the cache")

        // Nothing left to collect.
        try repo.write("data/x.bin.cairn", versions.current.raw)
        XCTAssertEqual(objectCount(in: try repo.cairn("gc").assertSuccess(), prefix: "removed"), 0)
    }

    func testDryRunDeletesNothing() throws {
        let repo = try makeRepo()
        let versions = try makeTwoVersions(repo)
        let before = storeSnapshot(repo)
        let dry = try repo.cairn("gc", "--dry-run").assertSuccess()
        let wouldRemove = objectCount(in: dry, prefix: "would remove")
        XCTAssertGreaterThan(wouldRemove ?? 0, 0, dry.transcript)
        XCTAssertEqual(storeSnapshot(repo), before, "gc --dry-run changed the store")

        // The old version is still there after a dry run.
        try repo.write("data/x.bin.cairn", versions.old.raw)
        try repo.cairn("checkout").assertSuccess()
        XCTAssertEqual(try repo.sha256("data/x.bin"), versions.old.sha256Hex)

        // And a real gc removes what the dry run announced (old pointer back to current first).
        try repo.write("data/x.bin.cairn", versions.current.raw)
        try repo.cairn("checkout").assertSuccess()
        let real = try repo.cairn("gc").assertSuccess()
        XCTAssertEqual(objectCount(in: real, prefix: "removed"), wouldRemove)
    }

    /// A pointer in a subdirectory, a directory pointer and the run from a subdirectory all count as references.
    func testGcKeepsEverythingReferencedAnywhereInTheWorkTree() throws {
        let repo = try makeRepo()
        try repo.writeRandom("deep/a/b/file.bin", size: 100_000, seed: 33)
        try repo.writeRandom("sets/images/1.bin", size: 50_000, seed: 34)
        try repo.writeRandom("sets/images/2.bin", size: 50_000, seed: 35)
        try repo.cairn("add", "deep/a/b/file.bin", "sets/images").assertSuccess()
        let hashes = try ["deep/a/b/file.bin", "sets/images/1.bin", "sets/images/2.bin"].map { try repo.sha256($0) }
        try repo.makeDirectory("elsewhere")
        let result = try repo.cairn("gc", cwd: "elsewhere").assertSuccess()
        XCTAssertEqual(objectCount(in: result, prefix: "removed"), 0)
        try repo.remove("deep/a/b/file.bin")
        try repo.remove("sets/images")
        try repo.cairn("checkout").assertSuccess()
        for (index, file) in ["deep/a/b/file.bin", "sets/images/1.bin", "sets/images/2.bin"].enumerated() {
            try assertContent(repo, file, sha256: hashes[index])
        }
    }

    /// gc cannot know what an unreadable pointer references, so it must delete nothing (DVC #2325: gc deleted
    /// data people needed).
    func testGcRefusesWhenAPointerIsUnreadable() throws {
        let repo = try makeRepo()
        try repo.writeRandom("data/a.bin", size: 100_000, seed: 36)
        let pointer = try add(repo, "data/a.bin")
        try repo.write("data/a.bin.cairn", pointer.raw.replacingOccurrences(of: "format: 1", with: "format: 99"))
        let before = storeSnapshot(repo)
        try repo.cairn("gc").assertError(containing: "data/a.bin.cairn")
        XCTAssertEqual(storeSnapshot(repo), before, "gc deleted objects although a pointer could not be read")
        try repo.write("data/a.bin.cairn", pointer.raw)
        try repo.cairn("fsck").assertSuccess()
    }

    /// A pointer in a directory Git ignores is still a pointer in the work tree.
    func testGcKeepsDataOfPointersInGitIgnoredDirectories() throws {
        let repo = try makeRepo()
        try repo.writeRandom("build/out.bin", size: 100_000, seed: 37)
        try add(repo, "build/out.bin")
        try repo.write(".gitignore", "build/\n")
        XCTAssertEqual(objectCount(in: try repo.cairn("gc").assertSuccess(), prefix: "removed"), 0)
        try repo.cairn("fsck").assertSuccess()
    }

    /// Versions of a large file share most chunks: collecting the old version must keep every shared chunk.
    func testGcKeepsChunksSharedWithTheCurrentVersion() throws {
        let repo = try makeRepo()
        var bytes = SeededBytes.make(count: 6 << 20, seed: 38)
        try repo.write("data/big.bin", bytes: bytes)
        try add(repo, "data/big.bin")
        bytes.replaceSubrange((3 << 20)..<((3 << 20) + 16), with: Array("changed 16 bytes".utf8))
        try repo.write("data/big.bin", bytes: bytes)
        try add(repo, "data/big.bin")
        let hash = try repo.sha256("data/big.bin")
        let result = try repo.cairn("gc").assertSuccess()
        XCTAssertGreaterThan(objectCount(in: result, prefix: "removed") ?? 0, 0, result.transcript)
        try repo.cairn("fsck").assertSuccess()
        try repo.remove("data/big.bin")
        try repo.cairn("checkout").assertSuccess()
        try assertContent(repo, "data/big.bin", sha256: hash)
    }
}

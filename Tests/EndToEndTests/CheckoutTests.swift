import XCTest

/// `cairn checkout`: restoring data, writing only what differs, and never losing a local edit.
final class CheckoutTests: EndToEndTestCase {
    func testRestoresDeletedFileWithSameContentAndExecutableBit() throws {
        let repo = try makeRepo()
        try repo.writeRandom("bin/tool", size: 70_000, seed: 11)
        try repo.chmod("bin/tool", 0o755)
        let hash = try repo.sha256("bin/tool")
        try add(repo, "bin/tool")
        try repo.remove("bin/tool")
        let result = try repo.cairn("checkout").assertSuccess()
        result.assertStdout(contains: "restored bin/tool")
        try assertContent(repo, "bin/tool", sha256: hash)
        XCTAssertTrue(repo.isExecutable("bin/tool"))
    }

    func testRestoresExecutableBitOnAnOtherwiseUnchangedFile() throws {
        let repo = try makeRepo()
        try repo.write("bin/run.sh", "#!/bin/sh\n")
        try repo.chmod("bin/run.sh", 0o755)
        try add(repo, "bin/run.sh")
        try repo.chmod("bin/run.sh", 0o644)
        try repo.cairn("checkout", "bin/run.sh").assertSuccess()
        XCTAssertTrue(repo.isExecutable("bin/run.sh"))
    }

    func testUnchangedFilesAreNotRewritten() throws {
        let repo = try makeRepo()
        try repo.writeRandom("data/keep.bin", size: 50_000, seed: 12)
        try repo.writeRandom("data/lost.bin", size: 50_000, seed: 13)
        try repo.write("data/dir/a.txt", "a\n")
        try repo.write("data/dir/b.txt", "b\n")
        try repo.cairn("add", "data/keep.bin", "data/lost.bin", "data/dir").assertSuccess()
        // Old mtimes make a rewrite visible even at coarse timestamp resolution.
        for file in ["data/keep.bin", "data/dir/a.txt"] { try repo.ageFile(file) }
        let before = ["data/keep.bin", "data/dir/a.txt"].map { (repo.mtimeNs($0), repo.inode($0)) }
        try repo.remove("data/lost.bin")
        try repo.remove("data/dir/b.txt")

        let result = try repo.cairn("checkout").assertSuccess()
        result.assertStdout(contains: "restored data/lost.bin")
        result.assertStdout(lacks: "restored data/keep.bin")
        let after = ["data/keep.bin", "data/dir/a.txt"].map { (repo.mtimeNs($0), repo.inode($0)) }
        XCTAssertEqual(before.map(\.0), after.map(\.0), "unchanged files were rewritten (mtime changed)")
        XCTAssertEqual(before.map(\.1), after.map(\.1), "unchanged files were replaced (inode changed)")
        XCTAssertEqual(try repo.readText("data/dir/b.txt"), "b\n")
    }

    func testCheckoutOfACleanRepositoryWritesNothing() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "1\n")
        let result = try repo.cairn("checkout").assertSuccess()
        result.assertStdout(lacks: "restored")
    }

    func testRefusesToOverwriteALocalEditAndWritesNothingAtAll() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/edited.csv", text: "version 1\n")
        try addFile(repo, "data/deleted.csv", text: "other\n")
        try repo.write("data/edited.csv", "my unsaved work\n")
        try repo.remove("data/deleted.csv")

        let result = try repo.cairn("checkout")
        result.assertError(containing: [
            "cairn: error: checkout would overwrite local changes that are not in the cache:",
            "    data/edited.csv", "use --force to discard them",
        ], oneLine: false)
        XCTAssertEqual(try repo.readText("data/edited.csv"), "my unsaved work\n", "the local edit was lost")
        XCTAssertFalse(repo.exists("data/deleted.csv"), "nothing at all may be written when checkout refuses")
        XCTAssertFalse(result.stderr.contains("    data/deleted.csv"), "only conflicting paths are listed")

        let forced = try repo.cairn("checkout", "--force").assertSuccess()
        forced.assertStdout(contains: "restored data/edited.csv", "restored data/deleted.csv")
        XCTAssertEqual(try repo.readText("data/edited.csv"), "version 1\n")
        XCTAssertEqual(try repo.readText("data/deleted.csv"), "other\n")
    }

    /// Content that IS in the cache (an older added version) is safe to overwrite without --force.
    func testOverwritesAFileWhoseContentIsInTheCache() throws {
        let repo = try makeRepo()
        let v1 = try addFile(repo, "data/x.csv", text: "version 1\n")
        try addFile(repo, "data/x.csv", text: "version 2\n")
        // Go back to v1's pointer, as `git checkout HEAD~1 -- data/x.csv.cairn` would.
        try repo.write("data/x.csv.cairn", v1.raw)
        try repo.cairn("checkout").assertSuccess().assertStdout(contains: "restored data/x.csv")
        XCTAssertEqual(try repo.readText("data/x.csv"), "version 1\n")
    }

    func testExtraFilesInATrackedDirectoryAreRemovedOnlyWhenCached() throws {
        let repo = try makeRepo()
        try repo.write("data/set/a.txt", "a\n")
        let v1 = try add(repo, "data/set")
        try repo.write("data/set/cached.txt", "added in v2\n")
        try add(repo, "data/set")
        try repo.write("data/set.cairn", v1.raw)

        // cached.txt's content is in the cache: removing it loses nothing.
        try repo.cairn("checkout", "data/set").assertSuccess()
        XCTAssertFalse(repo.exists("data/set/cached.txt"), "an extra file whose content is cached should be removed")
        XCTAssertEqual(repo.files(under: "data/set"), ["data/set/a.txt"])

        // A new file with content cairn has never seen is a local change.
        try repo.write("data/set/novel.txt", "never added\n")
        let refused = try repo.cairn("checkout", "data/set")
        refused.assertError(containing: ["    data/set/novel.txt", "use --force"], oneLine: false)
        XCTAssertEqual(try repo.readText("data/set/novel.txt"), "never added\n")

        try repo.cairn("checkout", "--force", "data/set").assertSuccess()
        XCTAssertEqual(repo.files(under: "data/set"), ["data/set/a.txt"])
    }

    /// A directory standing where a tracked file belongs holds unsaved content: refuse, then replace with --force.
    func testDirectoryInPlaceOfATrackedFile() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/t.csv", text: "file\n")
        try repo.remove("data/t.csv")
        try repo.write("data/t.csv/inner.txt", "not in the cache\n")
        try repo.cairn("status").assertSuccess().assertStdoutLine("data/t.csv: modified")
        try repo.cairn("checkout").assertError(containing: ["    data/t.csv", "use --force"], oneLine: false)
        XCTAssertEqual(try repo.readText("data/t.csv/inner.txt"), "not in the cache\n")
        try repo.cairn("checkout", "--force").assertSuccess()
        XCTAssertEqual(try repo.readText("data/t.csv"), "file\n")
    }

    /// Checked-out files are independent copies: editing one in place must not damage the store (DVC's hardlink
    /// and symlink cache modes have this failure).
    func testEditingACheckedOutFileInPlaceLeavesTheStoreIntact() throws {
        let repo = try makeRepo()
        try repo.writeRandom("data/x.bin", size: 300_000, seed: 15)
        let hash = try repo.sha256("data/x.bin")
        try add(repo, "data/x.bin")
        try repo.remove("data/x.bin")
        try repo.cairn("checkout").assertSuccess()
        try repo.shell("printf 'XXXX' | dd of=data/x.bin bs=1 seek=1000 conv=notrunc status=none").assertSuccess()
        try repo.cairn("fsck").assertSuccess()
        try repo.cairn("checkout", "--force").assertSuccess()
        try assertContent(repo, "data/x.bin", sha256: hash)
    }

    func testMissingObjectIsAnError() throws {
        let repo = try makeRepo()
        try repo.writeRandom("data/x.bin", size: 100_000, seed: 14)
        let pointer = try add(repo, "data/x.bin")
        for pack in repo.files(under: ".cairn/cache/packs") { try repo.remove(pack) }
        try repo.remove("data/x.bin")
        let result = try repo.cairn("checkout")
        result.assertError(containing: ["cairn: error: data/x.bin: object sha256:", "is not in the cache"])
        let id = try XCTUnwrap(pointer["id"])
        XCTAssertTrue(result.stderr.contains("object \(id) is not in the cache"),
                      "contract names the file's object id\n\(result.transcript)")
        XCTAssertFalse(repo.exists("data/x.bin"), "no partial file may be left behind")
    }

    func testCheckoutOfSelectedPathFromASubdirectory() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "x\n")
        try addFile(repo, "data/y.csv", text: "y\n")
        try repo.remove("data/x.csv")
        try repo.remove("data/y.csv")
        try repo.cairn("checkout", "x.csv", cwd: "data").assertSuccess()
        XCTAssertEqual(try repo.readText("data/x.csv"), "x\n")
        XCTAssertFalse(repo.exists("data/y.csv"), "only the named target is checked out")
    }

    /// A local edit elsewhere does not block checking out a named target.
    func testNamedTargetIgnoresConflictsInOtherTargets() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "x\n")
        try addFile(repo, "data/y.csv", text: "y\n")
        try repo.write("data/y.csv", "unsaved edit\n")
        try repo.remove("data/x.csv")
        try repo.cairn("checkout", "data/x.csv").assertSuccess().assertStdout(contains: "restored data/x.csv")
        XCTAssertEqual(try repo.readText("data/y.csv"), "unsaved edit\n")
    }

    func testUnknownTargetIsAnError() throws {
        let repo = try makeRepo()
        try repo.cairn("checkout", "data/none.csv").assertError(containing: "data/none.csv")
    }
}

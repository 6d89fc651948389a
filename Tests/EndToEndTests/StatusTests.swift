import Foundation
import XCTest

/// `cairn status`, human and JSON output.
final class StatusTests: EndToEndTestCase {
    func testCleanRepositoryIsUpToDate() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "1\n")
        let result = try repo.cairn("status").assertSuccess()
        XCTAssertEqual(result.stdoutLines, ["Everything is up to date."], result.transcript)
    }

    func testRepositoryWithoutPointersIsUpToDate() throws {
        let repo = try makeRepo()
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")
    }

    func testModifiedFile() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "1\n")
        try addFile(repo, "data/y.csv", text: "2\n")
        try repo.write("data/x.csv", "1 but different\n")
        let result = try repo.cairn("status").assertSuccess()
        XCTAssertEqual(result.stdoutLines, ["data/x.csv: modified"], result.transcript)
    }

    /// Same size, same mtime second: a stat cache must not hide the change (racy-git).
    func testSameSizeEditInTheSameSecondIsSeen() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "aaaa\n")
        try repo.cairn("status").assertSuccess()
        try repo.write("data/x.csv", "bbbb\n")
        try repo.cairn("status").assertSuccess().assertStdoutLine("data/x.csv: modified")
    }

    /// The classic stat-cache trap: same size, same inode, mtime put back. Only the ctime (or the content) tells.
    func testInPlaceEditWithRestoredMtimeIsSeen() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "aaaa\n")
        try repo.ageFile("data/x.csv")
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")
        let inode = repo.inode("data/x.csv")
        try repo.shell("printf 'bbbb' | dd of=data/x.csv conv=notrunc status=none").assertSuccess()
        try repo.ageFile("data/x.csv")
        XCTAssertEqual(repo.inode("data/x.csv"), inode)
        try repo.cairn("status").assertSuccess().assertStdoutLine("data/x.csv: modified")
    }

    /// Racy-git after checkout: the stat cache learns the restored file, then an edit lands in the same second.
    func testEditRightAfterCheckoutAndStatusIsSeen() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "aaaa\n")
        try repo.remove("data/x.csv")
        try repo.cairn("checkout").assertSuccess()
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")
        try repo.shell("printf 'bbbb' | dd of=data/x.csv conv=notrunc status=none").assertSuccess()
        try repo.cairn("status").assertSuccess().assertStdoutLine("data/x.csv: modified")
    }

    /// state.db is only a cache: a damaged one must not stop status (or give wrong answers).
    func testDamagedStatCacheIsRebuilt() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "1\n")
        try addFile(repo, "data/y.csv", text: "2\n")
        try repo.write(".cairn/state.db", "this is not a database\n")
        try repo.write("data/y.csv", "3\n")
        let result = try repo.cairn("status").assertSuccess()
        XCTAssertEqual(result.stdoutLines, ["data/y.csv: modified"], result.transcript)
        result.assertNoCrash()
        try repo.cairn("status").assertSuccess()
    }

    func testDeletedFile() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "1\n")
        try repo.remove("data/x.csv")
        try repo.cairn("status").assertSuccess().assertStdoutLine("data/x.csv: deleted")
    }

    func testDirectoryChangesAreListedBelowIt() throws {
        let repo = try makeRepo()
        try repo.write("data/images/keep.txt", "keep\n")
        try repo.write("data/images/edit.txt", "before\n")
        try repo.write("data/images/gone.txt", "gone\n")
        try add(repo, "data/images")
        try repo.write("data/images/edit.txt", "after\n")
        try repo.remove("data/images/gone.txt")
        try repo.write("data/images/sub/new.txt", "new\n")
        let result = try repo.cairn("status").assertSuccess()
        // The order of the change lines is not part of the contract; their text is.
        XCTAssertEqual(result.stdoutLines.first, "data/images: modified", result.transcript)
        XCTAssertEqual(Set(result.stdoutLines.dropFirst()), [
            "    added:    data/images/sub/new.txt",
            "    modified: data/images/edit.txt",
            "    removed:  data/images/gone.txt",
        ], result.transcript)
        XCTAssertEqual(result.stdoutLines.count, 4, result.transcript)
    }

    func testStatusOfSelectedPathsOnly() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "1\n")
        try addFile(repo, "data/y.csv", text: "2\n")
        try repo.remove("data/x.csv")
        try repo.remove("data/y.csv")
        let result = try repo.cairn("status", "data/y.csv").assertSuccess()
        XCTAssertEqual(result.stdoutLines, ["data/y.csv: deleted"], result.transcript)
        try repo.cairn("status", "data/nope.csv").assertError(containing: "data/nope.csv")
    }

    func testJSONListsEveryPointerSortedWithStateAndChanges() throws {
        let repo = try makeRepo()
        try addFile(repo, "b.csv", text: "b\n")
        try addFile(repo, "a.csv", text: "a\n")
        try repo.write("data/set/one.txt", "1\n")
        try add(repo, "data/set")
        try addFile(repo, "c.csv", text: "c\n")
        try repo.write("a.csv", "a2\n")
        try repo.remove("c.csv")
        try repo.write("data/set/two.txt", "2\n")

        let result = try repo.cairn("status", "--json").assertSuccess()
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let entries = try XCTUnwrap(object?["entries"] as? [[String: Any]], result.transcript)
        XCTAssertEqual(entries.map { $0["path"] as? String }, ["a.csv", "b.csv", "c.csv", "data/set"])
        XCTAssertEqual(entries.map { $0["pointer"] as? String },
                       ["a.csv.cairn", "b.csv.cairn", "c.csv.cairn", "data/set.cairn"])
        XCTAssertEqual(entries.map { $0["state"] as? String }, ["modified", "unchanged", "deleted", "modified"])
        let changes = try XCTUnwrap(entries[3]["changes"] as? [[String: Any]], result.transcript)
        XCTAssertEqual(changes.count, 1)
        XCTAssertEqual(changes.first?["path"] as? String, "data/set/two.txt")
        XCTAssertEqual(changes.first?["change"] as? String, "added")
        for entry in entries.prefix(3) {
            let fileChanges = entry["changes"] as? [Any] ?? []
            XCTAssertTrue(fileChanges.isEmpty, "a file entry has no per-file changes: \(entry)")
        }
    }

    func testJSONOfACleanRepositoryStillListsPointers() throws {
        let repo = try makeRepo()
        try addFile(repo, "a.csv", text: "a\n")
        let result = try repo.cairn("status", "--json").assertSuccess()
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let entries = try XCTUnwrap(object?["entries"] as? [[String: Any]], result.transcript)
        XCTAssertEqual(entries.count, 1)
        XCTAssertEqual(entries.first?["state"] as? String, "unchanged")
    }

    func testDataMissingFromTheCacheIsReported() throws {
        let repo = try makeRepo()
        try repo.writeRandom("data/x.bin", size: 200_000, seed: 3)
        try add(repo, "data/x.bin")
        let packs = repo.files(under: ".cairn/cache/packs")
        XCTAssertFalse(packs.isEmpty, "expected pack files under .cairn/cache/packs; cache has: \(repo.files(under: ".cairn"))")
        for pack in packs { try repo.remove(pack) }
        let result = try repo.cairn("status").assertSuccess()
        result.assertStdoutLine("data/x.bin: not in cache")
        let json = try repo.cairn("status", "--json").assertSuccess()
        XCTAssertTrue(json.stdout.contains("\"not-in-cache\""), json.transcript)
    }

    func testStatusFromASubdirectoryTakesRelativePaths() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "1\n")
        try repo.remove("data/x.csv")
        let result = try repo.cairn("status", "x.csv", cwd: "data").assertSuccess()
        XCTAssertEqual(result.stdoutLines.count, 1, result.transcript)
        result.assertStdout(contains: "x.csv: deleted")
    }
}

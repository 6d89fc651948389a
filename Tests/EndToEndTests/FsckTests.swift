import Foundation
import XCTest

/// `cairn fsck` and what checkout does with a damaged store.
final class FsckTests: EndToEndTestCase {
    /// Adds 1 MiB of random data (stored as-is: incompressible) and returns its sha256.
    private func addRandomFile(_ repo: TempRepo) throws -> String {
        try repo.writeRandom("data/x.bin", size: 1 << 20, seed: 41)
        try add(repo, "data/x.bin")
        return try repo.sha256("data/x.bin")
    }

    /// Flips one byte in the middle of the biggest pack file, which holds the random data.
    private func corruptStore(_ repo: TempRepo, file: StaticString = #filePath, line: UInt = #line) throws {
        guard let pack = repo.largestFile(under: ".cairn/cache/packs") else {
            throw TestSetupError("no pack files under .cairn/cache/packs; store has: \(repo.files(under: ".cairn"))")
        }
        try repo.flipByte(pack)
    }

    func testCleanStoreHasNoProblems() throws {
        let repo = try makeRepo()
        _ = try addRandomFile(repo)
        try repo.write("data/set/a.txt", "a\n")
        try repo.write("data/set/b.txt", "b\n")
        try repo.write("data/set/same-as-b.txt", "b\n")
        try add(repo, "data/set")
        // Four tracked files, three distinct contents: fsck verifies (and counts) each content once.
        let result = try repo.cairn("fsck").assertSuccess()
        result.assertStdoutLine("checked 3 unique file contents: no problems")
    }

    func testFlippedByteIsReportedWithTheDataPath() throws {
        let repo = try makeRepo()
        _ = try addRandomFile(repo)
        try addFile(repo, "data/fine.csv", text: "untouched\n")
        try corruptStore(repo)
        let result = try repo.cairn("fsck")
        XCTAssertEqual(result.exitCode, 1, result.transcript)
        result.assertNoCrash()
        let problems = result.stdoutLines.filter { $0.hasPrefix("corrupt sha256:") || $0.hasPrefix("missing sha256:") }
        XCTAssertFalse(problems.isEmpty, "no problem lines\n\(result.transcript)")
        XCTAssertTrue(problems.allSatisfy { $0.contains("used by data/x.bin") }, result.transcript)
        XCTAssertFalse(result.stdout.contains("used by data/fine.csv"), "an intact file was blamed\n\(result.transcript)")
        XCTAssertTrue(result.stdoutLines.last?.hasSuffix("problems found") == true
                      || result.stdoutLines.last == "1 problem found", result.transcript)
    }

    func testCheckoutRefusesToWriteCorruptData() throws {
        let repo = try makeRepo()
        let hash = try addRandomFile(repo)
        try corruptStore(repo)
        try repo.remove("data/x.bin")
        let result = try repo.cairn("checkout")
        XCTAssertEqual(result.exitCode, 1, "checkout of corrupt data must fail\n\(result.transcript)")
        result.assertNoCrash()
        result.assertStderr(contains: "cairn: error: ")
        if repo.exists("data/x.bin") {
            XCTAssertEqual(try repo.sha256("data/x.bin"), hash, "checkout wrote corrupt data into the work tree")
        }
        XCTAssertTrue(repo.files(under: "data").allSatisfy { $0 == "data/x.bin.cairn" || $0 == "data/.gitignore" },
                      "checkout left a partial file behind: \(repo.files(under: "data"))")
    }

    /// With --force over a locally edited file, corrupt store data must not replace the user's file either.
    func testForcedCheckoutDoesNotReplaceAFileWithCorruptData() throws {
        let repo = try makeRepo()
        _ = try addRandomFile(repo)
        try corruptStore(repo)
        try repo.write("data/x.bin", "local edit\n")
        let result = try repo.cairn("checkout", "--force")
        XCTAssertEqual(result.exitCode, 1, result.transcript)
        result.assertNoCrash()
        XCTAssertEqual(try repo.readText("data/x.bin"), "local edit\n", "a failed checkout must leave the file as it was")
    }

    func testMissingPackIsReportedAsMissing() throws {
        let repo = try makeRepo()
        _ = try addRandomFile(repo)
        for pack in repo.files(under: ".cairn/cache/packs") { try repo.remove(pack) }
        let result = try repo.cairn("fsck")
        XCTAssertEqual(result.exitCode, 1, result.transcript)
        result.assertNoCrash()
        XCTAssertTrue(result.stdoutLines.contains { $0.hasPrefix("missing sha256:") && $0.hasSuffix("used by data/x.bin") },
                      result.transcript)
    }

    func testFsckJSONIsValid() throws {
        let repo = try makeRepo()
        _ = try addRandomFile(repo)
        let result = try repo.cairn("fsck", "--json").assertSuccess()
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(report?["contents_checked"] as? Int, 1, result.transcript)
        XCTAssertEqual((report?["problems"] as? [Any])?.count, 0, result.transcript)

        try corruptStore(repo)
        let broken = try repo.cairn("fsck", "--json")
        XCTAssertEqual(broken.exitCode, 1, broken.transcript)
        let brokenReport = try JSONSerialization.jsonObject(with: Data(broken.stdout.utf8)) as? [String: Any]
        let problems = try XCTUnwrap(brokenReport?["problems"] as? [[String: Any]], broken.transcript)
        XCTAssertFalse(problems.isEmpty)
        XCTAssertEqual(problems.first?["used_by"] as? [String], ["data/x.bin"], broken.transcript)
    }

    /// A pack cut short (disk full, a copy interrupted): reported, never crashes, and the store keeps working.
    func testTruncatedPackIsReportedAndTheStoreStaysUsable() throws {
        let repo = try makeRepo()
        _ = try addRandomFile(repo)
        let pack = try XCTUnwrap(repo.largestFile(under: ".cairn/cache/packs"))
        try repo.shell("truncate -s 500000 '\(repo.path(pack))'").assertSuccess()
        let fsck = try repo.cairn("fsck")
        XCTAssertEqual(fsck.exitCode, 1, fsck.transcript)
        fsck.assertNoCrash()
        fsck.assertStdout(contains: "used by data/x.bin")
        try repo.remove("data/x.bin")
        // The first writing command moves the damaged pack aside (a warning), then names the damaged file (whose
        // manifest, at the end of the pack, was cut off entirely: so "not in the cache").
        let checkout = try repo.cairn("checkout")
        checkout.assertError(containing: ["data/x.bin"], oneLine: false)
        checkout.assertStderr(contains: "cairn: warning: moved the damaged pack")
        XCTAssertEqual(checkout.stderrLines.count, 2, checkout.transcript)
        XCTAssertFalse(repo.exists("data/x.bin"))
        try addFile(repo, "data/new.csv", text: "new\n")
        try repo.remove("data/new.csv")
        try repo.cairn("checkout", "data/new.csv").assertSuccess()
        XCTAssertEqual(try repo.readText("data/new.csv"), "new\n")
    }

    /// Pack indexes can be rebuilt from their packs (docs/architecture.md): losing one must not make data look
    /// lost, not even to a read-only command.
    func testLostPackIndexDoesNotMakeDataLookMissing() throws {
        let repo = try makeRepo()
        let hash = try addRandomFile(repo)
        let indexes = repo.files(under: ".cairn/cache/packs").filter { $0.hasSuffix(".idx") }
        XCTAssertFalse(indexes.isEmpty, "expected .idx files: \(repo.files(under: ".cairn/cache"))")
        for index in indexes { try repo.remove(index) }
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")
        try repo.cairn("fsck").assertSuccess()
        try repo.remove("data/x.bin")
        try repo.cairn("checkout").assertSuccess()
        try assertContent(repo, "data/x.bin", sha256: hash)
    }
}

final class FsckPointerSizeTests: EndToEndTestCase {
    /// A pointer whose size disagrees with the stored content is reported, for files and directories.
    func testPointerSizeThatDisagreesWithTheObjectIsReported() throws {
        let repo = try makeRepo()
        try repo.write("data/x.csv", "12345\n")
        try repo.write("data/set/a.txt", "a\n")
        try repo.cairn("add", "data/x.csv", "data/set").assertSuccess()
        try repo.cairn("fsck").assertSuccess()
        try repo.write("data/x.csv.cairn", try repo.readText("data/x.csv.cairn").replacingOccurrences(of: "size: 6", with: "size: 999"))
        let result = try repo.cairn("fsck")
        XCTAssertEqual(result.exitCode, 1, result.transcript)
        XCTAssertTrue(result.stdout.contains("mismatch sha256:"), result.transcript)
        XCTAssertTrue(result.stdout.contains("the pointer says 999 bytes, the stored content has 6"), result.transcript)
        try repo.write("data/x.csv.cairn", try repo.readText("data/x.csv.cairn").replacingOccurrences(of: "size: 999", with: "size: 6"))
        try repo.write("data/set.cairn", try repo.readText("data/set.cairn").replacingOccurrences(of: "files: 1", with: "files: 7"))
        let dir = try repo.cairn("fsck")
        XCTAssertEqual(dir.exitCode, 1, dir.transcript)
        XCTAssertTrue(dir.stdout.contains("in 7 files, the tree has 2 bytes in 1 files"), dir.transcript)
    }
}

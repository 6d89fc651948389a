import Foundation
import XCTest

/// The everyday loop of a Git user: commit pointers, move between commits, let cairn bring the data along.
final class GitWorkflowTests: EndToEndTestCase {
    private func commitAll(_ repo: TempRepo, _ message: String) throws {
        try repo.git("add", "-A").assertSuccess()
        try repo.git("commit", "-qm", message).assertSuccess()
    }

    func testMovingBetweenCommitsAndCheckingOutTheData() throws {
        let repo = try makeRepo()
        try repo.writeRandom("data/train.bin", size: 400_000, seed: 71)
        try repo.write("data/images/a.txt", "a1\n")
        try repo.cairn("add", "data/train.bin", "data/images").assertSuccess()
        try commitAll(repo, "v1")
        let v1 = try [repo.sha256("data/train.bin"), repo.sha256("data/images/a.txt")]

        try repo.writeRandom("data/train.bin", size: 500_000, seed: 72)
        try repo.write("data/images/a.txt", "a2\n")
        try repo.write("data/images/b.txt", "b2\n")
        try repo.cairn("add", "data/train.bin", "data/images").assertSuccess()
        XCTAssertEqual(try repo.git("status", "--porcelain").stdoutLines.sorted(),
                       [" M data/images.cairn", " M data/train.bin.cairn"],
                       "only pointer files should change in Git; the data is ignored")
        try commitAll(repo, "v2")
        let v2 = try [repo.sha256("data/train.bin"), repo.sha256("data/images/a.txt"), repo.sha256("data/images/b.txt")]

        try repo.git("checkout", "-q", "HEAD~1").assertSuccess()
        let status = try repo.cairn("status").assertSuccess()
        status.assertStdoutLine("data/train.bin: modified")
        status.assertStdoutLine("data/images: modified")
        let back = try repo.cairn("checkout").assertSuccess()
        back.assertStdout(contains: "restored data/train.bin", "restored data/images")
        XCTAssertEqual(try [repo.sha256("data/train.bin"), repo.sha256("data/images/a.txt")], v1)
        XCTAssertFalse(repo.exists("data/images/b.txt"), "b.txt is not in v1's tree (and its content is cached)")
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")

        try repo.git("checkout", "-q", "-").assertSuccess()
        try repo.cairn("checkout").assertSuccess()
        XCTAssertEqual(try [repo.sha256("data/train.bin"), repo.sha256("data/images/a.txt"),
                            repo.sha256("data/images/b.txt")], v2)
    }

    /// A fresh clone has the pointers but not the data: cairn says so clearly instead of failing obscurely.
    func testCloneWithoutTheCacheReportsMissingData() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "only in the original's cache\n")
        try commitAll(repo, "track x")
        let clone = repo.base + "/clone"
        try repo.git("clone", "-q", repo.root, clone).assertSuccess()

        XCTAssertTrue(FileManager.default.fileExists(atPath: clone + "/.cairn/format"), ".cairn/format must be committed")
        XCTAssertFalse(FileManager.default.fileExists(atPath: clone + "/data/x.csv"), "data must not be in Git")
        let checkout = try repo.cairn("checkout", cwd: clone)
        checkout.assertError(containing: "data/x.csv: object sha256:")
        checkout.assertStderr(contains: "is not in the cache")
        let fsck = try repo.cairn("fsck", cwd: clone)
        XCTAssertEqual(fsck.exitCode, 1, fsck.transcript)
        fsck.assertStdout(contains: "missing sha256:")
    }

    /// `git stash` / `git checkout -- pointer` of a directory pointer: checkout rebuilds the whole tree.
    func testRestoringAPointerWithGitRestoresTheDirectory() throws {
        let repo = try makeRepo()
        for index in 0..<20 { try repo.write("data/set/f\(index).txt", "file \(index)\n") }
        try add(repo, "data/set")
        try commitAll(repo, "set v1")
        try repo.remove("data/set")
        try repo.write("data/set/other.txt", "v2 only\n")
        try add(repo, "data/set")
        try repo.git("checkout", "--", "data/set.cairn").assertSuccess()
        try repo.cairn("checkout", "data/set").assertSuccess()
        XCTAssertEqual(repo.files(under: "data/set").count, 20)
        XCTAssertFalse(repo.exists("data/set/other.txt"))
        XCTAssertEqual(try repo.readText("data/set/f7.txt"), "file 7\n")
    }
}

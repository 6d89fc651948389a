import Foundation
import XCTest

/// Issue 8 item 5: a checkout that moves to a commit no longer tracking some data removes the work-tree copy when
/// the cache holds its content (as Git removes files), keeps it with a warning when it has unsaved changes, and
/// kept data stays git-ignored, so `git add -A` never puts it into Git.
final class BranchSwitchCleanupTests: EndToEndTestCase {
    /// main tracks data/big.bin and the directory images; branch `plain` (from the first commit) tracks neither.
    private func twoBranches(hooks: Bool) throws -> TempRepo {
        let repo = try makeRepo()
        if hooks { try repo.cairn("install-hooks").assertSuccess() }
        try repo.write("README.md", "hello\n")
        try repo.commitEverything("start")
        try repo.git("branch", "plain").assertSuccess()
        _ = try repo.writeRandom("data/big.bin", size: 300_000, seed: 51)
        try repo.write("images/a.txt", "a\n")
        try repo.write("images/sub/b.txt", "b\n")
        try repo.cairn("add", "data/big.bin", "images").assertSuccess()
        try repo.commitEverything("data")
        return repo
    }

    /// `git add -A` then `git status --porcelain`: the paths Git would commit.
    private func gitWouldCommit(_ repo: TempRepo) throws -> [String] {
        try repo.git("add", "-A").assertSuccess()
        return try repo.git("status", "--porcelain").assertSuccess().stdoutLines
    }

    func testSwitchWithHooksRemovesDataThatIsInTheCacheAndBringsItBack() throws {
        let repo = try twoBranches(hooks: true)
        let sha = try repo.sha256("data/big.bin")
        let away = try repo.git("checkout", "-q", "plain").assertSuccess()
        XCTAssertFalse(repo.exists("data/big.bin"), away.transcript)
        XCTAssertFalse(repo.exists("images"), away.transcript)
        XCTAssertFalse(repo.exists("data"), "the emptied directory goes too, as Git does\n\(away.transcript)")
        XCTAssertTrue(away.stderr.contains("removed 2 paths no longer tracked"), away.transcript)
        XCTAssertEqual(try gitWouldCommit(repo), [])

        let back = try repo.git("checkout", "-q", "-").assertSuccess()
        try assertContent(repo, "data/big.bin", sha256: sha)
        XCTAssertEqual(try repo.readText("images/sub/b.txt"), "b\n", back.transcript)
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")
    }

    func testModifiedDataIsKeptWithAWarningAndStaysIgnored() throws {
        let repo = try twoBranches(hooks: true)
        try repo.write("data/big.bin", "unsaved edit\n")
        try repo.write("images/new.txt", "new, not added\n")
        let away = try repo.git("checkout", "-q", "plain").assertSuccess()
        XCTAssertEqual(try repo.readText("data/big.bin"), "unsaved edit\n", away.transcript)
        XCTAssertEqual(try repo.readText("images/new.txt"), "new, not added\n", away.transcript)
        XCTAssertTrue(away.stderr.contains("data/big.bin: no longer tracked at this commit, but kept"), away.transcript)
        XCTAssertTrue(away.stderr.contains("images: no longer tracked at this commit, but kept"), away.transcript)
        let staged = try gitWouldCommit(repo)
        XCTAssertFalse(staged.contains { $0.contains("big.bin") || $0.contains("images") }, "\(staged)")
        // The hint: `cairn add` tracks it on this branch.
        try repo.cairn("add", "data/big.bin").assertSuccess()
        try repo.cairn("status", "data/big.bin").assertSuccess().assertStdoutLine("Everything is up to date.")
    }

    /// A merge that stops tracking data (post-merge, previous HEAD from ORIG_HEAD) removes it too, as Git removes
    /// a file the merged branch deleted.
    func testMergeThatStopsTrackingDataRemovesIt() throws {
        let repo = try twoBranches(hooks: true)
        try repo.git("checkout", "-q", "-b", "drop").assertSuccess()
        try repo.cairn("rm", "data/big.bin").assertSuccess()
        try repo.remove("data/big.bin")
        try repo.commitEverything("stop tracking big.bin")
        try repo.git("checkout", "-q", "-").assertSuccess()
        XCTAssertTrue(repo.exists("data/big.bin"), "back on the first branch, the data is restored")
        let merge = try repo.git("merge", "-q", "drop").assertSuccess()
        XCTAssertFalse(repo.exists("data/big.bin"), merge.transcript)
        XCTAssertTrue(merge.stderr.contains("cairn: post-merge: removed 1 path no longer tracked"), merge.transcript)
        XCTAssertTrue(repo.exists("images/a.txt"), "data still tracked stays")
    }

    /// Without hooks, a plain `cairn checkout` right after the switch does the same (the reflog says where HEAD came from).
    func testPlainCheckoutAfterASwitchWithoutHooks() throws {
        let repo = try twoBranches(hooks: false)
        try repo.git("checkout", "-q", "plain").assertSuccess()
        XCTAssertTrue(repo.exists("data/big.bin"), "no hooks: Git leaves the ignored data")
        let checkout = try repo.cairn("checkout").assertSuccess()
        checkout.assertStdoutLine("removed data/big.bin (no longer tracked; the data is in the cache)")
        checkout.assertStdoutLine("removed images (no longer tracked; the data is in the cache)")
        XCTAssertFalse(repo.exists("data/big.bin"))
        XCTAssertFalse(repo.exists("images"))
        XCTAssertEqual(try gitWouldCommit(repo), [])
    }

    /// A commit (not a switch) since: plain checkout does not guess, and nothing is removed.
    func testPlainCheckoutRemovesNothingWithoutARecentSwitch() throws {
        let repo = try twoBranches(hooks: false)
        try repo.git("checkout", "-q", "plain").assertSuccess()
        try repo.write("other.txt", "x\n")
        try repo.git("add", "other.txt").assertSuccess()
        try repo.git("commit", "-qm", "other").assertSuccess()
        try repo.cairn("checkout").assertSuccess()
        XCTAssertTrue(repo.exists("data/big.bin"))
    }
}

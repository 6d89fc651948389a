import Foundation
import XCTest

/// Issue 8 item 7: pre-commit checks only the pointers being committed; the help lists all six hooks; a hook
/// whose fix is `cairn pull` says so, and the pull it names works.
final class HookHelpTests: EndToEndTestCase {
    private static let hooks = ["post-checkout", "post-merge", "post-rewrite", "post-commit", "pre-commit", "pre-push"]

    func testCommitOfNotesIsNotRefusedByDirtyDataButADirtyCommittedPointerIs() throws {
        let repo = try makeRepo()
        try repo.cairn("install-hooks").assertSuccess()
        _ = try repo.writeRandom("data/big.bin", size: 100_000, seed: 61)
        try repo.write("data/dir/a.txt", "a\n")
        try repo.cairn("add", "data/big.bin", "data/dir").assertSuccess()
        try repo.commitEverything("data")

        try repo.write("data/big.bin", "unsaved edit\n")
        try repo.write("data/dir/a.txt", "unsaved too\n")
        try repo.write("NOTES.md", "notes\n")
        try repo.git("add", "NOTES.md").assertSuccess()
        try repo.git("commit", "-qm", "notes").assertSuccess()

        // The dirty data's pointer, re-added and then edited again, is refused when it is committed.
        try repo.cairn("add", "data/dir").assertSuccess()
        try repo.write("data/dir/a.txt", "edited after add\n")
        try repo.git("add", "data/dir.cairn").assertSuccess()
        let refused = try repo.git("commit", "-qm", "dir")
        XCTAssertEqual(refused.exitCode, 1, refused.transcript)
        XCTAssertTrue(refused.stderr.contains("data/dir: changed since its pointer was written; run `cairn add data/dir`"),
                      refused.transcript)
        XCTAssertFalse(refused.stderr.contains("data/big.bin"), "big.bin's pointer is not being committed\n\(refused.transcript)")
        // The hint, as typed, makes the commit go through.
        try repo.cairn("add", "data/dir").assertSuccess()
        try repo.git("add", "data/dir.cairn").assertSuccess()
        try repo.git("commit", "-qm", "dir").assertSuccess()
    }

    func testHelpListsAllSixHooks() throws {
        for command in [["install-hooks", "--help"], ["hook", "--help"]] {
            let help = try makeRepo(initialized: false).cairnArgs(command).assertSuccess()
            // One line each, right after "Hooks:", none wrapped onto a second line.
            let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let start = try XCTUnwrap(lines.firstIndex(of: "Hooks:"), help.transcript)
            let listed = Array(lines[(start + 1)...].prefix { !$0.isEmpty })
            XCTAssertEqual(listed.count, HookHelpTests.hooks.count, help.transcript)
            for (line, hook) in zip(listed, HookHelpTests.hooks) {
                XCTAssertTrue(line.hasPrefix("  \(hook) "), "expected a line for \(hook)\n\(help.transcript)")
            }
        }
    }

    /// A teammate's clone with hooks switches to a branch whose data it never fetched: the hook says
    /// `cairn pull` (not `cairn checkout`), and that pull brings the data.
    func testHookSaysPullWhenDataIsMissingAndThePullWorks() throws {
        let copy = try cloneOf(try twoPushedBranches())
        try copy.cairn("install-hooks").assertSuccess()
        let switched = try copy.git("checkout", "-q", "other").assertSuccess()
        XCTAssertTrue(switched.stderr.contains("the data was NOT updated"), switched.transcript)
        XCTAssertTrue(switched.stderr.contains("then run `cairn pull`"), switched.transcript)
        XCTAssertFalse(switched.stderr.contains("`cairn checkout`"), switched.transcript)
        try copy.cairn("pull").assertSuccess()
        XCTAssertEqual(try copy.readText("data/x.txt"), "other\n")
    }

    /// pre-commit refuses a staged pointer whose data the clone never fetched, and the `cairn pull PATH` it names
    /// makes the commit go through.
    func testPreCommitNamesPullForAStagedPointerWhoseDataIsOnTheRemote() throws {
        let copy = try cloneOf(try twoPushedBranches())
        try copy.cairn("install-hooks").assertSuccess()
        try copy.git("checkout", "origin/other", "--", "data/x.txt.cairn").assertSuccess()
        let refused = try copy.git("commit", "-qm", "take other's data")
        XCTAssertEqual(refused.exitCode, 1, refused.transcript)
        XCTAssertTrue(refused.stderr.contains("run `cairn pull data/x.txt` if it is on the remote"), refused.transcript)
        try copy.cairn("pull", "data/x.txt").assertSuccess()
        try copy.git("commit", "-qm", "take other's data").assertSuccess()
        XCTAssertEqual(try copy.readText("data/x.txt"), "other\n")
    }

    /// Branches main and other, each with its own version of data/x.txt, pushed (data and Git); returns the
    /// bare origin.
    private func twoPushedBranches() throws -> String {
        let (repo, bare) = try teamOrigin()
        try repo.write("data/x.txt", "main\n")
        try repo.cairn("add", "data/x.txt").assertSuccess()
        try repo.commitEverything("main")
        try repo.git("push", "-q", "origin", "HEAD:refs/heads/main").assertSuccess()
        try repo.git("checkout", "-q", "-b", "other").assertSuccess()
        try repo.write("data/x.txt", "other\n")
        try repo.cairn("add", "data/x.txt").assertSuccess()
        try repo.commitEverything("other")
        try repo.cairn("push", "--all-branches").assertSuccess()
        try repo.git("push", "-q", "origin", "other").assertSuccess()
        return bare
    }
}

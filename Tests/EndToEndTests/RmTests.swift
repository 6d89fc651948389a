import XCTest

/// `cairn rm`: stop tracking, keep the data, tidy the .gitignore.
final class RmTests: EndToEndTestCase {
    func testRmDeletesPointerKeepsDataAndRemovesEmptyGitignore() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "keep me\n")
        let result = try repo.cairn("rm", "data/x.csv").assertSuccess()
        result.assertStdoutLine("stopped tracking data/x.csv (the data stays on disk)")
        // The pointer was never given to git: there is nothing to unstage, and `git rm --cached` would fail.
        result.assertStdout(lacks: "git rm")
        result.assertStdoutLine("Nothing to record in git: the pointer was never added to git.")
        XCTAssertFalse(repo.exists("data/x.csv.cairn"))
        XCTAssertEqual(try repo.readText("data/x.csv"), "keep me\n")
        XCTAssertFalse(repo.exists("data/.gitignore"), "a .gitignore left empty should be deleted")
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")
    }

    func testRmKeepsOtherGitignoreLines() throws {
        let repo = try makeRepo()
        try repo.write("data/.gitignore", "*.tmp\n")
        try addFile(repo, "data/x.csv", text: "x\n")
        try addFile(repo, "data/y.csv", text: "y\n")
        let result = try repo.cairn("rm", "data/x.csv.cairn").assertSuccess()
        result.assertStdoutLine("stopped tracking data/x.csv (the data stays on disk)")
        result.assertStdout(contains: "git add data/.gitignore")
        XCTAssertEqual(try repo.readText("data/.gitignore"), "*.tmp\n/y.csv\n")
        XCTAssertTrue(repo.exists("data/y.csv.cairn"))
        XCTAssertEqual(try repo.git("check-ignore", "-q", "data/x.csv").exitCode, 1, "x.csv should no longer be ignored")
    }

    /// After committing the pointer, the printed hint must record the removal in Git.
    func testPrintedHintRecordsTheRemoval() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "x\n")
        try repo.git("add", "data/x.csv.cairn", "data/.gitignore", ".cairn").assertSuccess()
        try repo.git("commit", "-qm", "track x").assertSuccess()
        let result = try repo.cairn("rm", "data/x.csv").assertSuccess()
        let hints = result.stdoutLines.filter { $0.hasPrefix("\tgit ") }
        XCTAssertFalse(hints.isEmpty, result.transcript)
        for hint in hints { try repo.shell(hint.trimmingCharacters(in: .whitespaces)).assertSuccess() }
        let staged = try repo.git("diff", "--cached", "--name-status").stdoutLines.sorted()
        XCTAssertEqual(staged, ["D\tdata/.gitignore", "D\tdata/x.csv.cairn"])
    }

    /// Staged but never committed: `git rm --cached` is right (and works); a kept .gitignore is re-staged.
    func testHintForAStagedPointerWorks() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "x\n")
        try addFile(repo, "data/y.csv", text: "y\n")
        try repo.git("add", "data/x.csv.cairn", "data/.gitignore").assertSuccess()
        let result = try repo.cairn("rm", "data/x.csv").assertSuccess()
        result.assertStdoutLine("\tgit rm --cached data/x.csv.cairn")
        for hint in result.stdoutLines.filter({ $0.hasPrefix("\tgit ") }) {
            try repo.shell(hint.trimmingCharacters(in: .whitespaces)).assertSuccess()
        }
        XCTAssertEqual(try repo.git("ls-files", "data").stdoutLines, ["data/.gitignore"])
        XCTAssertEqual(try repo.git("show", ":data/.gitignore").stdout, "/y.csv\n")
    }

    func testRmOfADirectory() throws {
        let repo = try makeRepo()
        try repo.write("data/set/a.txt", "a\n")
        try add(repo, "data/set")
        try repo.cairn("rm", "data/set").assertSuccess()
            .assertStdoutLine("stopped tracking data/set (the data stays on disk)")
        XCTAssertFalse(repo.exists("data/set.cairn"))
        XCTAssertEqual(try repo.readText("data/set/a.txt"), "a\n")
    }

    func testRmOfAnUntrackedPathFails() throws {
        let repo = try makeRepo()
        try repo.write("data/x.csv", "x\n")
        try repo.cairn("rm", "data/x.csv").assertError(
            containing: "cairn: error: data/x.csv: not tracked by cairn (no data/x.csv.cairn)")
        XCTAssertEqual(try repo.readText("data/x.csv"), "x\n")
    }

    func testRmKeepsTheCachedDataForCheckoutOfOldPointers() throws {
        let repo = try makeRepo()
        let pointer = try addFile(repo, "data/x.csv", text: "cached\n")
        try repo.cairn("rm", "data/x.csv").assertSuccess()
        try repo.remove("data/x.csv")
        try repo.write("data/x.csv.cairn", pointer.raw)
        try repo.cairn("checkout").assertSuccess()
        XCTAssertEqual(try repo.readText("data/x.csv"), "cached\n")
    }

    /// From a subdirectory: the path is relative to it, and the printed git commands work there.
    func testRmFromASubdirectory() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/raw/x.csv", text: "x\n")
        try repo.git("add", "-A").assertSuccess()
        try repo.git("commit", "-qm", "track x").assertSuccess()
        let result = try repo.cairn("rm", "x.csv", cwd: "data/raw").assertSuccess()
        XCTAssertFalse(repo.exists("data/raw/x.csv.cairn"))
        for hint in result.stdoutLines.filter({ $0.hasPrefix("\tgit ") }) {
            try repo.shell(hint.trimmingCharacters(in: .whitespaces), cwd: "data/raw").assertSuccess()
        }
        XCTAssertEqual(try repo.git("diff", "--cached", "--name-status").stdoutLines.sorted(),
                       ["D\tdata/raw/.gitignore", "D\tdata/raw/x.csv.cairn"])
        try repo.cairn("fsck", cwd: "data").assertSuccess()
    }
}

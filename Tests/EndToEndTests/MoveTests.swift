import XCTest

/// `cairn mv`: data and pointer move together, the pointer's `path` and both .gitignore files follow, and the
/// printed git commands record the move when typed.
final class MoveTests: EndToEndTestCase {
    /// Runs every printed `git ...` hint line in `cwd`, asserting each works.
    private func typeHints(_ result: CommandResult, _ repo: TempRepo, cwd: String = "",
                           file: StaticString = #filePath, line: UInt = #line) throws {
        let hints = result.stdoutLines.filter { $0.hasPrefix("\tgit ") }
        XCTAssertFalse(hints.isEmpty, "no git hint\n\(result.transcript)", file: file, line: line)
        for hint in hints {
            try repo.shell(hint.trimmingCharacters(in: .whitespaces), cwd: cwd).assertSuccess(file: file, line: line)
        }
    }

    /// What the index holds against HEAD, without rename detection (two identical .gitignore files would pair up).
    private func staged(_ repo: TempRepo) throws -> [String] {
        try repo.git("diff", "--cached", "--no-renames", "--name-status").stdoutLines.sorted()
    }

    private func committedRepo(_ files: [String: String]) throws -> TempRepo {
        let repo = try makeRepo()
        for (path, text) in files.sorted(by: { $0.key < $1.key }) { try addFile(repo, path, text: text) }
        try repo.commitEverything("track")
        return repo
    }

    func testRenameAFileRewritesPointerAndGitignoreAndTheHintRecordsIt() throws {
        let repo = try committedRepo(["data/x.csv": "x data\n", "data/keep.csv": "keep\n"])
        let result = try repo.cairn("mv", "data/x.csv", "data/y.csv").assertSuccess()
        result.assertStdoutLine("moved data/x.csv to data/y.csv")
        XCTAssertEqual(try repo.readText("data/y.csv"), "x data\n")
        XCTAssertFalse(repo.exists("data/x.csv"))
        XCTAssertFalse(repo.exists("data/x.csv.cairn"))
        XCTAssertEqual(try repo.pointer("data/y.csv.cairn")["path"], "y.csv")
        XCTAssertEqual(try repo.readText("data/.gitignore"), "/keep.csv\n/y.csv\n")
        try typeHints(result, repo)
        XCTAssertEqual(try staged(repo), ["A\tdata/y.csv.cairn", "D\tdata/x.csv.cairn", "M\tdata/.gitignore"])
        try repo.git("commit", "-qm", "move").assertSuccess()
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")
        try repo.cairn("fsck").assertSuccess()
        XCTAssertEqual(try repo.git("check-ignore", "-q", "data/y.csv").exitCode, 0, "the new name must be ignored")
    }

    func testMoveIntoAnotherDirectoryFromASubdirectory() throws {
        let repo = try committedRepo(["data/x.csv": "x\n"])
        try repo.makeDirectory("other")
        let result = try repo.cairn("mv", "x.csv", "../other", cwd: "data").assertSuccess()
        result.assertStdoutLine("moved x.csv to ../other/x.csv")
        XCTAssertEqual(try repo.readText("other/x.csv"), "x\n")
        XCTAssertEqual(try repo.readText("other/.gitignore"), "/x.csv\n")
        XCTAssertFalse(repo.exists("data/.gitignore"), "the emptied .gitignore goes")
        try typeHints(result, repo, cwd: "data")
        XCTAssertEqual(try staged(repo), ["A\tother/.gitignore", "A\tother/x.csv.cairn", "D\tdata/.gitignore",
                                          "D\tdata/x.csv.cairn"])
        try repo.git("commit", "-qm", "move").assertSuccess()
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")
    }

    func testMoveIntoTheRootFromASubdirectory() throws {
        let repo = try committedRepo(["data/x.csv": "x\n"])
        let result = try repo.cairn("mv", "x.csv", "..", cwd: "data").assertSuccess()
        result.assertStdoutLine("moved x.csv to ../x.csv")
        XCTAssertEqual(try repo.readText("x.csv"), "x\n")
        XCTAssertEqual(try repo.readText(".gitignore"), "/x.csv\n")
        try typeHints(result, repo, cwd: "data")
        try repo.git("commit", "-qm", "move").assertSuccess()
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")
    }

    /// The stat cache moves with the data: the first status after moving a large dataset does not read it again.
    func testTheStatCacheFollowsTheData() throws {
        let repo = try committedRepo(["data/x.csv": "x\n"])
        try repo.write("data/set/a.txt", "a\n")
        try repo.write("data/set/sub/b.txt", "b\n")
        try add(repo, "data/set")
        try repo.cairn("status").assertSuccess()
        try repo.cairn("mv", "data/set", "data/moved").assertSuccess()
        try repo.cairn("mv", "data/x.csv", "data/y.csv").assertSuccess()
        let query = "sqlite3 .cairn/state.db 'SELECT path FROM stat_cache ORDER BY path'"
        let result = try repo.shell("command -v sqlite3 >/dev/null || exit 77; " + query)
        if result.exitCode == 77 { throw XCTSkip("the sqlite3 CLI is not installed") }
        XCTAssertEqual(result.assertSuccess().stdoutLines, ["data/moved/a.txt", "data/moved/sub/b.txt", "data/y.csv"])
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")
    }

    func testMoveATrackedDirectory() throws {
        let repo = try makeRepo()
        try repo.write("data/set/a.txt", "a\n")
        try repo.write("data/set/sub/b.txt", "b\n")
        try add(repo, "data/set")
        try repo.commitEverything()
        let result = try repo.cairn("mv", "data/set.cairn", "data/renamed").assertSuccess()
        XCTAssertEqual(try repo.readText("data/renamed/sub/b.txt"), "b\n")
        XCTAssertEqual(try repo.pointer("data/renamed.cairn")["path"], "renamed")
        try typeHints(result, repo)
        try repo.git("commit", "-qm", "move").assertSuccess()
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")
    }

    func testRefusesToOverwriteWithoutForce() throws {
        let repo = try committedRepo(["data/x.csv": "x\n", "data/y.csv": "y\n"])
        try repo.cairn("mv", "data/x.csv", "data/y.csv").assertError(containing: "data/y.csv: already exists; use --force")
        try repo.write("data/plain.txt", "mine\n")
        try repo.cairn("mv", "data/x.csv", "data/plain.txt").assertError(containing: "data/plain.txt: already exists")
        XCTAssertEqual(try repo.readText("data/plain.txt"), "mine\n")
        XCTAssertEqual(try repo.readText("data/x.csv"), "x\n")
        XCTAssertTrue(repo.exists("data/x.csv.cairn"))

        let result = try repo.cairn("mv", "-f", "data/x.csv", "data/y.csv").assertSuccess()
        XCTAssertEqual(try repo.readText("data/y.csv"), "x\n")
        XCTAssertEqual(try repo.readText("data/.gitignore"), "/y.csv\n")
        try typeHints(result, repo)
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")
    }

    func testRefusals() throws {
        let repo = try committedRepo(["data/x.csv": "x\n"])
        try repo.write("data/set/a.txt", "a\n")
        try add(repo, "data/set")
        try repo.write("README.md", "hi\n")
        try repo.git("add", "README.md").assertSuccess()
        try repo.cairn("mv", "data/nope.csv", "data/y.csv").assertError(containing: "data/nope.csv: not tracked by cairn")
        try repo.cairn("mv", "data/set/a.txt", "a.txt").assertError(containing: "which cairn tracks as a whole")
        try repo.cairn("mv", "data/x.csv", "data/set/x.csv").assertError(containing: "inside data/set")
        try repo.cairn("mv", "data/x.csv", "README.md").assertError(containing: "tracked by Git")
        try repo.cairn("mv", "data/x.csv", "data/x.csv").assertError(containing: "same")
        XCTAssertEqual(try repo.readText("data/x.csv"), "x\n")
    }

    /// Data not checked out (a fresh clone before pull): the pointer moves, checkout writes the data there.
    func testMoveWithoutTheDataMovesThePointer() throws {
        let repo = try committedRepo(["data/x.csv": "x\n"])
        try repo.remove("data/x.csv")
        try repo.cairn("mv", "data/x.csv", "data/y.csv").assertSuccess()
            .assertStdout(contains: "no data at data/x.csv")
        try repo.cairn("checkout", "data/y.csv").assertSuccess()
        XCTAssertEqual(try repo.readText("data/y.csv"), "x\n")
    }

    /// `git mv` moves only the pointer: status names the problem in one line and the fix it prints finishes the
    /// move; the other data is still checked.
    func testGitMvIsReportedAndTheHintFinishesTheMove() throws {
        let repo = try committedRepo(["data/x.csv": "x\n", "data/other.csv": "other\n"])
        try repo.git("mv", "data/x.csv.cairn", "data/y.csv.cairn").assertSuccess()
        try repo.remove("data/other.csv")
        let status = try repo.cairn("status", cwd: "data")
        XCTAssertEqual(status.exitCode, 1, status.transcript)
        status.assertStdoutLine("other.csv: deleted")
        XCTAssertEqual(status.stderrLines.count, 1, status.transcript)
        status.assertStderr(contains: "cairn: error: y.csv.cairn: its 'path' is 'x.csv'")
        let hint = try XCTUnwrap(status.stderr.components(separatedBy: "finish the move with: ").last)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(hint, "cairn mv x.csv y.csv")
        let finish = try repo.cairnArgs(Array(hint.split(separator: " ").dropFirst().map(String.init)), cwd: "data")
            .assertSuccess()
        XCTAssertEqual(try repo.readText("data/y.csv"), "x\n")
        XCTAssertEqual(try repo.pointer("data/y.csv.cairn")["path"], "y.csv")
        try typeHints(finish, repo, cwd: "data")
        try repo.cairn("checkout").assertSuccess()
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")
        try repo.git("commit", "-qm", "moved").assertSuccess()
        XCTAssertEqual(try repo.git("status", "--porcelain").stdout, "")
    }
}

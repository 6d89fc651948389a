import Foundation
import XCTest

/// Issue 9 item 6 through the built binary: dropped lineage tables (a damaged-store fixture) are recreated from
/// Git with one notice, and `cairn lineage rebuild` works from nothing.
final class LineageHealTests: EndToEndTestCase {
    /// Two committed versions of data/x.csv.
    private func repoWithHistory() throws -> TempRepo {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "v1\n")
        try repo.commitEverything("first")
        try addFile(repo, "data/x.csv", text: "version 2\n")
        try repo.commitEverything("second")
        return repo
    }

    /// Runs SQL on .cairn/lineage.db with a tool independent of cairn (Python's sqlite3, else the sqlite3 CLI).
    private func sql(_ repo: TempRepo, _ statements: String) throws {
        let python = "import sqlite3; c = sqlite3.connect('.cairn/lineage.db'); c.executescript('''\(statements)'''); c.close()"
        let result = try repo.shell("if command -v python3 >/dev/null; then python3 -c \"\(python)\"; "
            + "elif command -v sqlite3 >/dev/null; then sqlite3 .cairn/lineage.db '\(statements)'; else exit 77; fi")
        if result.exitCode == 77 { throw XCTSkip("neither python3 nor sqlite3 is installed") }
        result.assertSuccess()
    }

    func testDroppedLineageTablesAreRebuiltFromGitWithOneNotice() throws {
        let repo = try repoWithHistory()
        let log = try repo.cairn("log", "data/x.csv").assertSuccess()
        let lineage = try repo.cairn("lineage", "data/x.csv").assertSuccess()
        XCTAssertEqual(log.stdoutLines.count, 2, log.transcript)

        try sql(repo, "DROP TABLE run_io; DROP TABLE runs; DROP TABLE versions; DROP TABLE commit_parents; DROP TABLE commits;")
        let healedLog = try repo.cairn("log", "data/x.csv").assertSuccess()
        XCTAssertEqual(healedLog.stdout, log.stdout, "the same answers, re-indexed from Git")
        XCTAssertEqual(healedLog.stderrLines.count, 1, "exactly one notice\n\(healedLog.transcript)")
        healedLog.assertStderr(contains: "cairn: warning: ")
        healedLog.assertStderr(contains: "lineage.db: the lineage schema does not match its version (missing table")
        let quiet = try repo.cairn("lineage", "data/x.csv").assertSuccess()
        XCTAssertEqual(quiet.stdout, lineage.stdout)
        XCTAssertEqual(quiet.stderr, "", "the notice comes once\n\(quiet.transcript)")
    }

    func testLineageRebuildWorksWhenTablesAreMissing() throws {
        let repo = try repoWithHistory()
        try sql(repo, "DROP TABLE versions;")
        let rebuild = try repo.cairn("lineage", "rebuild").assertSuccess()
        rebuild.assertStdoutLine("indexed 2 commits: 2 versions")
        XCTAssertEqual(rebuild.stderrLines.count, 1, rebuild.transcript)
        try repo.cairn("lineage", "data/x.csv").assertSuccess().assertStdout(contains: "replaced data/x.csv")
    }
}

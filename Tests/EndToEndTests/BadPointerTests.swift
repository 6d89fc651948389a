import Foundation
import XCTest

/// A pointer broken by a real `git merge` gets one line with the fix, the fix works when typed, and one bad
/// pointer does not stop status, checkout or fsck for the rest of the data.
final class BadPointerTests: EndToEndTestCase {
    /// base tracks data/x.csv and data/other.csv; branches `ours` (checked out) and `theirs` both change x.csv;
    /// the merge conflicts in data/x.csv.cairn.
    private func conflictedRepo() throws -> TempRepo {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "base\n")
        try addFile(repo, "data/other.csv", text: "other\n")
        try repo.commitEverything("base")
        try repo.git("checkout", "-qb", "theirs").assertSuccess()
        try addFile(repo, "data/x.csv", text: "their version\n")
        try repo.commitEverything("theirs")
        try repo.git("checkout", "-qb", "ours", "HEAD~1").assertSuccess()
        try repo.cairn("checkout").assertSuccess()
        try addFile(repo, "data/x.csv", text: "our version\n")
        try repo.commitEverything("ours")
        let merge = try repo.git("merge", "theirs")
        XCTAssertNotEqual(merge.exitCode, 0, "the merge should conflict\n\(merge.transcript)")
        XCTAssertTrue(try repo.readText("data/x.csv.cairn").contains("<<<<<<<"), "no conflict markers")
        return repo
    }

    /// `command` as a user with the built cairn on PATH types it.
    private func onPath(_ command: String) -> String {
        "PATH='\((CairnBinary.path as NSString).deletingLastPathComponent)':\"$PATH\"; " + command
    }

    /// The `git checkout --ours|--theirs ... && cairn checkout ...` command from the error line.
    private func hint(_ result: CommandResult, side: String) throws -> String {
        let line = try XCTUnwrap(result.stderrLines.first { $0.contains("merge-conflict markers") }, result.transcript)
        let command = try XCTUnwrap(line.components(separatedBy: "keep one version: ").last?
            .components(separatedBy: " (or --theirs").first, result.transcript)
        XCTAssertTrue(command.hasPrefix("git checkout --ours "), command)
        return command.replacingOccurrences(of: "--ours", with: side)
    }

    func testConflictMarkersGetOneLineAndTheOursHintWorks() throws {
        let repo = try conflictedRepo()
        try repo.remove("data/other.csv")
        for arguments in [["status"], ["checkout"], ["fsck"]] {
            let result = try repo.cairnArgs(arguments)
            XCTAssertEqual(result.exitCode, 1, result.transcript)
            result.assertNoCrash()
            XCTAssertEqual(result.stderrLines, result.stderrLines.filter { $0.hasPrefix("cairn: error: data/x.csv.cairn: ") },
                           result.transcript)
            XCTAssertEqual(result.stderrLines.count, 1, result.transcript)
        }
        // status ran for the good pointer before checkout restored its data.
        XCTAssertEqual(try repo.readText("data/other.csv"), "other\n", "checkout skipped the good pointer")
        let result = try repo.cairn("status")
        try repo.shell(onPath(try hint(result, side: "--ours"))).assertSuccess()
        XCTAssertEqual(try repo.readText("data/x.csv"), "our version\n")
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")
        try repo.cairn("fsck").assertSuccess()
    }

    func testTheTheirsHintWorksFromASubdirectory() throws {
        let repo = try conflictedRepo()
        let result = try repo.cairn("checkout", cwd: "data")
        XCTAssertEqual(result.exitCode, 1, result.transcript)
        result.assertStderr(contains: "cairn: error: x.csv.cairn: has Git merge-conflict markers")
        let command = try hint(result, side: "--theirs")
        XCTAssertEqual(command, "git checkout --theirs x.csv.cairn && cairn checkout x.csv")
        try repo.shell(onPath(command), cwd: "data").assertSuccess()
        XCTAssertEqual(try repo.readText("data/x.csv"), "their version\n")
        try repo.git("add", "data/x.csv.cairn").assertSuccess()
        try repo.git("commit", "-qm", "merged").assertSuccess()
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")
    }

    /// A pointer copied by hand (both names exist): the fix is to edit its `path` line.
    func testCopiedPointerNamesTheLineToEdit() throws {
        let repo = try makeRepo()
        let pointer = try addFile(repo, "data/x.csv", text: "x\n")
        try repo.write("data/copy.csv.cairn", pointer.raw)
        let result = try repo.cairn("status")
        XCTAssertEqual(result.exitCode, 1, result.transcript)
        result.assertStderr(contains: "edit its 'path:' line to 'copy.csv' and run: cairn checkout data/copy.csv")
        try repo.write("data/copy.csv.cairn", pointer.raw.replacingOccurrences(of: "path: x.csv", with: "path: copy.csv"))
        try repo.cairn("checkout", "data/copy.csv").assertSuccess()
        XCTAssertEqual(try repo.readText("data/copy.csv"), "x\n")
    }
}

import Foundation
import XCTest

/// Smaller defects of log, diff, get, lineage and checkout --rev found by using them (issue 8, item 9).
final class HistoryFixesTests: EndToEndTestCase {
    private func sha(_ repo: TempRepo, _ revision: String) throws -> String {
        try repo.git("rev-parse", revision).assertSuccess().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func json(_ result: CommandResult) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.transcript)
    }

    /// data/set holds a.txt (changing) and keep.txt; data/model.bin; three commits, one by one.
    private func threeVersions() throws -> TempRepo {
        let repo = try makeRepo()
        for version in 1...3 {
            try repo.write("data/model.bin", String(repeating: "m", count: version * 10))
            try repo.write("data/set/keep.txt", "keep\n")
            try repo.write("data/set/a.txt", String(repeating: "a\(version)", count: version))
            try repo.cairn("add", "data/model.bin", "data/set").assertSuccess()
            try repo.commitEverything("version \(version)")
        }
        return repo
    }

    /// A merge brings a branch's version: its size change is against the merge's first parent, not against the
    /// entry listed below it (the branch's own commit, with the same size).
    func testLogComparesWithTheCommitsParentOnBranchedHistory() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/x.bin", text: String(repeating: "x", count: 10))
        try repo.commitEverything("base")
        try repo.git("checkout", "-qb", "feature").assertSuccess()
        try addFile(repo, "data/x.bin", text: String(repeating: "x", count: 100))
        try repo.commitEverything("feature")
        try repo.git("checkout", "-q", "-").assertSuccess()
        try repo.write("notes.txt", "main moves on\n")
        try repo.commitEverything("main")
        try repo.git("merge", "-q", "--no-ff", "--no-edit", "feature").assertSuccess()
        let entries = try json(try repo.cairn("log", "data/x.bin", "--json").assertSuccess())["entries"]
            as? [[String: Any]] ?? []
        let merge = try sha(repo, "HEAD"), feature = try sha(repo, "feature")
        let byCommit = Dictionary(entries.map { ($0["commit"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(byCommit[merge]?["size_change"] as? Int, 90, "\(entries)")
        XCTAssertEqual(byCommit[merge]?["change"] as? String, "modified")
        XCTAssertEqual(byCommit[feature]?["size_change"] as? Int, 90, "\(entries)")
        XCTAssertEqual(entries.last?["change"] as? String, "added")
    }

    func testCheckoutRevOfAFileInsideATrackedDirectoryRestoresThatFile() throws {
        let repo = try threeVersions()
        try repo.write("data/set/keep.txt", "local edit, saved\n")
        try repo.cairn("add", "data/set").assertSuccess()
        try repo.cairn("checkout", "--rev", "HEAD~2", "data/set/a.txt").assertSuccess()
            .assertStdoutLine("restored data/set/a.txt")
        XCTAssertEqual(try repo.readText("data/set/a.txt"), "a1")
        XCTAssertEqual(try repo.readText("data/set/keep.txt"), "local edit, saved\n", "only the named file travels")
        try repo.cairn("checkout", "--rev", "HEAD~1", "a.txt", cwd: "data/set").assertSuccess()
            .assertStdoutLine("restored a.txt")
        XCTAssertEqual(try repo.readText("data/set/a.txt"), "a2a2")
        try repo.cairn("checkout", "--rev", "HEAD", "data/set/none.txt").assertError(containing: "no such file in data/set")
    }

    func testDiffWithAThirdRevisionNamesIt() throws {
        let repo = try threeVersions()
        try repo.git("tag", "v1", "HEAD~2").assertSuccess()
        try repo.cairn("diff", "v1", "HEAD", "v1").assertError(containing: "v1: a third revision")
        try repo.cairn("diff", "v1", "HEAD", "data/nothere").assertError(containing: "data/nothere: not tracked")
        try repo.cairn("diff", "v1", "HEAD", "data/model.bin").assertSuccess()
            .assertStdout(contains: "modified  data/model.bin")
    }

    func testGetDefaultsToTheNameInTheCurrentDirectoryAndRefusesToOverwrite() throws {
        let repo = try threeVersions()
        try repo.makeDirectory("out")
        try repo.cairn("get", "../data/model.bin", "--rev", "HEAD~1", cwd: "out").assertSuccess()
            .assertStdoutLine(startingWith: "wrote model.bin")
        XCTAssertEqual(try repo.readText("out/model.bin"), String(repeating: "m", count: 20))
        try repo.cairn("get", "../data/set", cwd: "out").assertSuccess()
        XCTAssertEqual(try repo.readText("out/set/a.txt"), "a3a3a3")
        try repo.cairn("get", "../data/model.bin", cwd: "out")
            .assertError(containing: "model.bin: already exists; use --force")
        XCTAssertEqual(try repo.readText("out/model.bin"), String(repeating: "m", count: 20), "refused, unchanged")
        try repo.cairn("get", "../data/model.bin", "--force", cwd: "out").assertSuccess()
        XCTAssertEqual(try repo.readText("out/model.bin"), String(repeating: "m", count: 30))
        try repo.cairn("get", "../data/set", "--force", cwd: "out").assertError(containing: "is a directory")
        try repo.cairn("get", "../data/set/a.txt", "--rev", "HEAD~2", "-o", "first.txt", cwd: "out").assertSuccess()
        XCTAssertEqual(try repo.readText("out/first.txt"), "a1")
    }

    func testLineageOfAFileInsideATrackedDirectory() throws {
        let repo = try threeVersions()
        let report = try json(try repo.cairn("lineage", "data/set/a.txt", "--json").assertSuccess())
        let version = try XCTUnwrap(report["version"] as? [String: Any])
        XCTAssertEqual(version["path"] as? String, "data/set/a.txt")
        XCTAssertEqual(version["commit"] as? String, try sha(repo, "HEAD"))
        XCTAssertEqual(version["size"] as? Int, 6)
        let edges = report["edges"] as? [[String: Any]] ?? []
        XCTAssertEqual(edges.count, 1, "\(report)")
        XCTAssertEqual((edges.first?["from"] as? [String: Any])?["commit"] as? String, try sha(repo, "HEAD~1"))
        let keep = try repo.cairn("lineage", "keep.txt", "--rev", "HEAD~1", cwd: "data/set").assertSuccess()
        keep.assertStdout(contains: "version 1", "no earlier version")
        try repo.cairn("lineage", "data/set/none.txt").assertError(containing: "no such file in data/set")
    }

    /// From a subdirectory every command prints paths relative to it, as git status does.
    func testPathsPrintedFromASubdirectoryAreRelativeToIt() throws {
        let repo = try threeVersions()
        try repo.write("data/set/a.txt", "changed\n")
        try repo.remove("data/model.bin")
        let status = try repo.cairn("status", cwd: "data/set").assertSuccess()
        status.assertStdoutLine("../model.bin: deleted")
        status.assertStdoutLine("../set: modified")
        status.assertStdoutLine("    modified: a.txt")
        try repo.cairn("checkout", "--force", cwd: "data/set").assertSuccess().assertStdoutLine("restored ../model.bin")
        try repo.write("data/set/new.txt", "new\n")
        try repo.cairn("add", ".", cwd: "data/set").assertSuccess().assertStdoutLine(startingWith: "added ../set (")
        try repo.cairn("diff", cwd: "data").assertSuccess().assertStdoutLine(startingWith: "modified  set  ")
        try repo.cairn("log", "model.bin", cwd: "data").assertSuccess()
        try repo.write("data/other.bin", "o\n")
        try repo.cairn("add", "other.bin", cwd: "data").assertSuccess().assertStdoutLine(startingWith: "added other.bin (")
        try repo.cairn("rm", "other.bin", cwd: "data").assertSuccess()
            .assertStdoutLine("stopped tracking other.bin (the data stays on disk)")
    }

    func testMissingDataPointsToPull() throws {
        let repo = try threeVersions()
        try repo.remove(".cairn/cache")
        try repo.remove("data/model.bin")
        try repo.cairn("checkout", "data/model.bin")
            .assertError(containing: "is not in the cache; run `cairn pull` to fetch it from the remote")
        let fsck = try repo.cairn("fsck", cwd: "data")
        XCTAssertEqual(fsck.exitCode, 1, fsck.transcript)
        XCTAssertTrue(fsck.stdoutLines.contains { $0.hasPrefix("missing ") && $0.hasSuffix(" used by model.bin") },
                      "fsck names the data relative to the current directory\n\(fsck.transcript)")
    }
}

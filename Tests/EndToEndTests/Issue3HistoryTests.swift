import Foundation
import XCTest

/// Versions tied to commits: log, diff, lineage (incremental and rebuilt), time travel and gc scopes.
final class Issue3HistoryTests: EndToEndTestCase {
    private func commitAll(_ repo: TempRepo, _ message: String) throws {
        try repo.git("add", "-A").assertSuccess()
        try repo.git("commit", "-qm", message).assertSuccess()
    }

    private func sha(_ repo: TempRepo, _ revision: String) throws -> String {
        try repo.git("rev-parse", revision).assertSuccess().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Three versions of a file and a directory, committed one by one.
    private func threeVersions() throws -> TempRepo {
        let repo = try makeRepo()
        for version in 1...3 {
            try repo.write("data/model.bin", String(repeating: "weights v\(version)\n", count: version * 10))
            try repo.write("data/set/keep.txt", "same in every version\n")
            try repo.write("data/set/changing.txt", String(repeating: "c\(version)", count: version))
            if version == 2 { try repo.write("data/set/only-v2.txt", "v2\n") }
            if version == 3 { try repo.remove("data/set/only-v2.txt") }
            try repo.cairn("add", "data/model.bin", "data/set").assertSuccess()
            try commitAll(repo, "version \(version)")
        }
        return repo
    }

    func testLogListsEveryVersionWithFullShasInJSON() throws {
        let repo = try threeVersions()
        let log = try repo.cairn("log", "data/model.bin").assertSuccess()
        XCTAssertEqual(log.stdoutLines.count, 3, log.transcript)
        XCTAssertTrue(log.stdoutLines[0].hasPrefix(String(try sha(repo, "HEAD").prefix(7))), log.transcript)
        log.assertStdout(contains: "version 3", "version 1", "cairn e2e", "(+")
        let json = try repo.cairn("log", "data/model.bin", "--json").assertSuccess()
        let decoded = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let entries = decoded?["entries"] as? [[String: Any]] ?? []
        XCTAssertEqual(entries.compactMap { $0["commit"] as? String },
                       [try sha(repo, "HEAD"), try sha(repo, "HEAD~1"), try sha(repo, "HEAD~2")])
        XCTAssertEqual(entries.last?["change"] as? String, "added")
    }

    func testLogOfAFileInsideATrackedDirectory() throws {
        let repo = try threeVersions()
        let changing = try repo.cairn("log", "data/set/changing.txt").assertSuccess()
        XCTAssertEqual(changing.stdoutLines.count, 3, changing.transcript)
        let keep = try repo.cairn("log", "data/set/keep.txt").assertSuccess()
        XCTAssertEqual(keep.stdoutLines.count, 1, "unchanged since version 1\n\(keep.transcript)")
        keep.assertStdout(contains: "version 1")
        let onlyV2 = try repo.cairn("log", "data/set/only-v2.txt", "--json").assertSuccess()
        let entries = (try JSONSerialization.jsonObject(with: Data(onlyV2.stdout.utf8)) as? [String: Any])?["entries"]
            as? [[String: Any]] ?? []
        XCTAssertEqual(entries.compactMap { $0["change"] as? String }, ["removed", "added"], onlyV2.transcript)
        try repo.cairn("log", "data/nothing.bin").assertError(containing: "data/nothing.bin: no versions")
    }

    func testDiffBetweenCommitsAndAgainstTheWorkTree() throws {
        let repo = try threeVersions()
        let diff = try repo.cairn("diff", "HEAD~1", "HEAD").assertSuccess()
        diff.assertStdoutLine(startingWith: "modified  data/model.bin")
        diff.assertStdoutLine(startingWith: "    modified  data/set/changing.txt")
        diff.assertStdoutLine(startingWith: "    removed   data/set/only-v2.txt")
        diff.assertStdout(lacks: "keep.txt")
        XCTAssertTrue(diff.stdoutLines.last?.hasPrefix("2 changed between") ?? false, diff.transcript)

        try repo.cairn("diff").assertSuccess().assertStdout(contains: "0 changed between")
        try addFile(repo, "data/new.csv", text: "a,b\n")
        let work = try repo.cairn("diff", "--json").assertSuccess()
        let report = try JSONSerialization.jsonObject(with: Data(work.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(report?["from"] as? String, try sha(repo, "HEAD"))
        XCTAssertNil(report?["to"] as? String, "the work tree has no sha")
        XCTAssertEqual((report?["summary"] as? [String: Int])?["added"], 1, work.transcript)

        let limited = try repo.cairn("diff", "HEAD~2", "HEAD", "data/set/changing.txt").assertSuccess()
        limited.assertStdout(lacks: "model.bin")
        limited.assertStdout(contains: "data/set/changing.txt")
        try repo.cairn("diff", "no-such-rev").assertError(containing: "no-such-rev")
    }

    func testLineageRebuildGivesTheSameAnswersAsIncremental() throws {
        let repo = try threeVersions()
        let queries: [[String]] = [["lineage", "data/model.bin", "--json"],
                                   ["lineage", "data/model.bin", "--rev", "HEAD~2", "--downstream", "--json"],
                                   ["log", "data/model.bin", "--json"], ["log", "data/set", "--json"]]
        let incremental = try queries.map { try repo.cairnArgs($0).assertSuccess().stdout }
        XCTAssertTrue(incremental[0].contains("\"relation\":\"replaces\""), incremental[0])
        try repo.cairn("lineage", "rebuild").assertSuccess().assertStdout(contains: "indexed 3 commits")
        XCTAssertEqual(try queries.map { try repo.cairnArgs($0).assertSuccess().stdout }, incremental)
        // A missing database is brought up to date by the first command that reads it.
        try repo.remove(".cairn/lineage.db")
        XCTAssertEqual(try queries.map { try repo.cairnArgs($0).assertSuccess().stdout }, incremental)
        let human = try repo.cairn("lineage", "data/model.bin").assertSuccess()
        human.assertStdout(contains: "version 3", "replaced data/model.bin", "version 1")
        try repo.cairn("lineage", "data/model.bin", "--rev", "v9").assertError(containing: "unknown revision 'v9'")
        try repo.cairn("lineage", "data/none.bin", "--rev", "HEAD").assertError(containing: "data/none.bin: not tracked")
    }

    func testPendingVersionIsShownAndBoundByTheCommit() throws {
        let repo = try threeVersions()
        try repo.write("data/model.bin", "weights v4\n")
        try repo.cairn("add", "data/model.bin").assertSuccess()
        try repo.cairn("log", "data/model.bin").assertSuccess().assertStdoutLine(startingWith: "pending")
        try repo.cairn("lineage", "data/model.bin").assertSuccess().assertStdout(contains: "not committed yet")
        try commitAll(repo, "version 4")
        let log = try repo.cairn("log", "data/model.bin").assertSuccess()
        log.assertStdout(lacks: "pending")
        XCTAssertEqual(log.stdoutLines.count, 4, log.transcript)
    }

    func testMalformedPointerInHistoryIsSkippedWithAWarning() throws {
        let repo = try threeVersions()
        try repo.write("data/broken.bin.cairn", "format: 1\npath: broken.bin\n")
        try commitAll(repo, "a broken pointer")
        let log = try repo.cairn("log", "data/model.bin").assertSuccess()
        log.assertStderr(contains: "cairn: warning:")
        log.assertStderr(contains: "data/broken.bin.cairn")
        XCTAssertEqual(log.stdoutLines.count, 3)
    }

    /// After gc, old trees are gone: log of a file inside a directory and diff say so instead of guessing.
    func testTreesMissingFromTheCacheAreNamed() throws {
        let repo = try threeVersions()
        try repo.cairn("gc").assertSuccess()
        let log = try repo.cairn("log", "data/set/changing.txt").assertSuccess()
        log.assertStdout(contains: "is not in the cache; changes to data/set/changing.txt there are unknown")
        XCTAssertTrue(log.stdoutLines.first?.contains("version 3") ?? false, log.transcript)
        let diff = try repo.cairn("diff", "HEAD~2", "HEAD", "data/set").assertSuccess()
        diff.assertStdout(contains: "is not in the cache: per-file changes unknown")
    }

    func testCheckoutAndGetAtARevisionWithoutMovingHead() throws {
        let repo = try threeVersions()
        let head = try sha(repo, "HEAD")
        let pointerBefore = try repo.readText("data/model.bin.cairn")
        try repo.cairn("checkout", "--rev", "HEAD~2", "data/model.bin").assertSuccess()
        XCTAssertEqual(try repo.readText("data/model.bin"), String(repeating: "weights v1\n", count: 10))
        XCTAssertEqual(try sha(repo, "HEAD"), head)
        XCTAssertEqual(try repo.readText("data/model.bin.cairn"), pointerBefore, "pointer files stay as they are")
        XCTAssertEqual(try repo.readText("data/set/changing.txt"), "c3c3c3", "only the named path travels")

        try repo.cairn("checkout", "--rev", "HEAD~1").assertSuccess()
        XCTAssertEqual(try repo.readText("data/set/only-v2.txt"), "v2\n")
        try repo.cairn("checkout").assertSuccess()
        XCTAssertFalse(repo.exists("data/set/only-v2.txt"))

        try repo.cairn("get", "--rev", "HEAD~1", "data/set", "-o", repo.base + "/out").assertSuccess()
        XCTAssertEqual(try String(contentsOfFile: repo.base + "/out/changing.txt", encoding: .utf8), "c2c2")
        try repo.cairn("get", "--rev", "HEAD~2", "data/set/changing.txt", "-o", repo.base + "/one").assertSuccess()
        XCTAssertEqual(try String(contentsOfFile: repo.base + "/one", encoding: .utf8), "c1")
        try repo.cairn("get", "--rev", "HEAD~2", "data/model.bin", "-o", repo.base + "/one")
            .assertError(containing: "already exists")

        try repo.cairn("checkout", "--rev", "nope").assertError(containing: "unknown revision 'nope'")
        try repo.cairn("get", "--rev", "HEAD~9", "data/model.bin", "-o", repo.base + "/x")
            .assertError(containing: "HEAD~9")
        try repo.cairn("checkout", "--rev", "HEAD~2", "data/other").assertError(containing: "not tracked by cairn at HEAD~2")
    }

    func testGcScopesKeepWhatTheyName() throws {
        let repo = try threeVersions()
        try repo.git("tag", "v1", "HEAD~2").assertSuccess()
        try repo.cairn("gc", "--all-commits", "--dry-run").assertSuccess().assertStdoutLine("would remove 0 objects, 0 B")
        let workspaceOnly = try repo.cairn("gc", "--dry-run").assertSuccess()
        XCTAssertFalse(workspaceOnly.stdout.hasPrefix("would remove 0 objects"), workspaceOnly.transcript)
        // The tag v1 keeps version 1 (and the work tree version 3); version 2 goes.
        try repo.cairn("gc", "--all-tags").assertSuccess()
        try repo.cairn("gc", "--rev", "HEAD~2", "--dry-run").assertSuccess().assertStdoutLine("would remove 0 objects, 0 B")
        try repo.cairn("checkout", "--rev", "v1").assertSuccess()
        XCTAssertEqual(try repo.readText("data/model.bin"), String(repeating: "weights v1\n", count: 10))
        try repo.cairn("checkout", "--rev", "HEAD~1", "data/model.bin")
            .assertError(containing: ["data/model.bin: object sha256:", "not in the cache", "cairn pull"])
        try repo.cairn("checkout").assertSuccess()
        try repo.cairn("gc").assertSuccess()
        try repo.cairn("get", "--rev", "v1", "data/model.bin", "-o", repo.base + "/gone")
            .assertError(containing: ["data/model.bin: object sha256:", "cairn pull"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: repo.base + "/gone"))
        try repo.cairn("gc", "--rev", "no-such").assertError(containing: "no-such")
    }
}

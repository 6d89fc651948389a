import Foundation
import XCTest

/// Issue 10, item 4: `repro --pull` fetches what the stages need from the default remote before running.
final class ReproPullTests: EndToEndTestCase {
    func testPullBringsTrackedDepsOfAFreshClone() throws {
        let repo = try makeRepo()
        let remote = repo.base + "/remote"
        try FileManager.default.createDirectory(atPath: remote, withIntermediateDirectories: true)
        try repo.cairn("remote", "add", "-d", "origin", remote).assertSuccess()
        try repo.write("raw/a.txt", "alpha\n")
        try repo.cairn("add", "raw").assertSuccess()
        try repo.write("cairn.yaml", """
            stages:
              count:
                cmd: cat raw/a.txt | wc -l > count.txt
                deps: [raw]
                outs: [count.txt]
            """)
        try repo.repro().assertSuccess()
        try repo.cairn("push").assertSuccess()
        try repo.commitEverything("pipeline")

        let clone = try gitClone(repo)
        XCTAssertFalse(clone.exists("raw/a.txt"))
        // Without --pull the dep is missing and nothing runs.
        try clone.repro().assertError(containing: ["raw", "does not exist"], oneLine: false)
        // With --pull, raw is fetched and checked out first (and count.txt, pushed as a lock output, restored).
        let pulled = try clone.repro("--pull").assertSuccess()
        XCTAssertEqual(try clone.readText("raw/a.txt"), "alpha\n", pulled.transcript)
        XCTAssertEqual(try clone.readText("count.txt").trimmingCharacters(in: .whitespaces), "1\n")
    }

    /// A teammate's clone: `repro --pull` fetches the outputs the lock names, and the stages, unchanged, restore them
    /// instead of running.
    func testPullRestoresRecordedOutputsInsteadOfRunning() throws {
        let repo = try makeRepo()
        let remote = repo.base + "/remote"
        try FileManager.default.createDirectory(atPath: remote, withIntermediateDirectories: true)
        try repo.cairn("remote", "add", "-d", "origin", remote).assertSuccess()
        try repo.writeThreeStagePipeline()
        try repo.repro().assertSuccess()
        _ = repo.takeRuns()
        try repo.cairn("push").assertSuccess()
        try repo.commitEverything("pipeline")

        let clone = try gitClone(repo)
        try clone.repro("--dry").assertSuccess().assertStdout(contains: "missing out, not in cache: mid.txt")
        let pulled = try clone.repro("--pull").assertSuccess()
        pulled.assertStdout(contains: "restored from the cache")
        XCTAssertEqual(clone.takeRuns(), [], pulled.transcript)
        XCTAssertEqual(try clone.readText("model.txt"), "HELLO\nHELLO\n")
        try clone.repro().assertSuccess().assertStdout(contains: "Everything is up to date")
    }
}

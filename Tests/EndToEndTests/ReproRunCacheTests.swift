import Foundation
import XCTest

/// Issue 10, item 5, seen from repro: a combination of command, deps and params that ran before is restored from the
/// run-cache instead of running, except with --no-run-cache / -f; each run is in lineage. (Skipped while the
/// run-cache is not wired into ReproHooks: then no runs directory appears.)
final class ReproRunCacheTests: EndToEndTestCase {
    func testSeenCombinationIsRestoredNotRun() throws {
        let repo = try makeRepo()
        try repo.write("in.txt", "x\n")
        try repo.write("params.yaml", "a: 1\n")
        try repo.write("cairn.yaml", """
            stages:
              s:
                cmd: \(TempRepo.logRun("s")) && cat in.txt params.yaml > out.txt
                deps: [in.txt]
                params: [a]
                outs: [out.txt]
            """)
        try repo.repro().assertSuccess()
        try XCTSkipUnless(repo.isDirectory(".cairn/runs") || repo.isDirectory(".cairn/cache/runs"),
                          "the run-cache is not wired into ReproHooks yet")
        try repo.write("params.yaml", "a: 2\n")
        try repo.repro().assertSuccess()
        XCTAssertEqual(repo.takeRuns(), ["s", "s"])
        try repo.write("params.yaml", "a: 1\n")
        try repo.repro().assertSuccess().assertStdout(contains: "restored from the run-cache")
        XCTAssertEqual(repo.takeRuns(), [])
        XCTAssertEqual(try repo.readText("out.txt"), "x\na: 1\n")
        try repo.cairn("lineage", "out.txt").assertSuccess().assertStdout(contains: "restored from the run-cache")
        try repo.repro().assertSuccess().assertStdout(contains: "Everything is up to date")
        try repo.write("params.yaml", "a: 2\n")
        try repo.repro("--no-run-cache").assertSuccess()
        XCTAssertEqual(repo.takeRuns(), ["s"])
    }

    /// An uncached metrics file comes back with the cached outputs, and a forced run is not served from the run-cache.
    func testRestoreBringsUncachedMetricsAndForceRuns() throws {
        let repo = try makeRepo()
        try repo.write("params.yaml", "a: 1\n")
        try repo.write("in.txt", "x\n")
        try repo.write("cairn.yaml", """
            stages:
              s:
                cmd: \(TempRepo.logRun("s")) && cat params.yaml > model.txt && cat params.yaml in.txt > metrics.json
                deps: [in.txt]
                params: [a]
                outs: [model.txt]
                metrics:
                - metrics.json:
                    cache: false
            """)
        try repo.repro().assertSuccess()
        try XCTSkipUnless(repo.isDirectory(".cairn/runs") || repo.isDirectory(".cairn/cache/runs"),
                          "the run-cache is not wired into ReproHooks yet")
        try repo.write("params.yaml", "a: 2\n")
        try repo.repro().assertSuccess()
        try repo.write("params.yaml", "a: 1\n")
        XCTAssertEqual(repo.takeRuns(), ["s", "s"])
        try repo.repro().assertSuccess().assertStdout(contains: "restored from the run-cache")
        XCTAssertEqual(repo.takeRuns(), [])
        XCTAssertEqual(try repo.readText("metrics.json"), "a: 1\nx\n")
        XCTAssertEqual(try repo.readText("model.txt"), "a: 1\n")
        try repo.repro("-f").assertSuccess()
        XCTAssertEqual(repo.takeRuns(), ["s"])
    }

    /// Issue 10, "done when": a teammate's run, pushed with --run-cache, is restored by `repro` in another clone
    /// instead of running there.
    func testTeammatesRunIsRestoredInAnotherClone() throws {
        let repo = try makeRepo()
        let remote = repo.base + "/remote"
        try FileManager.default.createDirectory(atPath: remote, withIntermediateDirectories: true)
        try repo.cairn("remote", "add", "-d", "origin", remote).assertSuccess()
        try repo.writeThreeStagePipeline()
        try repo.repro().assertSuccess()
        try repo.commitEverything("a = 1")
        try XCTSkipUnless(repo.isDirectory(".cairn/runs") || repo.isDirectory(".cairn/cache/runs"),
                          "the run-cache is not wired into ReproHooks yet")
        // The teammate also tried a = 2, then went back; both runs are in their run-cache.
        try repo.write("params.yaml", "a: 2\nb: x\n")
        try repo.repro().assertSuccess()
        try repo.git("checkout", "--", "params.yaml", "cairn.lock").assertSuccess()
        try repo.cairn("push", "--run-cache").assertSuccess()
        _ = repo.takeRuns()

        let clone = try gitClone(repo)
        try clone.cairn("pull", "--run-cache").assertSuccess()
        try clone.write("params.yaml", "a: 2\nb: x\n")
        let result = try clone.repro().assertSuccess()
        result.assertStdout(contains: "Stage 'train' restored from the run-cache")
        XCTAssertEqual(clone.takeRuns(), [], result.transcript)
        XCTAssertEqual(try clone.readText("model.txt"), "HELLO\nHELLO\n")
    }
}

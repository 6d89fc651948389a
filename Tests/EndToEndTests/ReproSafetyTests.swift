import Basics
import Foundation
import XCTest

/// Issue 10, items 4 and 9: what repro refuses before anything runs, what it keeps when interrupted, and inputs
/// that change while a stage runs (DVC #11058).
final class ReproSafetyTests: EndToEndTestCase {
    /// A repository where `prepare` ran once (mid.txt exists), then cairn.yaml is replaced by `broken`.
    private func refusal(_ broken: String, fragments: [String], setup: (TempRepo) throws -> Void = { _ in }) throws {
        let repo = try makeRepo()
        try repo.writeThreeStagePipeline()
        try repo.repro().assertSuccess()
        _ = repo.takeRuns()
        try setup(repo)
        try repo.write("in.txt", "changed\n")
        try repo.write("cairn.yaml", broken)
        let lock = try repo.readText("cairn.lock")
        try repo.repro("-f").assertError(containing: fragments, oneLine: false)
        XCTAssertEqual(repo.takeRuns(), [], "nothing may run")
        XCTAssertEqual(try repo.readText("mid.txt"), "HELLO\n", "nothing may be deleted")
        XCTAssertEqual(try repo.readText("cairn.lock"), lock)
    }

    private func stage(_ name: String, deps: String, outs: String) -> String {
        "  \(name):\n    cmd: \(TempRepo.logRun(name)) && touch \(outs.split(separator: ",")[0])\n    deps: [\(deps)]\n    outs: [\(outs)]\n"
    }

    func testCycleIsRefusedBeforeAnythingRuns() throws {
        try refusal("stages:\n" + stage("prepare", deps: "in.txt, b.txt", outs: "mid.txt") + stage("b", deps: "mid.txt", outs: "b.txt"),
                    fragments: ["cycle", "prepare", "b"])
    }

    func testDuplicateOutputIsRefused() throws {
        try refusal("stages:\n" + stage("prepare", deps: "in.txt", outs: "mid.txt") + stage("twin", deps: "in.txt", outs: "mid.txt"),
                    fragments: ["mid.txt", "prepare", "twin"])
    }

    func testOverlappingOutputsAreRefused() throws {
        try refusal("stages:\n" + stage("prepare", deps: "in.txt", outs: "mid.txt") + stage("dir", deps: "in.txt", outs: "d")
                    + stage("inner", deps: "in.txt", outs: "d/x"),
                    fragments: ["d/x", "dir", "inner"])
    }

    func testOutputInsideTrackedDataIsRefused() throws {
        try refusal("stages:\n" + stage("prepare", deps: "in.txt", outs: "mid.txt") + stage("into", deps: "in.txt", outs: "data/new.txt"),
                    fragments: ["data", "into"]) { repo in
            try repo.write("data/a.txt", "tracked\n")
            try repo.cairn("add", "data").assertSuccess()
        }
    }

    func testMissingDependencyIsRefused() throws {
        try refusal("stages:\n" + stage("prepare", deps: "in.txt, nowhere.txt", outs: "mid.txt"),
                    fragments: ["nowhere.txt", "prepare", "nothing was run"])
    }

    func testPathEscapingTheRepositoryIsRefused() throws {
        try refusal("stages:\n" + stage("prepare", deps: "../outside.txt", outs: "mid.txt"),
                    fragments: ["outside the repository"])
    }

    /// A stage of sub/cairn.yaml may read above sub/ (DVC allows it): the lock records `../in.txt`, reads back,
    /// and a change to the file above re-runs the stage.
    func testStageReadingAboveItsPipelineDirectoryIsRecordedWithDotDot() throws {
        let repo = try makeRepo()
        try repo.write("in.txt", "x\n")
        try repo.write("sub/cairn.yaml", """
            stages:
              s:
                cmd: \(TempRepo.logRun("s")) && cp ../in.txt o.txt
                deps: [../in.txt]
                outs: [o.txt]
            """)
        try repo.repro("-P").assertSuccess()
        XCTAssertEqual(repo.takeRuns(), ["s"])
        XCTAssertTrue(try repo.readText("sub/cairn.lock").contains("- {path: ../in.txt, type: file"))
        try repo.repro("-P").assertSuccess()
        XCTAssertEqual(repo.takeRuns(), [])
        try repo.cairn("status").assertSuccess()
        try repo.write("in.txt", "y\n")
        try repo.repro("-P").assertSuccess()
        XCTAssertEqual(repo.takeRuns(), ["s"])
        XCTAssertEqual(try repo.readText("sub/o.txt"), "y\n")
    }

    /// DVC #11058: an input edited while the command runs would be recorded with its new id next to outputs made
    /// from the old one. cairn hashes before and after and fails the stage.
    func testDependencyModifiedWhileTheStageRunsFailsIt() throws {
        let repo = try makeRepo()
        try repo.write("in.txt", "one\n")
        try repo.write("cairn.yaml", """
            stages:
              s:
                cmd: cp in.txt out.txt && echo two >> in.txt
                deps: [in.txt]
                outs: [out.txt]
            """)
        try repo.repro().assertError(containing: ["stage 's' failed", "'in.txt' changed while the stage ran"])
        XCTAssertFalse(repo.exists("cairn.lock"))
    }

    /// An interrupted repro keeps every stage that finished: its lock entry, its .gitignore line, its cached output.
    func testInterruptedReproKeepsFinishedStages() throws {
        for point in ["repro-after-stage", "repro-before-lock-write"] {
            let repo = try makeRepo()
            try repo.writeThreeStagePipeline()
            let crashed = try repo.repro("-j", "1", env: ["CAIRN_CRASH_AT": point])
            XCTAssertEqual(crashed.exitCode, CrashPoint.exitStatus, crashed.transcript)
            XCTAssertEqual(repo.takeRuns(), ["prepare"])
            let lock = (try? repo.readText("cairn.lock")) ?? ""
            XCTAssertEqual(lock.contains("prepare:"), point == "repro-after-stage", "\(point): \(lock)")
            XCTAssertTrue(try repo.readText(".gitignore").contains("/mid.txt"), point)
            try repo.repro("-j", "1").assertSuccess()
            XCTAssertEqual(repo.takeRuns(), point == "repro-after-stage" ? ["train", "other"] : ["prepare", "train", "other"], point)
            try repo.repro().assertSuccess().assertStdout(contains: "Everything is up to date")
            try repo.cairn("fsck").assertSuccess()
        }
    }

    /// kill -9 of cairn while a stage's command runs: the stages that finished before are kept, the next repro
    /// runs the interrupted one and what follows.
    func testKillMidStageThenReproAgain() throws {
        let repo = try makeRepo()
        try repo.write("in.txt", "x\n")
        try repo.write("cairn.yaml", """
            stages:
              first:
                cmd: \(TempRepo.logRun("first")) && cp in.txt first.txt
                deps: [in.txt]
                outs: [first.txt]
              slow:
                cmd: \(TempRepo.logRun("slow")) && touch "$CAIRN_ROOT/../started" && sleep 2 && cp first.txt slow.txt
                deps: [first.txt]
                outs: [slow.txt]
            """)
        let running = try repo.startCairn("repro", "-j", "1")
        let started = repo.base + "/started"
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: started) && Date() < deadline { usleep(20_000) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: started), "the slow stage never started")
        running.killHard()
        _ = running.wait()
        XCTAssertEqual(repo.takeRuns(), ["first", "slow"])
        XCTAssertTrue(try repo.readText("cairn.lock").contains("first:"))
        XCTAssertFalse(try repo.readText("cairn.lock").contains("slow:"))
        usleep(2_300_000)   // the orphaned command finishes on its own; the next repro must not trust its output
        try repo.repro().assertSuccess()
        XCTAssertEqual(repo.takeRuns(), ["slow"])
        XCTAssertEqual(try repo.readText("slow.txt"), "x\n")
        try repo.cairn("fsck").assertSuccess()
    }

    /// Two repros at once: the second waits for the first (which does not hold the repository lock while its
    /// command runs) instead of running the same stage again.
    func testConcurrentReprosRunAStageOnce() throws {
        let repo = try makeRepo()
        try repo.write("cairn.yaml", """
            stages:
              slow:
                cmd: \(TempRepo.logRun("slow")) && touch "$CAIRN_ROOT/../started" && sleep 1 && echo done > out.txt
                outs: [out.txt]
            """)
        let first = try repo.startCairn("repro")
        let started = repo.base + "/started"
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: started) && Date() < deadline { usleep(20_000) }
        let second = try repo.repro()
        first.wait().assertSuccess()
        second.assertSuccess().assertStdout(contains: "Everything is up to date")
        XCTAssertEqual(repo.takeRuns(), ["slow"])
    }
}

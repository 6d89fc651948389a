import Foundation
import XCTest

/// Issue 10, item 4: repro's options (-f, -s, --downstream, -P, --dry, -k) and failing commands.
final class ReproOptionsTests: EndToEndTestCase {
    func testForceRunsEverySelectedStage() throws {
        let repo = try makeRepo()
        try repo.writeThreeStagePipeline()
        try repo.repro().assertSuccess()
        _ = repo.takeRuns()
        try repo.repro("-f", "train").assertSuccess()
        XCTAssertEqual(repo.takeRuns(), ["prepare", "train"])
        try repo.repro("-f", "-s", "train").assertSuccess()
        XCTAssertEqual(repo.takeRuns(), ["train"])
    }

    func testSingleItemIgnoresStaleUpstream() throws {
        let repo = try makeRepo()
        try repo.writeThreeStagePipeline()
        try repo.repro().assertSuccess()
        _ = repo.takeRuns()
        try repo.write("in.txt", "new\n")
        try repo.write("params.yaml", "a: 5\n")
        try repo.repro("-s", "train").assertSuccess()
        XCTAssertEqual(repo.takeRuns(), ["train"])
        try repo.repro().assertSuccess()
        XCTAssertEqual(repo.takeRuns(), ["prepare", "train"])
    }

    func testDownstreamTakesTheTargetAndWhatDependsOnIt() throws {
        let repo = try makeRepo()
        try repo.writeThreeStagePipeline()
        try repo.repro().assertSuccess()
        _ = repo.takeRuns()
        try repo.write("in.txt", "new\n")
        try repo.write("other.txt", "new other\n")
        // train is downstream of prepare; other is not.
        try repo.repro("--downstream", "prepare").assertSuccess()
        XCTAssertEqual(repo.takeRuns(), ["prepare", "train"])
        try repo.repro("--downstream", "model.txt").assertSuccess()   // an output path names its stage
        XCTAssertEqual(repo.takeRuns(), [])
    }

    func testAllPipelinesAndDefaultTargets() throws {
        let repo = try makeRepo()
        try repo.writeThreeStagePipeline()
        try repo.write("sub/in.txt", "sub\n")
        try repo.write("sub/cairn.yaml", """
            stages:
              nested:
                cmd: \(TempRepo.logRun("nested")) && cp in.txt out.txt
                deps: [in.txt]
                outs: [out.txt]
            """)
        // In sub/, repro takes sub/cairn.yaml only.
        try repo.cairnArgs(["repro"], cwd: "sub").assertSuccess()
        XCTAssertEqual(repo.takeRuns(), ["nested"])
        XCTAssertTrue(repo.exists("sub/cairn.lock"))
        XCTAssertFalse(repo.exists("cairn.lock"))
        try repo.write("sub/in.txt", "sub 2\n")
        try repo.repro("-P", "-j", "1").assertSuccess()
        XCTAssertEqual(Set(repo.takeRuns()), ["prepare", "train", "other", "nested"])
        try repo.repro("sub/cairn.yaml:nested", "-f").assertSuccess()
        XCTAssertEqual(repo.takeRuns(), ["nested"])
    }

    func testDryChangesNothing() throws {
        let repo = try makeRepo()
        try repo.writeThreeStagePipeline()
        let dry = try repo.repro("--dry").assertSuccess()
        dry.assertStdout(contains: "Would run stage 'prepare'", "Would run stage 'train'", "3 stages would run")
        XCTAssertEqual(repo.takeRuns(), [])
        XCTAssertFalse(repo.exists("cairn.lock"))
        XCTAssertFalse(repo.exists(".gitignore"))
        XCTAssertFalse(repo.exists("mid.txt"))
        try repo.repro().assertSuccess()
        _ = repo.takeRuns()
        try repo.write("in.txt", "new\n")
        let lock = try repo.readText("cairn.lock")
        let second = try repo.repro("--dry").assertSuccess()
        second.assertStdout(contains: "upstream stage prepare runs first")
        XCTAssertEqual(try repo.readText("cairn.lock"), lock)
        XCTAssertEqual(try repo.readText("model.txt"), "HELLO\nHELLO\n")
        XCTAssertEqual(repo.takeRuns(), [])
    }

    func testDryJSONListsStagesAndReasons() throws {
        let repo = try makeRepo()
        try repo.writeThreeStagePipeline()
        try repo.repro().assertSuccess()
        try repo.write("params.yaml", "a: 3\n")
        let result = try repo.repro("--dry", "--json").assertSuccess()
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let stages = json?["stages"] as? [[String: Any]] ?? []
        XCTAssertEqual(stages.map { $0["stage"] as? String }, ["train"], result.transcript)
        XCTAssertEqual(stages.first?["lock"] as? String, "cairn.lock")
        let change = (stages.first?["changes"] as? [[String: Any]])?.first
        XCTAssertEqual(change?["kind"] as? String, "param-modified")
        XCTAssertEqual(change?["new"] as? String, "3")
        try repo.repro("--json").assertUsageError()
    }

    func testFailingCommandKeepsItsLockEntryAndStopsTheRun() throws {
        let repo = try makeRepo()
        try repo.writeThreeStagePipeline()
        try repo.repro().assertSuccess()
        _ = repo.takeRuns()
        let lock = try repo.readText("cairn.lock")
        try repo.write("in.txt", "new\n")
        try repo.write("cairn.yaml", try repo.readText("cairn.yaml").replacingOccurrences(
            of: "cmd: \(TempRepo.logRun("prepare")) && tr a-z A-Z < in.txt > mid.txt",
            with: "cmd:\n    - \(TempRepo.logRun("prepare"))\n    - exit 3\n    - echo never > mid.txt"))
        let failed = try repo.repro("-j", "1")
        failed.assertError(containing: ["stage 'prepare' failed", "exited with 3", "exit 3"])
        XCTAssertEqual(repo.takeRuns(), ["prepare"], "later commands of the list and downstream stages must not run")
        XCTAssertEqual(try repo.readText("cairn.lock"), lock, "a failed stage leaves its lock entry")
        XCTAssertFalse(repo.exists("mid.txt"))
    }

    func testKeepGoingSkipsOnlyTheDownstreamOfAFailure() throws {
        let repo = try makeRepo()
        try repo.write("in.txt", "x\n")
        try repo.write("cairn.yaml", """
            stages:
              bad:
                cmd: \(TempRepo.logRun("bad")) && exit 7
                deps: [in.txt]
                outs: [bad.txt]
              after:
                cmd: \(TempRepo.logRun("after")) && cp bad.txt after.txt
                deps: [bad.txt]
                outs: [after.txt]
              fine:
                cmd: \(TempRepo.logRun("fine")) && cp in.txt fine.txt
                deps: [in.txt]
                outs: [fine.txt]
            """)
        let withoutK = try repo.repro("-j", "1")
        XCTAssertEqual(withoutK.exitCode, 1, withoutK.transcript)
        XCTAssertEqual(repo.takeRuns(), ["bad"])
        let keepGoing = try repo.repro("-k", "-j", "1")
        keepGoing.assertError(containing: ["stage 'bad' failed", "exited with 7"])
        keepGoing.assertStdout(contains: "Stage 'after' skipped: upstream stage 'bad' failed")
        XCTAssertEqual(repo.takeRuns(), ["bad", "fine"])
        XCTAssertTrue(try repo.readText("cairn.lock").contains("fine:"))
        XCTAssertTrue(try repo.readText(".gitignore").contains("/fine.txt"), "earlier stages keep their .gitignore lines (#11091)")
    }

    func testOutputNotCreatedFailsTheStage() throws {
        let repo = try makeRepo()
        try repo.write("cairn.yaml", """
            stages:
              s:
                cmd: "true"
                outs: [never.txt]
            """)
        try repo.repro().assertError(containing: ["stage 's' failed", "'never.txt' was not created"])
        XCTAssertFalse(repo.exists("cairn.lock"))
    }

    func testDeletedStageLeavesTheLock() throws {
        let repo = try makeRepo()
        try repo.writeThreeStagePipeline()
        try repo.repro().assertSuccess()
        XCTAssertTrue(try repo.readText("cairn.lock").contains("other:"))
        try repo.write("cairn.yaml", try repo.readText("cairn.yaml").components(separatedBy: "  other:")[0])
        try repo.write("in.txt", "again\n")
        try repo.repro().assertSuccess()
        XCTAssertFalse(try repo.readText("cairn.lock").contains("other:"), "DVC #5293: a deleted stage stays in the lock")
    }
}

import Foundation
import XCTest

/// Issue 10, item 4: `cairn repro` runs only what changed, in order, and records it.
final class ReproTests: EndToEndTestCase {
    func testSecondReproWithNothingChangedRunsNothing() throws {
        let repo = try makeRepo()
        try repo.writeThreeStagePipeline()
        let first = try repo.repro("-j", "1").assertSuccess()
        XCTAssertEqual(repo.takeRuns(), ["prepare", "train", "other"])
        first.assertStdout(contains: "Running stage 'prepare'", "> ")
        XCTAssertEqual(try repo.readText("model.txt"), "HELLO\nHELLO\n")
        XCTAssertTrue(repo.exists("cairn.lock"))
        let second = try repo.repro().assertSuccess()
        XCTAssertEqual(repo.takeRuns(), [])
        second.assertStdout(contains: "Everything is up to date")
        // status agrees: nothing would run.
        try repo.cairn("status").assertSuccess().assertStdout(contains: "Everything is up to date.")
    }

    func testDepChangeRerunsThatStageAndItsDownstreamOnly() throws {
        let repo = try makeRepo()
        try repo.writeThreeStagePipeline()
        try repo.repro().assertSuccess()
        _ = repo.takeRuns()
        try repo.write("in.txt", "changed\n")
        let status = try repo.cairn("status").assertSuccess()
        status.assertStdout(contains: "prepare", "changed dep: in.txt")
        try repo.repro().assertSuccess()
        XCTAssertEqual(repo.takeRuns(), ["prepare", "train"])
        XCTAssertEqual(try repo.readText("model.txt"), "CHANGED\nCHANGED\n")
    }

    func testUpstreamRerunWithIdenticalOutputSkipsDownstream() throws {
        let repo = try makeRepo()
        try repo.writeThreeStagePipeline()
        try repo.repro().assertSuccess()
        _ = repo.takeRuns()
        try repo.write("in.txt", "HELLO\n")   // a new dep id, the same upper-cased output
        try repo.repro().assertSuccess()
        XCTAssertEqual(repo.takeRuns(), ["prepare"])
    }

    func testParamsChangeShowsOldAndNewValue() throws {
        let repo = try makeRepo()
        try repo.writeThreeStagePipeline()
        try repo.repro().assertSuccess()
        _ = repo.takeRuns()
        try repo.write("params.yaml", "a: 2\nb: y\n")   // b is not tracked by any stage
        let dry = try repo.repro("--dry").assertSuccess()
        dry.assertStdout(contains: "Would run stage 'train'", "changed param: params.yaml a 1 → 2")
        dry.assertStdout(lacks: "'prepare'")
        XCTAssertEqual(repo.takeRuns(), [])
        let status = try repo.cairn("status", "--json").assertSuccess()
        let json = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        let stages = json?["stages"] as? [[String: Any]] ?? []
        XCTAssertEqual(stages.map { $0["stage"] as? String }, ["train"], status.transcript)
        let change = (stages.first?["changes"] as? [[String: Any]])?.first
        XCTAssertEqual(change?["kind"] as? String, "param-modified")
        XCTAssertEqual(change?["old"] as? String, "1")
        XCTAssertEqual(change?["new"] as? String, "2")
        try repo.repro().assertSuccess()
        XCTAssertEqual(repo.takeRuns(), ["train"])
        // Reformatting the params file without changing values runs nothing.
        try repo.write("params.yaml", "# comment\nb: y\na:   2\n")
        try repo.repro().assertSuccess().assertStdout(contains: "Everything is up to date")
    }

    /// DVC #9913: taking a dep or a param out of a stage must re-run it, or the lock claims a false provenance.
    func testRemovingADepOrAParamReruns() throws {
        let repo = try makeRepo()
        try repo.write("in.txt", "x\n")
        try repo.write("extra.txt", "y\n")
        try repo.write("params.yaml", "a: 1\nb: 2\n")
        func pipeline(deps: String, params: String) throws {
            try repo.write("cairn.yaml", """
                stages:
                  s:
                    cmd: \(TempRepo.logRun("s")) && cat in.txt > out.txt
                    deps: [\(deps)]
                    params: [\(params)]
                    outs: [out.txt]
                """)
        }
        try pipeline(deps: "in.txt, extra.txt", params: "a, b")
        try repo.repro().assertSuccess()
        _ = repo.takeRuns()
        try pipeline(deps: "in.txt", params: "a, b")
        try repo.repro("--dry").assertSuccess().assertStdout(contains: "removed dep: extra.txt")
        try repo.repro().assertSuccess()
        XCTAssertEqual(repo.takeRuns(), ["s"])
        try pipeline(deps: "in.txt", params: "a")
        try repo.cairn("status").assertSuccess().assertStdout(contains: "removed param: params.yaml b (was 2)")
        try repo.repro().assertSuccess()
        XCTAssertEqual(repo.takeRuns(), ["s"])
    }

    func testOutputsAreGitIgnoredCachedAndRestoredWithoutRunning() throws {
        let repo = try makeRepo()
        try repo.writeThreeStagePipeline()
        try repo.repro().assertSuccess()
        _ = repo.takeRuns()
        let ignore = try repo.readText(".gitignore")
        for out in ["/mid.txt", "/model.txt", "/other.out"] { XCTAssertTrue(ignore.contains(out + "\n"), ignore) }
        try repo.git("check-ignore", "-q", "model.txt").assertSuccess()
        try repo.remove("model.txt")
        let restored = try repo.repro().assertSuccess()
        restored.assertStdout(contains: "restored from the cache")
        XCTAssertEqual(repo.takeRuns(), [])
        XCTAssertEqual(try repo.readText("model.txt"), "HELLO\nHELLO\n")
        try repo.cairn("fsck").assertSuccess()
    }

    func testCommandChangeRerunsAndEnvironmentIsSet() throws {
        let repo = try makeRepo()
        try repo.makeDirectory("sub")
        try repo.write("cairn.yaml", """
            stages:
              env:
                cmd: echo "$CAIRN_ROOT|$CAIRN_STAGE|$(pwd)" > env.txt
                wdir: sub
                outs: [env.txt]
            """)
        try repo.repro().assertSuccess()
        XCTAssertEqual(try repo.readText("sub/env.txt"), "\(repo.root)|env|\(repo.root)/sub\n")
        try repo.write("cairn.yaml", """
            stages:
              env:
                cmd: echo "changed $CAIRN_STAGE" > env.txt
                wdir: sub
                outs: [env.txt]
            """)
        try repo.cairn("status").assertSuccess().assertStdout(contains: "changed command:")
        try repo.repro().assertSuccess()
        XCTAssertEqual(try repo.readText("sub/env.txt"), "changed env\n")
    }

    func testPersistOutputIsKeptAndUncachedOutputIsRecordedNotStored() throws {
        let repo = try makeRepo()
        try repo.write("in.txt", "1\n")
        try repo.write("cairn.yaml", """
            stages:
              s:
                cmd: cat in.txt >> log.txt && echo acc=1 > metrics.json
                deps: [in.txt]
                outs:
                - log.txt:
                    persist: true
                metrics:
                - metrics.json:
                    cache: false
            """)
        try repo.repro().assertSuccess()
        try repo.write("in.txt", "2\n")
        try repo.repro().assertSuccess()
        XCTAssertEqual(try repo.readText("log.txt"), "1\n2\n", "a persist output must not be removed before the run")
        let lock = try repo.readText("cairn.lock")
        XCTAssertTrue(lock.contains("path: metrics.json") && lock.contains("cache: false"), lock)
        XCTAssertFalse(try repo.readText(".gitignore").contains("metrics.json"))
        // The uncached output is not restorable: deleting it makes the stage run again.
        try repo.remove("metrics.json")
        try repo.cairn("status").assertSuccess().assertStdout(contains: "missing out, not in cache: metrics.json")
    }

    /// repro does not hold the repository lock while a command runs, so a stage may call cairn, even a writing
    /// command, without waiting for itself (a short lock timeout turns a deadlock into a failure).
    func testStageCommandsMayRunCairn() throws {
        let repo = try makeRepo()
        try repo.write("extra.txt", "extra\n")
        try repo.write("cairn.yaml", """
            stages:
              nested:
                cmd: '"\(CairnBinary.path)" add extra.txt > added.txt && "\(CairnBinary.path)" status > status.txt'
                outs: [added.txt, status.txt]
            """)
        try repo.repro(env: ["CAIRN_LOCK_TIMEOUT": "5"]).assertSuccess()
        XCTAssertTrue(repo.exists("extra.txt.cairn"))
    }

    /// A directory output is recorded with the tree id `cairn add` gives the same directory, and restored whole.
    func testDirectoryOutputHasTheTreeIdOfAdd() throws {
        let repo = try makeRepo()
        try repo.write("cairn.yaml", """
            stages:
              s:
                cmd: mkdir -p d/sub && echo 1 > d/a && echo 2 > d/sub/b
                outs: [d]
            """)
        try repo.repro().assertSuccess()
        try repo.shell("cp -r d copy").assertSuccess()
        let pointer = try add(repo, "copy")
        let lock = try repo.readText("cairn.lock")
        let id = try XCTUnwrap(pointer["id"])
        XCTAssertTrue(lock.contains("{path: d, type: directory, id: \"\(id)\""), "\(lock)\n\(id)")
        try repo.remove("d")
        try repo.repro().assertSuccess().assertStdout(contains: "restored from the cache")
        XCTAssertEqual(try repo.readText("d/sub/b"), "2\n")
    }

    /// A repro inside a stage of a repro of the same repository would wait for itself: refused at once.
    func testNestedReproIsRefused() throws {
        let repo = try makeRepo()
        try repo.write("cairn.yaml", """
            stages:
              outer:
                cmd: '"\(CairnBinary.path)" repro -f > nested.txt'
                outs: [nested.txt]
            """)
        let result = try repo.repro(env: ["CAIRN_LOCK_TIMEOUT": "5"])
        result.assertError(containing: ["stage 'outer' failed", "exited with 1"], oneLine: false)
        result.assertStderr(contains: "cannot run inside stage 'outer'")
    }

    /// An output directory may hold anything, even a file named cairn.yaml (a copied project, a config dump): it is
    /// not a pipeline of this repository, and later commands must not trip over it.
    func testAFileNamedCairnYamlInsideAnOutputDirectoryIsNotAPipeline() throws {
        let repo = try makeRepo()
        try repo.write("cairn.yaml", """
            stages:
              gen:
                cmd: mkdir -p out && echo 'stages- [broken' > out/cairn.yaml && echo x > out/f
                outs: [out]
            """)
        try repo.repro().assertSuccess()
        XCTAssertEqual(try repo.readText(".gitignore"), "/out\n")
        try repo.repro().assertSuccess().assertStdout(contains: "no stage needed to run")
        try repo.cairn("status").assertSuccess()
        try repo.cairn("dag").assertSuccess()
    }
}

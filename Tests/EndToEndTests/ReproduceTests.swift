import Foundation
import XCTest

/// Issue 11, item 4: `cairn reproduce REV [TARGET…]` re-runs REV's pipeline in a temporary worktree and compares
/// every output with REV's cairn.lock.
final class ReproduceTests: EndToEndTestCase {
    /// upper (tracked in.txt → up.txt) → count (up.txt → n.txt); with `clock`, a stage that writes the time, and
    /// `stamp`, downstream of it but reading only its size (always the same), so it reproduces anyway.
    func writePipeline(_ repo: TempRepo, clock: Bool) throws {
        try repo.write("in.txt", "hello\n")
        try repo.cairn("add", "in.txt").assertSuccess()
        var yaml = """
            stages:
              upper:
                cmd: tr a-z A-Z < in.txt > up.txt
                deps: [in.txt]
                outs: [up.txt]
              count:
                cmd: wc -c < up.txt | tr -d ' ' > n.txt
                deps: [up.txt]
                outs: [n.txt]

            """
        if clock {
            yaml += """
                  clock:
                    cmd: date +%s%N > t.txt
                    outs: [t.txt]
                  stamp:
                    cmd: test -s t.txt && echo present > stamp.txt
                    deps: [t.txt]
                    outs: [stamp.txt]

                """
        }
        try repo.write("cairn.yaml", yaml)
        try repo.repro().assertSuccess()
    }

    func state(_ repo: TempRepo) throws -> (status: String, head: String, index: String) {
        (try repo.git("status", "--porcelain").stdout, try repo.git("rev-parse", "HEAD").stdout,
         try repo.git("ls-files", "-s").stdout)
    }

    func worktrees(_ repo: TempRepo) throws -> [String] {
        try repo.git("worktree", "list", "--porcelain").stdoutLines.filter { $0.hasPrefix("worktree ") }
    }

    func testDeterministicPipelineReproducesAndLeavesTheWorkTreeAlone() throws {
        let repo = try makeRepo()
        try writePipeline(repo, clock: false)
        try repo.commitEverything("pipeline")
        // An uncommitted change must stay exactly as it is.
        try repo.write("in.txt", "changed, not committed\n")
        try repo.write("notes.txt", "untracked\n")
        let before = try state(repo)
        let result = try repo.cairn("reproduce", "HEAD").assertSuccess()
        result.assertStdout(contains: "Stage 'upper': reproduced", "Stage 'count': reproduced", "reproduced: every output is identical")
        let after = try state(repo)
        XCTAssertEqual(after.status, before.status, result.transcript)
        XCTAssertEqual(after.head, before.head)
        XCTAssertEqual(after.index, before.index)
        XCTAssertEqual(try repo.readText("in.txt"), "changed, not committed\n")
        XCTAssertEqual(try worktrees(repo).count, 1, "the temporary worktree is removed")
        XCTAssertFalse(repo.exists(".git/worktrees"))
        XCTAssertFalse(repo.exists(".git/cairn-reproduce"))
        XCTAssertEqual(repo.files(under: ".cairn/cache/worktrees"), [], "the worktree no longer counts as a cache user")
        XCTAssertTrue(try repo.git("branch", "--list").stdoutLines.allSatisfy { !$0.contains("cairn-worktree") })
    }

    func testATimeWritingStageDivergesAndItsDownstreamStillReproduces() throws {
        let repo = try makeRepo()
        try writePipeline(repo, clock: true)
        try repo.commitEverything("pipeline")
        let runCacheBefore = repo.files(under: ".cairn/cache/runs").sorted()
        let result = try repo.cairn("reproduce", "HEAD")
        XCTAssertEqual(result.exitCode, 1, result.transcript)
        // The diverged re-run is not recorded in the run-cache: a later repro must not restore it.
        XCTAssertEqual(repo.files(under: ".cairn/cache/runs").sorted(), runCacheBefore)
        result.assertStdout(contains: "Stage 'clock': diverged", "t.txt: size", "Stage 'upper': reproduced",
                            "Stage 'stamp': reproduced (from the diverged outputs of 'clock')", "NOT reproduced",
                            "1 diverged")
        // The recorded time is shown against the new one.
        XCTAssertTrue(result.stdoutLines.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("-1") }, result.transcript)
        XCTAssertEqual(try worktrees(repo).count, 1)
    }

    func testAnOlderCommitIsReproducedWithItsOwnPipeline() throws {
        let repo = try makeRepo()
        try writePipeline(repo, clock: false)
        try repo.commitEverything("v1")
        // The pipeline changes: a stage becomes non-deterministic.
        try repo.write("cairn.yaml", try repo.readText("cairn.yaml").replacingOccurrences(
            of: "tr a-z A-Z < in.txt > up.txt", with: "date +%s%N > up.txt"))
        try repo.repro().assertSuccess()
        try repo.commitEverything("v2")
        let old = try repo.cairn("reproduce", "HEAD~1").assertSuccess()
        old.assertStdout(contains: "Stage 'upper': reproduced", "Stage 'count': reproduced")
        let new = try repo.cairn("reproduce", "HEAD")
        XCTAssertEqual(new.exitCode, 1, new.transcript)
        new.assertStdout(contains: "Stage 'upper': diverged", "up.txt")
    }

    func testMissingInputIsReportedBeforeAnythingRuns() throws {
        let repo = try makeRepo()
        try writePipeline(repo, clock: false)
        try repo.write("cairn.yaml", try repo.readText("cairn.yaml").replacingOccurrences(
            of: "cmd: tr a-z A-Z", with: "cmd: touch \"$CAIRN_ROOT/../ran\" && tr a-z A-Z"))
        try repo.repro().assertSuccess()
        try repo.commitEverything("pipeline")
        try FileManager.default.removeItem(atPath: repo.base + "/ran")
        try FileManager.default.removeItem(atPath: repo.path(".cairn/cache"))
        let result = try repo.cairn("reproduce", "HEAD")
        XCTAssertEqual(result.exitCode, 1, result.transcript)
        result.assertStdout(contains: "in.txt (input of stage 'upper')", "nothing was run")
        XCTAssertFalse(FileManager.default.fileExists(atPath: repo.base + "/ran"), "no stage ran\n" + result.transcript)
        XCTAssertEqual(try worktrees(repo).count, 1)
    }

    func testAFreshCloneFetchesTheInputsFromTheRemote() throws {
        let repo = try makeRepo()
        let remote = repo.base + "/remote"
        try FileManager.default.createDirectory(atPath: remote, withIntermediateDirectories: true)
        try repo.cairn("remote", "add", "-d", "origin", remote).assertSuccess()
        try writePipeline(repo, clock: false)
        try repo.cairn("push").assertSuccess()
        try repo.commitEverything("pipeline")
        let clone = try gitClone(repo)
        XCTAssertFalse(clone.exists("in.txt"))
        let result = try clone.cairn("reproduce", "HEAD").assertSuccess()
        result.assertStdout(contains: "Stage 'upper': reproduced", "Stage 'count': reproduced")
        XCTAssertFalse(clone.exists("in.txt"), "the clone's own work tree is not checked out")
        XCTAssertEqual(try clone.git("status", "--porcelain").stdout, "")
    }

    func testJSONReport() throws {
        let repo = try makeRepo()
        try writePipeline(repo, clock: true)
        try repo.commitEverything("pipeline")
        let result = try repo.cairn("reproduce", "HEAD", "--json", "-j", "1")
        XCTAssertEqual(result.exitCode, 1, result.transcript)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let stages = try XCTUnwrap(object?["stages"] as? [[String: Any]], result.transcript)
        let byName = Dictionary(uniqueKeysWithValues: stages.map { ($0["stage"] as? String ?? "", $0) })
        XCTAssertEqual(byName["upper"]?["status"] as? String, "reproduced")
        XCTAssertEqual(byName["clock"]?["status"] as? String, "diverged")
        XCTAssertEqual(byName["stamp"]?["status"] as? String, "reproduced")
        XCTAssertEqual(byName["stamp"]?["divergedUpstream"] as? [String], ["clock"])
        let outputs = try XCTUnwrap(byName["clock"]?["outputs"] as? [[String: Any]])
        XCTAssertEqual(outputs.first?["path"] as? String, "t.txt")
        XCTAssertEqual(outputs.first?["identical"] as? Bool, false)
        XCTAssertNotEqual(outputs.first?["oldID"] as? String, outputs.first?["newID"] as? String)
        XCTAssertEqual(object?["commit"] as? String, try repo.git("rev-parse", "HEAD").stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func testKeepLeavesTheWorktreeAndTargetsSelectStages() throws {
        let repo = try makeRepo()
        try writePipeline(repo, clock: true)
        try repo.commitEverything("pipeline")
        let result = try repo.cairn("reproduce", "HEAD", "count", "--keep").assertSuccess()
        result.assertStdout(contains: "Stage 'upper': reproduced", "Stage 'count': reproduced", "Worktree kept at ")
        result.assertStdout(lacks: "clock")
        let listed = try worktrees(repo)
        XCTAssertEqual(listed.count, 2, listed.description)
        let kept = try XCTUnwrap(result.stdoutLines.first { $0.hasPrefix("Worktree kept at ") }).dropFirst("Worktree kept at ".count)
        XCTAssertEqual(try String(contentsOfFile: kept + "/n.txt", encoding: .utf8), "6\n")
        XCTAssertEqual(try repo.git("status", "--porcelain").stdout, "")
        try repo.git("worktree", "remove", "--force", String(kept)).assertSuccess()
    }

    func testAMissingToolIsReportedAsSuch() throws {
        let repo = try makeRepo()
        try writePipeline(repo, clock: false)
        try repo.commitEverything("pipeline")
        try repo.write("cairn.yaml", try repo.readText("cairn.yaml").replacingOccurrences(
            of: "cmd: wc -c < up.txt", with: "cmd: no-such-tool-xyz < up.txt || exit 127; wc -c < up.txt"))
        try repo.cairn("repro", "-f").assertNoCrash()
        // Committed with a lock from the working version, then the tool goes missing: simulate with a commit whose
        // command calls a tool that does not exist.
        try repo.commitEverything("missing tool")
        let result = try repo.cairn("reproduce", "HEAD")
        XCTAssertEqual(result.exitCode, 1, result.transcript)
        result.assertStdout(contains: "Stage 'count': could not run: missing tool (command exited with 127)", "Stage 'upper': reproduced")
        // A failing command is not a missing tool; its downstream is named as blocked.
        try repo.write("cairn.yaml", try repo.readText("cairn.yaml").replacingOccurrences(
            of: "cmd: tr a-z A-Z < in.txt > up.txt", with: "cmd: exit 3"))
        try repo.commitEverything("failing command")
        let failing = try repo.cairn("reproduce", "HEAD")
        XCTAssertEqual(failing.exitCode, 1, failing.transcript)
        failing.assertStdout(contains: "Stage 'upper': could not run: command failed with exit 3: exit 3",
                             "Stage 'count': could not run: upstream stage 'upper' could not run", "2 could not run")
    }
}

/// Directories, -r, Ctrl-C.
final class ReproduceMoreTests: EndToEndTestCase {
    func worktreeCount(_ repo: TempRepo) throws -> Int {
        try repo.git("worktree", "list", "--porcelain").stdoutLines.filter { $0.hasPrefix("worktree ") }.count
    }

    func testADivergedDirectoryNamesTheFilesThatDiffer() throws {
        let repo = try makeRepo()
        try repo.write("cairn.yaml", """
            stages:
              split:
                cmd: mkdir -p parts && echo same > parts/a.txt && date +%s%N > parts/b.txt && echo removed > parts/c.txt
                outs: [parts]
            """)
        try repo.repro().assertSuccess()
        try repo.commitEverything("pipeline")
        // At HEAD the stage no longer writes c.txt and writes a new d.txt: removed, added and changed files.
        try repo.write("cairn.yaml", try repo.readText("cairn.yaml").replacingOccurrences(
            of: "echo removed > parts/c.txt", with: "echo new > parts/d.txt"))
        try repo.write("cairn.lock", try repo.readText("cairn.lock").replacingOccurrences(
            of: "echo removed > parts/c.txt", with: "echo new > parts/d.txt"))
        try repo.commitEverything("changed command, old lock")
        let result = try repo.cairn("reproduce", "HEAD")
        XCTAssertEqual(result.exitCode, 1, result.transcript)
        result.assertStdout(contains: "Stage 'split': diverged", "parts: size", "added: d.txt", "removed: c.txt", "changed: b.txt")
    }

    func testRemoteOptionFetchesFromTheNamedRemote() throws {
        let repo = try makeRepo()
        let store = repo.base + "/store"
        try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: true)
        try repo.cairn("remote", "add", "store", store).assertSuccess()
        try repo.write("in.txt", "data\n")
        try repo.cairn("add", "in.txt").assertSuccess()
        try repo.write("cairn.yaml", """
            stages:
              copy:
                cmd: cp in.txt out.txt
                deps: [in.txt]
                outs: [out.txt]
            """)
        try repo.repro().assertSuccess()
        try repo.cairn("push", "-r", "store").assertSuccess()
        try repo.commitEverything("pipeline")
        try FileManager.default.removeItem(atPath: repo.path(".cairn/cache"))
        // No default remote: the input is missing.
        let without = try repo.cairn("reproduce", "HEAD")
        XCTAssertEqual(without.exitCode, 1, without.transcript)
        without.assertStdout(contains: "in.txt (input of stage 'copy')")
        try repo.cairn("reproduce", "HEAD", "-r", "store").assertSuccess().assertStdout(contains: "Stage 'copy': reproduced")
        try repo.cairn("reproduce", "HEAD", "-r", "nowhere").assertError(containing: "nowhere")
        XCTAssertEqual(try worktreeCount(repo), 1)
    }

    func testCtrlCRemovesTheWorktree() throws {
        let repo = try makeRepo()
        let started = repo.base + "/started"
        try repo.write("cairn.yaml", """
            stages:
              slow:
                cmd: touch \(started) && exec sleep 30
                outs: [never.txt]
            """)
        try repo.commitEverything("pipeline")
        let running = try repo.startCairn("reproduce", "HEAD", "-j", "1")
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: started) && Date() < deadline { usleep(50_000) }
        XCTAssertEqual(try worktreeCount(repo), 2)
        // What a terminal's Ctrl-C does: SIGINT to cairn and to the command it runs.
        kill(running.pid, SIGINT)
        // The command is a child of whichever thread started it.
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(running.pid)/task")) ?? []
        for task in tasks {
            let children = (try? String(contentsOfFile: "/proc/\(running.pid)/task/\(task)/children", encoding: .utf8)) ?? ""
            for child in children.split(separator: " ").compactMap({ Int32($0) }) { kill(child, SIGINT) }
        }
        let result = try XCTUnwrap(running.wait(timeout: 20))
        XCTAssertEqual(result.exitCode, 1, result.transcript)
        result.assertStderr(contains: "interrupted")
        XCTAssertEqual(try worktreeCount(repo), 1, result.transcript)
        XCTAssertFalse(repo.exists(".git/cairn-reproduce"))
    }

    func testAFrozenStageIsNotRerunAndItsRecordedOutputsFeedItsDownstream() throws {
        let repo = try makeRepo()
        try repo.write("cairn.yaml", """
            stages:
              fetch:
                cmd: date +%s%N > raw.txt
                outs: [raw.txt]
              digest:
                cmd: wc -c < raw.txt | tr -d ' ' > size.txt
                deps: [raw.txt]
                outs: [size.txt]
            """)
        try repo.repro().assertSuccess()
        try repo.write("cairn.yaml", try repo.readText("cairn.yaml").replacingOccurrences(
            of: "    outs: [raw.txt]", with: "    outs: [raw.txt]\n    frozen: true"))
        try repo.commitEverything("frozen fetch")
        let result = try repo.cairn("reproduce", "HEAD").assertSuccess()
        result.assertStdout(contains: "Stage 'fetch': frozen at HEAD: not re-run", "Stage 'digest': reproduced", "1 frozen")
    }
}

import Foundation
import XCTest

/// Issue 11, items 1 and 3: experiments as commits on refs/exps/ — run in the work tree, queued and run in
/// temporary worktrees, applied, branched, removed, pushed to and pulled from a teammate.
final class ExperimentTests: EndToEndTestCase {
    /// prep (tracked data.txt → prep.out) → train (prep.out + params → model.txt, metrics.json kept out of the
    /// cache). acc = lr × epochs, so every experiment's metric is known in advance.
    func writePipeline(_ repo: TempRepo) throws {
        try repo.write("data.txt", "some data\n")
        try repo.cairn("add", "data.txt").assertSuccess()
        try repo.write("params.yaml", "# training\ntrain:\n  lr: 0.1  # learning rate\n  epochs: 3\n")
        try repo.write("cairn.yaml", """
            stages:
              prep:
                cmd: \(TempRepo.logRun("prep")) && tr a-z A-Z < data.txt > prep.out
                deps: [data.txt]
                outs: [prep.out]
              train:
                cmd: >-
                  \(TempRepo.logRun("train")) && test ${train.epochs} -gt 0 &&
                  awk 'BEGIN { printf "{\\"acc\\": %g}\\n", ${train.lr} * ${train.epochs} }' > metrics.json &&
                  (cat prep.out; echo lr=${train.lr} epochs=${train.epochs}) > model.txt
                deps: [prep.out]
                params: [train.lr, train.epochs]
                outs: [model.txt]
                metrics:
                  - metrics.json:
                      cache: false
            """)
        try repo.repro().assertSuccess()
        try repo.commitEverything("pipeline")
        _ = repo.takeRuns()
    }

    func refs(_ repo: TempRepo) throws -> [String] {
        try repo.git("for-each-ref", "--format=%(refname)", "refs/exps/").stdoutLines
    }

    func reference(_ repo: TempRepo, _ name: String) throws -> String {
        let all = try refs(repo)
        let found = all.filter { $0.hasSuffix("/" + name) }
        XCTAssertEqual(found.count, 1, "refs: \(all)")
        return found.first ?? "missing"
    }

    func show(_ repo: TempRepo, _ name: String, _ path: String) throws -> String {
        try repo.git("show", "\(try reference(repo, name)):\(path)").stdout
    }

    func gitState(_ repo: TempRepo) throws -> [String] {
        [try repo.git("rev-parse", "HEAD").stdout, try repo.git("symbolic-ref", "HEAD").stdout,
         try repo.git("ls-files", "-s").stdout, try repo.git("diff", "--cached", "--name-only").stdout]
    }

    func testRunInTheWorkTreeSavesACommitWithoutMovingHeadIndexOrBranch() throws {
        let repo = try makeRepo()
        try writePipeline(repo)
        let before = try gitState(repo)
        let head = try repo.git("rev-parse", "HEAD").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let run = try repo.cairn("exp", "run", "-S", "train.lr=0.2", "-n", "lr2").assertSuccess()
        run.assertStdout(contains: "Experiment lr2 saved")
        XCTAssertEqual(try gitState(repo), before, "HEAD, branch or index moved\n\(run.transcript)")
        XCTAssertEqual(repo.takeRuns(), ["train"], "only the stage whose params changed runs")
        // The commit: parent = baseline, the edited params (comment kept), the lock and the metrics.
        let ref = try reference(repo, "lr2")
        XCTAssertTrue(ref.hasPrefix("refs/exps/\(head.prefix(2))/\(head.dropFirst(2))/"), ref)
        XCTAssertEqual(try repo.git("rev-parse", ref + "^").stdout.trimmingCharacters(in: .whitespacesAndNewlines), head)
        XCTAssertEqual(try show(repo, "lr2", "params.yaml"), "# training\ntrain:\n  lr: 0.2  # learning rate\n  epochs: 3\n")
        XCTAssertEqual(try show(repo, "lr2", "metrics.json"), "{\"acc\": 0.6}\n")
        XCTAssertTrue(try show(repo, "lr2", "cairn.lock").contains("train.lr: 0.2"))
        // The work tree keeps the experiment (as DVC's does).
        XCTAssertEqual(try repo.readText("metrics.json"), "{\"acc\": 0.6}\n")
        // The name is a revision everywhere.
        try repo.cairn("metrics", "diff", "HEAD", "lr2").assertSuccess().assertStdout(contains: "0.3", "0.6")
        // Refs survive git gc.
        try repo.git("gc", "-q", "--prune=now").assertSuccess()
        try repo.git("cat-file", "-e", ref + ":metrics.json").assertSuccess()
        XCTAssertEqual(try refs(repo), [ref])
    }

    func testBadSetParamChangesNothingAndRecordsNothing() throws {
        let repo = try makeRepo()
        try writePipeline(repo)
        try repo.cairn("exp", "run", "-S", "train.lrr=0.2").assertError(containing: ["params.yaml", "no parameter 'train.lrr'"])
        try repo.cairn("exp", "run", "-S", "other.yaml:a=1").assertError(containing: "other.yaml: no such params file")
        try repo.cairn("exp", "run", "-S", "train.lr").assertError(containing: "KEY=VALUE")
        try repo.cairn("exp", "run", "-n", "a b", "-S", "train.lr=1").assertError(containing: "invalid experiment name 'a b'")
        XCTAssertEqual(try repo.git("status", "--porcelain").stdout, "")
        XCTAssertEqual(try refs(repo), [])
        XCTAssertEqual(repo.takeRuns(), [])
        // A name in use is refused before anything runs.
        try repo.cairn("exp", "run", "--queue", "-n", "x", "-S", "train.lr=1").assertSuccess()
        try repo.cairn("exp", "run", "--queue", "-n", "x", "-S", "train.lr=2").assertError(containing: "'x' already exists")
    }

    func testQueuedExperimentsRunInParallelWorktreesAndLeaveTheWorkTreeAlone() throws {
        let repo = try makeRepo()
        try writePipeline(repo)
        for (name, lr) in [("q1", "0.5"), ("q2", "1"), ("q3", "2")] {
            try repo.cairn("exp", "run", "--queue", "-n", name, "-S", "train.lr=\(lr)").assertSuccess()
                .assertStdout(contains: "Queued experiment \(name)")
        }
        XCTAssertEqual(repo.takeRuns(), [], "--queue runs nothing")
        let list = try repo.cairn("exp", "list").assertSuccess()
        XCTAssertEqual(list.stdoutLines.filter { $0.contains("queued") }.count, 3, list.transcript)
        let before = try gitState(repo)
        let run = try repo.cairn("exp", "run", "--run-all", "-j", "2").assertSuccess()
        run.assertStdout(contains: "Experiment q1: done", "Experiment q2: done", "Experiment q3: done")
        XCTAssertEqual(try gitState(repo), before)
        XCTAssertEqual(try repo.git("status", "--porcelain").stdout, "", "the work tree is not touched")
        XCTAssertEqual(repo.takeRuns(), [], "nothing ran in the work tree")
        // Each worktree's stage logged next to the worktree: only train ran, prep's output came from the cache.
        let worktreeRuns = try repo.readText(".git/cairn-exp/runs.log").split(separator: "\n")
        XCTAssertEqual(worktreeRuns, ["train", "train", "train"])
        XCTAssertEqual(try show(repo, "q1", "metrics.json"), "{\"acc\": 1.5}\n")
        XCTAssertEqual(try show(repo, "q3", "metrics.json"), "{\"acc\": 6}\n")
        XCTAssertEqual(try repo.git("worktree", "list").stdoutLines.count, 1, "temporary worktrees are removed")
        let json = try repo.cairn("exp", "list", "--json").assertSuccess().stdout
        XCTAssertEqual(json.components(separatedBy: "\"state\":\"done\"").count - 1, 3, json)
        try repo.cairn("exp", "run", "--run-all").assertSuccess().assertStdout(contains: "No queued experiments")
    }

    func testTempRunsInAWorktree() throws {
        let repo = try makeRepo()
        try writePipeline(repo)
        try repo.cairn("exp", "run", "--temp", "-n", "t", "-S", "train.epochs=10").assertSuccess()
            .assertStdout(contains: "Experiment t saved")
        XCTAssertEqual(try repo.git("status", "--porcelain").stdout, "")
        XCTAssertEqual(try show(repo, "t", "metrics.json"), "{\"acc\": 1}\n")
    }

    func testAFailingQueuedExperimentIsRecordedAsFailed() throws {
        let repo = try makeRepo()
        try writePipeline(repo)
        try repo.cairn("exp", "run", "--queue", "-n", "bad", "-S", "train.epochs=0").assertSuccess()
        try repo.cairn("exp", "run", "--queue", "-n", "good", "-S", "train.epochs=1").assertSuccess()
        let run = try repo.cairn("exp", "run", "--run-all", "-j", "2")
        XCTAssertEqual(run.exitCode, 1, run.transcript)
        run.assertStdout(contains: "Experiment good: done", "Experiment bad: failed")
        let list = try repo.cairn("exp", "list").assertSuccess()
        XCTAssertTrue(list.stdout.contains("bad  failed"), list.transcript)
        XCTAssertTrue(try show(repo, "bad", "params.yaml").contains("epochs: 0"), "a failed experiment keeps its params")
        try repo.cairn("exp", "apply", "bad").assertError(containing: "only a finished experiment can be applied")
    }

    func testApplyRefusesUncommittedChangesUntilForced() throws {
        let repo = try makeRepo()
        try writePipeline(repo)
        try repo.cairn("exp", "run", "--queue", "-n", "big", "-S", "train.lr=3").assertSuccess()
        try repo.cairn("exp", "run", "--run-all").assertSuccess()
        try repo.write("params.yaml", "# my own edit\ntrain:\n  lr: 9\n  epochs: 3\n")
        let refused = try repo.cairn("exp", "apply", "big")
        refused.assertError(containing: ["params.yaml", "uncommitted changes", "cairn exp apply --force big"])
        XCTAssertTrue(try repo.readText("params.yaml").contains("my own edit"))
        // The hint, as typed.
        try repo.cairn("exp", "apply", "--force", "big").assertSuccess().assertStdout(contains: "Applied experiment big")
        XCTAssertTrue(try repo.readText("params.yaml").contains("lr: 3"))
        XCTAssertEqual(try repo.readText("metrics.json"), "{\"acc\": 9}\n")
        XCTAssertEqual(try repo.readText("model.txt"), "SOME DATA\nlr=3 epochs=3\n", "the output comes from the cache")
        try repo.cairn("status").assertSuccess()
        XCTAssertEqual(repo.takeRuns(), [], "apply runs nothing")
        // Clean work tree: apply needs no --force.
        try repo.commitEverything("keep big")
        try repo.cairn("exp", "run", "--queue", "-n", "small", "-S", "train.lr=0.01").assertSuccess()
        try repo.cairn("exp", "run", "--run-all").assertSuccess()
        try repo.cairn("exp", "apply", "small").assertSuccess()
        XCTAssertEqual(try repo.readText("model.txt"), "SOME DATA\nlr=0.01 epochs=3\n")
    }

    func testBranchListAndRemove() throws {
        let repo = try makeRepo()
        try writePipeline(repo)
        try repo.cairn("exp", "run", "--temp", "-n", "e1", "-S", "train.lr=2").assertSuccess()
        try repo.cairn("exp", "run", "--queue", "-n", "e2", "-S", "train.lr=3").assertSuccess()
        try repo.cairn("exp", "run", "--queue", "-n", "e3", "-S", "train.lr=4").assertSuccess()
        try repo.cairn("exp", "branch", "e1", "try-lr2").assertSuccess()
        XCTAssertEqual(try repo.git("rev-parse", "try-lr2").stdout, try repo.git("rev-parse", try reference(repo, "e1")).stdout)
        try repo.cairn("exp", "branch", "e1", "try-lr2").assertError(containing: "already exists")
        try repo.cairn("exp", "branch", "e2", "x").assertError(containing: "is queued")
        XCTAssertEqual(try repo.cairn("exp", "list", "--name-only").assertSuccess().stdoutLines, ["e1", "e2", "e3"])
        try repo.cairn("exp", "remove", "nope").assertError(containing: "no experiment named 'nope'")
        try repo.cairn("exp", "remove", "--queued").assertSuccess().assertStdout(contains: "e2", "e3")
        XCTAssertEqual(try repo.cairn("exp", "list", "--name-only").assertSuccess().stdoutLines, ["e1"])
        try repo.cairn("exp", "remove", "e1").assertSuccess()
        XCTAssertEqual(try refs(repo), [])
        XCTAssertEqual(try repo.git("rev-parse", "try-lr2").exitCode, 0, "the branch stays")
        try repo.cairn("exp", "remove").assertUsageError()
    }

    func testGcKeepsExperimentDataUnlessTold() throws {
        let repo = try makeRepo()
        try writePipeline(repo)
        try repo.cairn("exp", "run", "--temp", "-n", "keep", "-S", "train.lr=7").assertSuccess()
        try repo.cairn("gc").assertSuccess()
        try repo.cairn("gc", "--all-experiments").assertSuccess()
        try repo.cairn("exp", "apply", "keep").assertSuccess()
        XCTAssertEqual(try repo.readText("model.txt"), "SOME DATA\nlr=7 epochs=3\n")
        try repo.git("checkout", "--", ".").assertSuccess()
        try repo.cairn("checkout").assertSuccess()
        try repo.cairn("gc", "--no-all-experiments").assertSuccess()
        let applied = try repo.cairn("exp", "apply", "keep").assertSuccess()
        applied.assertStderr(contains: "model.txt")
    }

    /// A bare origin and a clone of it with the pipeline committed and run: its commit pushed to Git, its data to
    /// the cairn remote, ready for a teammate to clone.
    func teamWithPipeline() throws -> (repo: TempRepo, bare: String) {
        let (repo, bare) = try teamOrigin()
        try writePipeline(repo)
        try repo.git("push", "-q", "origin", "HEAD:main").assertSuccess()
        try repo.cairn("push").assertSuccess()
        return (repo, bare)
    }

    func testATeammatePullsWhatWasPushed() throws {
        let (repo, bare) = try teamWithPipeline()
        try repo.cairn("exp", "run", "--temp", "-n", "shared", "-S", "train.lr=4").assertSuccess()
        try repo.cairn("exp", "run", "--queue", "-n", "local-only", "-S", "train.lr=5").assertSuccess()
        try repo.cairn("exp", "push", "origin", "shared").assertSuccess().assertStdout(contains: "Pushed 1 experiment")
        XCTAssertEqual(try repo.git("ls-remote", "origin", "refs/exps/*").stdoutLines.count, 1)

        let mate = try cloneOf(bare)
        try mate.cairn("exp", "pull", "origin", "nope").assertError(containing: "has no experiment named 'nope'")
        try mate.cairn("exp", "pull", "origin", "shared").assertSuccess().assertStdout(contains: "Pulled 1 experiment")
        func entries(_ r: TempRepo) throws -> [NSDictionary] {
            let text = try r.cairn("exp", "list", "--json").assertSuccess().stdout
            return try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [NSDictionary] ?? []
        }
        XCTAssertEqual(try entries(mate), try entries(repo).filter { $0["name"] as? String == "shared" },
                       "the teammate sees the same experiment: same commit, params, state and time")
        try mate.cairn("pull").assertSuccess()
        try mate.cairn("exp", "apply", "shared").assertSuccess()
        XCTAssertEqual(try mate.readText("model.txt"), "SOME DATA\nlr=4 epochs=3\n", "the data came from the cairn remote")
        XCTAssertEqual(try mate.readText("metrics.json"), "{\"acc\": 12}\n")
    }

    /// Item 6: an experiment's output has lineage (its run, params and inputs), and downstream queries list
    /// experiments' runs, marked as such.
    func testLineageOfExperiments() throws {
        let repo = try makeRepo()
        try writePipeline(repo)
        try repo.cairn("exp", "run", "--temp", "-n", "deep", "-S", "train.epochs=8").assertSuccess()
        let upstream = try repo.cairn("lineage", "model.txt", "--rev", "deep").assertSuccess()
        upstream.assertStdout(contains: "train in experiment deep (", "train.epochs=8", "prep.out")
        let downstream = try repo.cairn("lineage", "prep.out", "--downstream").assertSuccess()
        downstream.assertStdout(contains: "experiment deep (")
        let json = try repo.cairn("lineage", "model.txt", "--rev", "deep", "--json").assertSuccess().stdout
        XCTAssertTrue(json.contains("\"experiments\":{"), json)
        XCTAssertTrue(json.contains(":\"deep\""), json)
    }

    /// A stranger's experiment (pulled, or written by another tool) is hostile input: a tree path into .cairn is
    /// refused before anything is written, and refs under refs/exps/ that are not experiments are ignored.
    func testHostileExperimentCommitsAreRefused() throws {
        let repo = try makeRepo()
        try writePipeline(repo)
        let head = try repo.git("rev-parse", "HEAD").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let config = try repo.readText(".cairn/config")
        let script = """
            set -e
            export GIT_INDEX_FILE=.git/hostile-index
            git read-tree HEAD
            blob=$(printf '[core]\\n  evil = 1\\n' | git hash-object -w --stdin)
            git update-index --add --cacheinfo 100644,$blob,.cairn/config
            tree=$(git write-tree)
            msg=$(printf 'x\\n\\ncairn-exp-name: evil\\ncairn-exp-state: done\\ncairn-exp-baseline: \(head)\\n')
            sha=$(git commit-tree $tree -p HEAD -m "$msg")
            git update-ref refs/exps/\(head.prefix(2))/\(head.dropFirst(2))/evil $sha
            git update-ref refs/exps/exec/EXEC_HEAD $sha
            rm -f .git/hostile-index
            """
        try repo.shell(script).assertSuccess()
        XCTAssertEqual(try repo.cairn("exp", "list", "-A", "--name-only").assertSuccess().stdoutLines, ["evil"])
        try repo.cairn("exp", "apply", "evil").assertError(containing: ["experiment evil", ".cairn", "nothing was applied"])
        XCTAssertEqual(try repo.readText(".cairn/config"), config)
    }

    /// Ctrl-C while queued experiments run: the workers stop their stages, remove their worktrees and leave the
    /// experiments queued. The signal is sent once the stage has provably started (it writes a marker first).
    func testInterruptedRunAllLeavesExperimentsQueuedAndNoWorktree() throws {
        let repo = try makeRepo()
        try writePipeline(repo)
        try repo.write("cairn.yaml", try repo.readText("cairn.yaml") + "\n" + """
              slow:
                cmd: touch "$CAIRN_ROOT/../started"; if [ ${train.lr} = 5 ]; then sleep 30; fi; echo ${train.lr} > slow.txt
                params: [train.lr]
                outs: [slow.txt]

            """)
        try repo.repro("slow").assertSuccess()
        try repo.commitEverything("slow stage")
        try repo.cairn("exp", "run", "--queue", "-n", "cut", "-S", "train.lr=5").assertSuccess()
        let script = """
            setsid "\(CairnBinary.path)" exp run --run-all > run.log 2>&1 &
            pid=$!
            i=0; while [ ! -f .git/cairn-exp/started ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
            [ -f .git/cairn-exp/started ] || { echo "stage never started"; exit 3; }
            kill -INT -$pid
            wait $pid; echo "exit=$?"
            """
        let result = try repo.shell(script).assertSuccess()
        let log = try repo.readText("run.log")
        XCTAssertTrue(result.stdout.contains("exit=1"), result.transcript + log)
        XCTAssertTrue(log.contains("interrupted"), log)
        let list = try repo.cairn("exp", "list").assertSuccess()
        XCTAssertTrue(list.stdout.contains("cut  queued"), list.transcript)
        let worktrees = try repo.git("worktree", "list").stdoutLines
        XCTAssertEqual(worktrees.count, 1, "\(worktrees)")
        XCTAssertFalse(repo.files(under: ".git/cairn-exp").contains { $0.hasPrefix("exp-") })
    }
}

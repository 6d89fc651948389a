import Basics
import Foundation
@testable import Lineage
import XCTest
import Workspace
@testable import Pipeline

final class RunLineageTests: RunRepositoryTestCase {
    private func id(_ text: String) -> ObjectID { ObjectID.of(Array(text.utf8)) }

    private func lockedStage(model: String, data: String = "data v1", lr: Double = 0.1) -> LockedStage {
        LockedStage(cmd: .list([.string("python train.py"), .string("touch done")]),
                    deps: [LockedPath(path: "data.csv", type: .file, id: id(data), size: 7)],
                    params: ["params.yaml": ParamMap([("lr", .float(lr))])],
                    outs: [LockedPath(path: "model.bin", type: .file, id: id(model), size: 8)])
    }

    private func run(_ stage: LockedStage, lockPath: String = "ml/cairn.lock", name: String = "train",
                     restored: Bool = false) -> PipelineRun {
        let directory = Paths.parent(lockPath)
        return PipelineRun(stage: RunLineage.stageDisplay(lockPath: lockPath, name: name), lockPath: lockPath,
                           command: RunLineage.commandText(stage.cmd), startedAt: 1_700_000_000,
                           finishedAt: 1_700_000_005, succeeded: true, exitCode: restored ? nil : 0,
                           inputs: stage.deps.map { (Paths.join(directory, $0.path), $0.id) },
                           outputs: stage.outs.map { (Paths.join(directory, $0.path), $0.id) },
                           params: stage.params, restoredFromRunCache: restored)
    }

    private func commitLock(_ stages: [String: LockedStage], lockPath: String = "ml/cairn.lock",
                            message: String) throws {
        try write(lockPath, PipelineLockCodec.encode(PipelineLock(stages: stages)))
        try git("add", "-A")
        try git("commit", "-qm", message)
    }

    private func indexer() throws -> LineageIndexer {
        LineageIndexer(repo: repo, store: try LineageIndexer.openStore(repo: repo), runSource: LockRunRecords())
    }

    func testRecordedRunKeepsWhatOnlyTheRunKnows() throws {
        RunLineage.cairnVersion.withLock { $0 = "9.9.9" }
        defer { RunLineage.cairnVersion.withLock { $0 = nil } }
        try write("README", "x")
        try git("add", "-A")
        try git("commit", "-qm", "start")
        try RunLineage.record(run(lockedStage(model: "m1"), restored: true), repo: repo)
        let runs = try LineageIndexer.openStore(repo: repo).allRuns()
        XCTAssertEqual(runs.count, 1)
        let recorded = try XCTUnwrap(runs.first)
        XCTAssertEqual(recorded.stage, "ml/cairn.yaml:train")
        XCTAssertEqual(recorded.command, "python train.py && touch done")
        XCTAssertNil(recorded.commitSha, "pending until its lock entry is committed")
        XCTAssertEqual(recorded.headSha, try repo.git.head()?.sha)
        XCTAssertEqual(recorded.origin, .recorded)
        XCTAssertTrue(recorded.restoredFromRunCache)
        XCTAssertNil(recorded.exitCode)
        XCTAssertEqual(recorded.paramsJSON, #"{"params.yaml":{"lr":0.1}}"#)
        XCTAssertEqual(recorded.cairnVersion, "9.9.9")
        XCTAssertEqual(recorded.os?.hasPrefix("Linux"), true)
        XCTAssertFalse(recorded.machine?.isEmpty ?? true)
        XCTAssertEqual(recorded.inputs, [VersionKey(path: "ml/data.csv", objectID: id("data v1"))])
        XCTAssertEqual(recorded.outputs, [VersionKey(path: "ml/model.bin", objectID: id("m1"))])
    }

    func testCommittedLockBindsTheRecordedRunInsteadOfDuplicatingIt() throws {
        let first = lockedStage(model: "m1")
        try RunLineage.record(run(first), repo: repo)
        // A failed run stays pending forever; it must not be bound to anything.
        var failed = run(lockedStage(model: "m0"))
        failed.succeeded = false
        failed.exitCode = 3
        try RunLineage.record(failed, repo: repo)
        try commitLock(["train": first], message: "train v1")
        let sha = try XCTUnwrap(try repo.git.head()?.sha)
        try indexer().catchUp()
        let store = try LineageIndexer.openStore(repo: repo)
        var runs = try store.allRuns()
        XCTAssertEqual(runs.count, 2, "\(runs)")
        XCTAssertEqual(runs.filter { $0.commitSha == sha }.map(\.origin), [.recorded])
        XCTAssertEqual(runs.filter { $0.commitSha == nil }.map(\.exitCode), [3])

        // The next commit changes another stage only: train gets no new run.
        let prepare = LockedStage(cmd: .string("prep"), outs: [LockedPath(path: "data.csv", type: .file,
                                                                            id: id("data v1"), size: 7)])
        try commitLock(["train": first, "prepare": prepare], message: "prepare")
        try indexer().catchUp()
        runs = try store.allRuns()
        XCTAssertEqual(runs.count, 3)
        XCTAssertEqual(runs.filter { $0.origin == .lock }.map(\.stage), ["ml/cairn.yaml:prepare"])

        // Rebuild: same answers (the recorded run is kept and bound again).
        try indexer().rebuild()
        let rebuilt = try store.allRuns()
        XCTAssertEqual(rebuilt.count, 3, "\(rebuilt)")
        XCTAssertEqual(rebuilt.filter { $0.commitSha == sha }.map(\.origin), [.recorded])
        XCTAssertEqual(Set(rebuilt.map(\.stage)), ["ml/cairn.yaml:train", "ml/cairn.yaml:prepare"])
        // Lineage: the model derives from the data, which derives from the prepare run.
        let model = VersionKey(path: "ml/model.bin", objectID: id("m1"))
        let up = try store.lineage(of: model, downstream: false)
        XCTAssertEqual(up.map(\.from.path), ["ml/data.csv"])
        let down = try store.lineage(of: VersionKey(path: "ml/data.csv", objectID: id("data v1")), downstream: true)
        XCTAssertEqual(down.map(\.to), [model])
    }

    func testRunsComeBackFromLockFilesAloneAcrossBranches() throws {
        try commitLock(["train": lockedStage(model: "m1")], message: "v1")
        try git("switch", "-q", "-c", "side")
        try commitLock(["train": lockedStage(model: "m2", lr: 0.2)], message: "side: lr 0.2")
        try git("switch", "-q", "-")
        try commitLock(["train": lockedStage(model: "m3", data: "data v2")], lockPath: "ml/cairn.lock",
                       message: "main: data v2")
        try indexer().catchUp()
        let store = try LineageIndexer.openStore(repo: repo)
        let runs = try store.allRuns()
        XCTAssertEqual(runs.count, 3)
        XCTAssertTrue(runs.allSatisfy { $0.origin == .lock && $0.commitSha != nil })
        // Every model ever trained from data v1, on any branch.
        let down = try store.lineage(of: VersionKey(path: "ml/data.csv", objectID: id("data v1")), downstream: true)
        XCTAssertEqual(Set(down.map(\.to.objectID)), [id("m1"), id("m2")])
        // Catching up again adds nothing.
        try indexer().rebuild()
        XCTAssertEqual(try store.allRuns().count, 3)
    }

    func testAMalformedLockInHistoryIsSkippedWithAWarning() throws {
        let sink = CollectingDiagnostics()
        Diagnostics.install(sink)
        try write("cairn.lock", "format: 1\nstages: [oops\n")
        try git("add", "-A")
        try git("commit", "-qm", "broken lock")
        try commitLock(["train": lockedStage(model: "m1")], lockPath: "cairn.lock", message: "fixed")
        try indexer().catchUp()
        let runs = try LineageIndexer.openStore(repo: repo).allRuns()
        XCTAssertEqual(runs.map(\.stage), ["train"])
        XCTAssertEqual(sink.messages(.warning).count, 1, "\(sink.messages(.warning))")
        XCTAssertTrue(sink.messages(.warning).first?.contains("skipping cairn.lock in commit") ?? false)
    }

    /// A lineage.db of schema 1 that had already indexed a commit with a lock file: the upgrade re-reads history,
    /// so the lock's run appears.
    func testUpgradeFromSchemaOneReadsRunsOfIndexedHistory() throws {
        try commitLock(["train": lockedStage(model: "m1")], lockPath: "cairn.lock", message: "v1")
        let sha = try XCTUnwrap(try repo.git.head()?.sha)
        let path = repo.dotCairn + "/lineage.db"
        do {
            let old = try Database(path: path)
            try old.migrate(Array(LineageSchema.migrations.prefix(1)), name: "lineage")
            try old.execute("""
                INSERT INTO commits (sha, author_name, author_email, time, subject, indexed)
                VALUES ('\(sha)', 'a', 'a@b', 1, 'v1', 1)
                """)
        }
        let store = try LineageIndexer.openStore(repo: repo)
        XCTAssertEqual(try Database(path: path).userVersion(), 3)
        XCTAssertEqual(try indexer().catchUp(), 1, "marked for re-indexing by the upgrade")
        XCTAssertEqual(try store.allRuns().map(\.commitSha), [sha])
    }

    /// Schema 3 adds the run's environment: runs recorded before keep everything and have none.
    func testUpgradeFromSchemaTwoKeepsRunsWithoutAnEnvironment() throws {
        let path = repo.dotCairn + "/lineage.db"
        do {
            let old = try Database(path: path)
            try old.migrate(Array(LineageSchema.migrations.prefix(2)), name: "lineage")
            try old.execute("""
                INSERT INTO runs (stage, command, started_at, status, params) VALUES ('train', 'python t.py', 5, 'succeeded', '{}')
                """)
        }
        let store = try LineageIndexer.openStore(repo: repo)
        XCTAssertEqual(try Database(path: path).userVersion(), 3)
        let runs = try store.allRuns()
        XCTAssertEqual(runs.map(\.command), ["python t.py"])
        XCTAssertNil(runs.first?.environmentJSON)
        var again = try XCTUnwrap(runs.first)
        again.environmentJSON = "{\"os\":\"Linux\"}"
        try store.recordRun(again)
        XCTAssertEqual(try store.allRuns().map(\.environmentJSON), ["{\"os\":\"Linux\"}"])
    }

    /// A merge takes each entry from one side: it ran nothing, so it adds no run.
    func testAMergeAddsNoRun() throws {
        try commitLock(["train": lockedStage(model: "m1")], message: "base")
        try git("switch", "-q", "-c", "side")
        try commitLock(["train": lockedStage(model: "m2", lr: 0.3)], message: "side")
        try git("switch", "-q", "-")
        try commitLock(["eval": lockedStage(model: "e1")], lockPath: "eval/cairn.lock", message: "main")
        try git("merge", "-q", "--no-edit", "side")
        try indexer().catchUp()
        let runs = try LineageIndexer.openStore(repo: repo).allRuns()
        XCTAssertEqual(runs.count, 3, "\(runs.map { ($0.stage, $0.commitSha ?? "-") })")
    }
}

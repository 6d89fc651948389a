import Basics
import Foundation
import XCTest
@testable import Pipeline
import Workspace

/// Change detection: a stage compared with its cairn.lock entry says exactly why it would run, and nothing when
/// nothing that matters changed.
final class StageEvaluatorTests: PipelineTestCase {
    private var repo: CairnRepository!

    override func setUpWithError() throws {
        try super.setUpWithError()
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        git.arguments = ["init", "-q", root]
        try git.run()
        git.waitUntilExit()
        _ = try RepositoryInit.run(cwd: root)
        repo = try CairnRepository.open(cwd: root, lockMode: .shared, warn: { _ in })
    }

    override func tearDownWithError() throws {
        repo = nil
        try super.tearDownWithError()
    }

    private func evaluator() throws -> StageEvaluator {
        StageEvaluator(root: root, hasher: try DataHasher(repo: repo)) { [repo] in
            OutputStorer.isCached(type: $0.type, id: $0.id, repo: repo!)
        }
    }

    /// The lock entry a successful run would write now (outs not stored: only ids).
    private func lockEntry(_ stage: Stage, _ evaluator: StageEvaluator) throws -> LockedStage {
        let inputs = try evaluator.inputs(of: stage, lockDirectory: "")
        let outs = try stage.outs.map { try XCTUnwrap(try evaluator.identify($0.path.repoPath, lockDirectory: "")) }
        return LockedStage(cmd: stage.cmd, deps: inputs.deps, params: inputs.params, outs: outs)
    }

    private let yaml = """
        stages:
          train:
            cmd: python train.py
            deps: [data.csv, src]
            params: [lr, model.layers]
            outs: [model.bin]
        """

    /// A params value put into the command by `${…}` is recorded as a param, and its change is named before the
    /// command change it causes (DVC reports only the new command line).
    func testInterpolatedParamIsNamedAsTheCause() throws {
        try write("params.yaml", "train:\n  smoothing: 1\n")
        let text = "stages:\n  train:\n    cmd: echo ${train.smoothing} > out.txt\n    outs: [out.txt]\n"
        try write("out.txt", "1\n")
        let e = try evaluator()
        let locked = try lockEntry(try XCTUnwrap(try parse(text).stage(named: "train")), e)
        XCTAssertEqual(locked.params["params.yaml"]?["train.smoothing"], .int(1))
        try write("params.yaml", "train:\n  smoothing: 500\n")
        let changes = try e.evaluate(try XCTUnwrap(try parse(text).stage(named: "train")), locked: locked, lockDirectory: "").changes
        XCTAssertEqual(changes.count, 2, "\(changes)")
        XCTAssertEqual(changes.first?.description, "changed param: params.yaml train.smoothing 1 → 500")
        if case .commandChanged = changes.last {} else { XCTFail("\(changes)") }
    }

    func testNothingChangedMeansNoReasons() throws {
        try write("data.csv", "a,b\n")
        try write("src/train.py", "print(1)\n")
        try write("params.yaml", "lr: 0.1\nmodel:\n  layers: 3\n  other: x\n")
        try write("model.bin", "weights")
        let stage = try XCTUnwrap(try parse(yaml).stage(named: "train"))
        let e = try evaluator()
        let locked = try lockEntry(stage, e)
        XCTAssertEqual(try e.evaluate(stage, locked: locked, lockDirectory: "").changes, [])
        XCTAssertEqual(try e.evaluate(stage, locked: nil, lockDirectory: "").changes, [.neverRun])
        // An untracked key and a reformatted file change nothing; 0.1 vs 1e-1 is the same value.
        try write("params.yaml", "model: {other: y, layers: 3}\nlr: 1.0e-1\n")
        XCTAssertEqual(try e.evaluate(stage, locked: locked, lockDirectory: "").changes, [])
    }

    func testEachKindOfChangeIsNamed() throws {
        try write("data.csv", "a,b\n")
        try write("src/train.py", "print(1)\n")
        try write("params.yaml", "lr: 0.1\nmodel:\n  layers: 3\n")
        try write("model.bin", "weights")
        let stage = try XCTUnwrap(try parse(yaml).stage(named: "train"))
        let e = try evaluator()
        var locked = try lockEntry(stage, e)
        try write("src/train.py", "print(2)\n")
        try write("params.yaml", "lr: 0.2\nmodel:\n  layers: 3\n")
        try FileManager.default.removeItem(atPath: root + "/model.bin")
        locked.cmd = .string("python old.py")
        let changes = try e.evaluate(stage, locked: locked, lockDirectory: "").changes
        // Params first (a param is often why the command changed), then the command, deps and outs.
        XCTAssertEqual(changes, [
            .paramModified(file: "params.yaml", key: "lr", old: .float(0.1), new: .float(0.2)),
            .commandChanged(old: .string("python old.py"), new: .string("python train.py")),
            .depModified("src"),
            .outNotInCache("model.bin"),
        ])
        XCTAssertEqual(changes[0].description, "changed param: params.yaml lr 0.1 → 0.2")
    }

    /// DVC #9913: a dep or a param taken out of the stage is a change.
    func testRemovedDepAndParamAreChanges() throws {
        try write("data.csv", "a,b\n")
        try write("src/train.py", "print(1)\n")
        try write("params.yaml", "lr: 0.1\nmodel:\n  layers: 3\n")
        try write("model.bin", "weights")
        let stage = try XCTUnwrap(try parse(yaml).stage(named: "train"))
        let e = try evaluator()
        let locked = try lockEntry(stage, e)
        let smaller = try XCTUnwrap(try parse("""
            stages:
              train:
                cmd: python train.py
                deps: [data.csv]
                params: [lr]
                outs: [model.bin]
            """).stage(named: "train"))
        XCTAssertEqual(try e.evaluate(smaller, locked: locked, lockDirectory: "").changes, [
            .paramRemoved(file: "params.yaml", key: "model.layers", value: .int(3)),
            .depRemoved("src"),
        ])
    }

    func testMissingOutputInTheCacheIsRestorableAndAlwaysChangedAlwaysRuns() throws {
        try write("model.bin", "weights")
        let stage = try XCTUnwrap(try parse("stages:\n  s:\n    cmd: make\n    outs: [model.bin]\n").stage(named: "s"))
        let e = try evaluator()
        let stored = try OutputStorer.store(["model.bin"], repo: repo)
        let locked = LockedStage(cmd: .string("make"), outs: [LockedPath(path: "model.bin", type: .file, id: stored[0].identity.id, size: 7)])
        try FileManager.default.removeItem(atPath: root + "/model.bin")
        let evaluation = try e.evaluate(stage, locked: locked, lockDirectory: "")
        XCTAssertEqual(evaluation.changes, [.outMissing("model.bin")])
        XCTAssertTrue(evaluation.restorable)
        let always = try XCTUnwrap(try parse("stages:\n  s:\n    cmd: make\n    always_changed: true\n").stage(named: "s"))
        XCTAssertEqual(try e.evaluate(always, locked: LockedStage(cmd: .string("make")), lockDirectory: "").changes, [.alwaysChanged])
    }

    func testParamValuesCompareAsDVCDoes() {
        XCTAssertTrue(StageEvaluator.sameValue(.int(1), .float(1.0)))
        XCTAssertFalse(StageEvaluator.sameValue(.int(1), .string("1")))
        XCTAssertTrue(StageEvaluator.sameValue(.list([.int(2)]), .list([.float(2)])))
    }

    func testLockPathsClimbOutOfTheLockDirectory() {
        XCTAssertEqual(LockPaths.relative("models/data/x.csv", to: "models"), "data/x.csv")
        XCTAssertEqual(LockPaths.relative("data/x.csv", to: "models/cnn"), "../../data/x.csv")
        XCTAssertEqual(LockPaths.repoPath("../../data/x.csv", lockDirectory: "models/cnn"), "data/x.csv")
        XCTAssertEqual(LockPaths.relative("x", to: ""), "x")
    }
}

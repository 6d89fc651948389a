import XCTest
import Basics
import Workspace
@testable import Pipeline

/// The per-stage three-way merge behind `cairn merge-lock`.
final class MergeLockTests: XCTestCase {
    func stage(_ cmd: String) -> LockedStage {
        LockedStage(cmd: .string(cmd), outs: [LockedPath(path: cmd + ".out", type: .file, id: ObjectID(bytes: Array(repeating: UInt8(cmd.utf8.count), count: 32)), size: 1)])
    }

    func text(_ stages: [String: String]) -> String {
        PipelineLockCodec.encode(PipelineLock(stages: stages.mapValues(stage)))
    }

    func testOneSidedChangesAndDeletionsMerge() throws {
        let result = try LockMerge.merge(base: text(["a": "a", "b": "b", "c": "c"]),
                                         ours: text(["a": "a2", "b": "b", "c": "c", "new": "n"]),
                                         theirs: text(["a": "a", "c": "c3", "other": "o"]), file: "cairn.lock")
        XCTAssertEqual(result.conflicts, [])
        XCTAssertEqual(result.text, text(["a": "a2", "c": "c3", "new": "n", "other": "o"]))
    }

    func testSameChangeOnBothSidesIsNoConflict() throws {
        let result = try LockMerge.merge(base: "", ours: text(["a": "x"]), theirs: text(["a": "x"]), file: "cairn.lock")
        XCTAssertEqual(result.conflicts, [])
        XCTAssertEqual(result.text, text(["a": "x"]))
    }

    func testDeletedOnOneSideAndChangedOnTheOtherConflicts() throws {
        let result = try LockMerge.merge(base: text(["a": "a", "b": "b"]), ours: text(["a": "a", "b": "b2"]),
                                         theirs: text(["a": "a"]), file: "m/cairn.lock")
        XCTAssertEqual(result.conflicts, ["b"])
        let ours = LockMerge.block("b", stage("b2"))
        XCTAssertEqual(result.text, (text(["a": "a"]).split(separator: "\n").map(String.init)
                                     + ["<<<<<<< ours"] + ours + ["=======", ">>>>>>> theirs"]).joined(separator: "\n") + "\n")
    }

    func testMalformedInputIsAnError() {
        XCTAssertThrowsError(try LockMerge.merge(base: "", ours: "stages: [\n", theirs: "", file: "cairn.lock")) { error in
            XCTAssertTrue("\(error)".hasSuffix("(in the current branch's version)"), "\(error)")
        }
    }
}

import XCTest
@testable import Pipeline

/// `cairn reproduce`'s short content diffs and failure reasons.
final class ReproduceComparisonTests: XCTestCase {
    func testLineDiffShowsOnlyTheChangedLines() {
        let diff = ReproduceComparison.lineDiff(old: "a\nb\nc\n", new: "a\nB\nc\n", limit: 10)
        XCTAssertEqual(diff, ["@@ line 2 @@", "-b", "+B"])
    }

    func testLineDiffIsCut() {
        let old = (1...30).map { "x\($0)" }.joined(separator: "\n")
        let new = (1...30).map { "y\($0)" }.joined(separator: "\n")
        let diff = ReproduceComparison.lineDiff(old: old, new: new, limit: 10)
        XCTAssertEqual(diff.count, 11)
        XCTAssertEqual(diff.last, "… 51 more lines")
    }

    func testFailureReasons() {
        XCTAssertEqual(ReproduceOperation.reason(forFailure: "command exited with 127: python train.py"),
                       "missing tool (command exited with 127): python train.py")
        XCTAssertEqual(ReproduceOperation.reason(forFailure: "command exited with 3: make"), "command failed with exit 3: make")
        XCTAssertEqual(ReproduceOperation.reason(forFailure: "output 'x' was not created by the command"),
                       "output 'x' was not created by the command")
    }
}

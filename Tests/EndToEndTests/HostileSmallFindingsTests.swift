import Foundation
import XCTest

/// The smaller findings of the hostile-input pass (issue 9, item 7), each as the user met it.
final class HostileSmallFindingsTests: EndToEndTestCase {
    /// Before: "data/x.cairn: no such file or directory" although the file is right there.
    func testDataFileNamedLikeAPointerIsRefusedWithAHintThatWorks() throws {
        let repo = try makeRepo()
        try repo.write("data/x.cairn", "just data\n")
        try repo.cairn("add", "data/x.cairn").assertError(containing: ["data/x.cairn: a data file whose name ends in .cairn cannot be tracked", "rename it"])
        XCTAssertFalse(repo.exists("data/x.cairn.cairn"))
        try repo.shell("mv data/x.cairn data/x.bin").assertSuccess()
        try repo.cairn("add", "data/x.bin").assertSuccess()
    }

    /// Before: a raw "rename … File name too long" from writing the pointer, after the data was stored.
    func testNameTooLongForItsPointerIsRefusedUpFront() throws {
        let repo = try makeRepo()
        let name = String(repeating: "n", count: 250)
        try repo.write("data/" + name, "x\n")
        let result = try repo.cairn("add", "data/" + name)
        result.assertError(containing: ["the name is 250 bytes", "255-byte limit", "at most 249 bytes"])
        XCTAssertFalse(result.stderr.contains("rename to"), result.transcript)
        let shorter = String(repeating: "n", count: 249)
        try repo.shell("mv data/\(name) data/\(shorter)").assertSuccess()
        try repo.cairn("add", "data/" + shorter).assertSuccess()
    }

    /// A tracked directory replaced by a symlink (to a copy of the same content) is a change, never "up to date",
    /// and checkout does not write through the link.
    func testTrackedDirectoryReplacedBySymlinkIsReported() throws {
        let repo = try makeRepo()
        try repo.write("data/d/a.txt", "1\n")
        try add(repo, "data/d")
        try repo.shell("mv data/d ../elsewhere && ln -s ../../elsewhere data/d").assertSuccess()
        for arguments in [["status"], ["status", "data/d"]] {
            let result = try repo.cairnArgs(arguments)
            result.assertNoCrash()
            XCTAssertTrue(result.stdout.contains("data/d: modified"), result.transcript)
            XCTAssertFalse(result.stdout.contains("up to date"), result.transcript)
        }
        try repo.cairn("checkout").assertError(containing: "data/d", oneLine: false)
        XCTAssertEqual(try String(contentsOfFile: repo.base + "/elsewhere/a.txt", encoding: .utf8), "1\n")
    }

    /// Before: any value silently meant level 1.
    func testInvalidCompressionLevelWarns() throws {
        let repo = try makeRepo()
        for value in ["fast", "99", "1.5"] {
            try repo.write(".cairn/config", "[core]\n\tcompression_level = \(value)\n")
            let result = try repo.cairn("status")
            XCTAssertEqual(result.exitCode, 0, result.transcript)
            XCTAssertTrue(result.stderr.contains("core.compression_level '\(value)' is not an integer from -7 to 19; using 1"), result.transcript)
            XCTAssertTrue(result.stderr.contains(".cairn/config"), result.transcript)
        }
        try repo.write(".cairn/config", "[core]\n\tcompression_level = 3\n")
        XCTAssertEqual(try repo.cairn("status").stderr, "")
    }
}

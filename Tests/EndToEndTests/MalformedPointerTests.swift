import Foundation
import XCTest

/// Pointer files come from Git, i.e. from other people: every defect must give one error line naming the pointer
/// file, exit 1, and never a crash or a write outside the repository.
final class MalformedPointerTests: EndToEndTestCase {
    /// Adds a real file, then replaces its pointer with `edit(original pointer text)`, and checks that status and
    /// checkout both reject it cleanly.
    private func assertRejected(_ edit: (String) -> String, mentioning detail: String? = nil,
                                file: StaticString = #filePath, line: UInt = #line) throws {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "a,b\n1,2\n")
        let original = try repo.readText("data/x.csv.cairn")
        let broken = edit(original)
        XCTAssertNotEqual(broken, original, "the fixture edit did nothing", file: file, line: line)
        try repo.write("data/x.csv.cairn", broken)
        try repo.remove("data/x.csv")

        for arguments in [["status"], ["status", "--json"], ["checkout"], ["checkout", "--force"]] {
            let result = try repo.cairnArgs(arguments)
            result.assertError(containing: "cairn: error: data/x.csv.cairn: ", file: file, line: line)
            XCTAssertTrue(result.stderr.hasPrefix("cairn: error: data/x.csv.cairn: "),
                          "the error must start by naming the pointer file\n\(result.transcript)", file: file, line: line)
            if let detail {
                XCTAssertTrue(result.stderr.contains(detail), "stderr lacks \"\(detail)\"\n\(result.transcript)",
                              file: file, line: line)
            }
        }
        XCTAssertFalse(repo.exists("data/x.csv"), "checkout wrote data for a malformed pointer", file: file, line: line)
        XCTAssertEqual(try repo.readText("data/x.csv.cairn"), broken, "the pointer was changed", file: file, line: line)
        XCTAssertTrue(try FileManager.default.contentsOfDirectory(atPath: repo.base).allSatisfy { $0.hasPrefix("repo") || $0.hasPrefix(".") },
                      "something was written outside the repository", file: file, line: line)
    }

    private func replacingLine(startingWith prefix: String, with replacement: String) -> (String) -> String {
        { text in
            text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.hasPrefix(prefix) ? replacement : String($0) }
                .joined(separator: "\n")
        }
    }

    func testBadYAML() throws {
        try assertRejected { $0.replacingOccurrences(of: "type: file", with: "type: [file") }
    }

    /// What a pointer looks like after a `git merge` with both sides changing the data.
    func testMergeConflictMarkers() throws {
        try assertRejected { text in
            "<<<<<<< HEAD\n" + text + "=======\n" + text.replacingOccurrences(of: "size:", with: "size: 1") + ">>>>>>> other\n"
        }
    }

    func testNotAMappingAtAll() throws {
        try assertRejected { _ in "just some text\n" }
    }

    func testEmptyPointer() throws {
        try assertRejected { _ in "" }
    }

    func testBinaryGarbage() throws {
        try assertRejected { _ in String(decoding: SeededBytes.make(count: 300, seed: 9), as: UTF8.self) }
    }

    func testUnknownFormatVersion() throws {
        try assertRejected(replacingLine(startingWith: "format:", with: "format: 99"), mentioning: "99")
    }

    func testBadId() throws {
        try assertRejected(replacingLine(startingWith: "id:", with: "id: sha256:not-hex"))
    }

    func testIdOfWrongLength() throws {
        try assertRejected(replacingLine(startingWith: "id:", with: "id: sha256:abcdef"))
    }

    func testMissingId() throws {
        try assertRejected(replacingLine(startingWith: "id:", with: ""))
    }

    func testNegativeSize() throws {
        try assertRejected(replacingLine(startingWith: "size:", with: "size: -5"))
    }

    func testUnknownType() throws {
        try assertRejected(replacingLine(startingWith: "type:", with: "type: socket"))
    }

    func testPathEscapingWithDotDot() throws {
        try assertRejected(replacingLine(startingWith: "path:", with: "path: ../../escaped.csv"))
    }

    func testPathThatIsNotThePointersOwnName() throws {
        // The pointer sits next to its data and names it: any other name could make it write elsewhere.
        try assertRejected(replacingLine(startingWith: "path:", with: "path: other.csv"))
    }

    func testPathWithASubdirectory() throws {
        try assertRejected(replacingLine(startingWith: "path:", with: "path: sub/x.csv"))
    }

    func testAbsolutePath() throws {
        let target = NSTemporaryDirectory() + "/cairn-e2e-escaped-\(UUID().uuidString).csv"
        try assertRejected(replacingLine(startingWith: "path:", with: "path: \(target)"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: target), "checkout wrote to an absolute path")
        try? FileManager.default.removeItem(atPath: target)
    }

    /// Well-formed pointers whose ids name the wrong kind of object (a file id in a directory pointer and the
    /// reverse, e.g. after a bad merge): every command fails cleanly and says which data is affected.
    func testIdsOfTheWrongObjectKind() throws {
        let repo = try makeRepo()
        try repo.write("data/set/a.txt", "a\n")
        let directory = try add(repo, "data/set")
        let file = try addFile(repo, "data/x.csv", text: "x\n")
        let directoryID = try XCTUnwrap(directory["id"]), fileID = try XCTUnwrap(file["id"])
        try repo.write("data/set.cairn", directory.raw.replacingOccurrences(of: directoryID, with: fileID))
        // With the data present, status has to read the recorded tree to compare.
        try repo.cairn("status", "data/set").assertError(containing: "data/set")
        try repo.remove("data/set")
        try repo.cairn("checkout", "data/set").assertError(containing: "data/set")
        let fsck = try repo.cairn("fsck")
        XCTAssertEqual(fsck.exitCode, 1, fsck.transcript)
        fsck.assertStdout(contains: "used by data/set")
        XCTAssertFalse(repo.exists("data/set"), "checkout wrote something for a pointer it cannot resolve")

        try repo.write("data/set.cairn", directory.raw)
        try repo.write("data/x.csv.cairn", file.raw.replacingOccurrences(of: fileID, with: directoryID))
        try repo.remove("data/x.csv")
        let checkout = try repo.cairn("checkout", "data/x.csv")
        checkout.assertError(containing: "data/x.csv")
        XCTAssertFalse(repo.exists("data/x.csv"), "a tree object was written out as file content")
        let fsckFile = try repo.cairn("fsck", "data/x.csv")
        XCTAssertEqual(fsckFile.exitCode, 1, "fsck accepts a file pointer whose id is a tree\n\(fsckFile.transcript)")
    }
}

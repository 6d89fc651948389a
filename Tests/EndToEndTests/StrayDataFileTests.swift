import XCTest

/// A data file that happens to end in `.cairn` is reported once, as what it is, with a fix that works when typed;
/// the rest of the repository is still checked.
final class StrayDataFileTests: EndToEndTestCase {
    func testStrayDataFileIsNamedAndOtherDataIsStillChecked() throws {
        let repo = try makeRepo()
        try addFile(repo, "a.txt", text: "one\n")
        try repo.write("a.txt", "changed\n")
        try repo.write("weights.cairn", bytes: SeededBytes.make(count: 300, seed: 7))
        for command in [["status"], ["fsck"]] {
            let result = try repo.cairn(command[0])
            XCTAssertEqual(result.exitCode, 1, result.transcript)
            XCTAssertTrue(result.stderr.contains("weights.cairn: not a cairn pointer file"), result.transcript)
            if command == ["status"] { result.assertStdout(contains: "a.txt") }  // still reported as modified
        }
        // The hint, typed as printed: rename, add, and the repository is clean again.
        let status = try repo.cairn("status")
        guard let hint = status.stderr.range(of: #"`mv [^`]+`"#, options: .regularExpression) else {
            return XCTFail("no mv hint: \(status.transcript)")
        }
        let command = String(status.stderr[hint].dropFirst().dropLast())
        XCTAssertEqual(try repo.shell(command).exitCode, 0)
        try repo.cairn("add", "weights.cairn.data", "a.txt").assertSuccess()
        try repo.cairn("status").assertSuccess()
    }
}

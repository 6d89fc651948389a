import Foundation
import XCTest

/// On Linux a name is its bytes: NFC `café` (c3 a9) and NFD `café` (65 cc 81) are two files. Swift's String `==`
/// says they are equal, which merged them (one file's content lost, status "up to date") before PathKey.
final class UnicodeNameTests: EndToEndTestCase {
    private let nfc = "caf\u{E9}"
    private let nfd = "cafe\u{301}"

    /// Names as the file system holds them, by bytes.
    private func names(_ repo: TempRepo, _ relative: String) throws -> Set<[UInt8]> {
        let result = try repo.shell("ls -A \(relative.isEmpty ? "." : relative) | od -An -tx1 -v")
        let hex = result.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { UInt8($0, radix: 16) }
        return Set(hex.split(separator: 10).map(Array.init))
    }

    func testTwinsInATrackedDirectoryStayTwoFiles() throws {
        let repo = try makeRepo()
        try repo.write("d/" + nfc, "nfc\n")
        try repo.write("d/" + nfd, "nfd, longer\n")
        XCTAssertEqual(try names(repo, "d").count, 2, "the file system merged the names; test cannot run here")
        XCTAssertEqual(try add(repo, "d")["files"], "2")
        try repo.shell("rm -rf d").assertSuccess()
        try repo.cairn("checkout").assertSuccess()
        XCTAssertEqual(try names(repo, "d"), [Array(nfc.utf8), Array(nfd.utf8)])
        XCTAssertEqual(try repo.shell("cat d/\(Shell.q(nfc))").stdout, "nfc\n")
        XCTAssertEqual(try repo.shell("cat d/\(Shell.q(nfd))").stdout, "nfd, longer\n")
        try repo.cairn("status").assertSuccess().assertStdout(contains: "up to date")
        try repo.shell("echo changed > d/\(Shell.q(nfd))").assertSuccess()
        let status = try repo.cairn("status")
        XCTAssertTrue(status.stdout.contains("modified"), "status missed a change to the NFD twin\n\(status.transcript)")
        XCTAssertEqual(status.stdout.components(separatedBy: "modified:").count - 1, 1, status.transcript)
    }

    func testTwinsAtTheTopAreTwoPointers() throws {
        let repo = try makeRepo()
        try repo.write(nfc, "nfc\n")
        try repo.write(nfd, "nfd, longer\n")
        try repo.cairnArgs(["add", nfc, nfd]).assertSuccess()
        XCTAssertTrue(try names(repo, "").isSuperset(of: [Array((nfc + ".cairn").utf8), Array((nfd + ".cairn").utf8)]))
        try repo.shell("rm \(Shell.q(nfc)) \(Shell.q(nfd))").assertSuccess()
        try repo.cairn("checkout").assertSuccess()
        XCTAssertEqual(try repo.shell("cat \(Shell.q(nfc))").stdout, "nfc\n")
        XCTAssertEqual(try repo.shell("cat \(Shell.q(nfd))").stdout, "nfd, longer\n")
        try repo.cairn("status").assertSuccess()
    }

    func testNameThatIsNotUTF8IsRefusedClearly() throws {
        let repo = try makeRepo()
        try repo.shell("printf x > \"$(printf 'b\\376')\" && mkdir e && printf y > \"e/$(printf 'a\\377')\"").assertSuccess()
        let top = try repo.shell("\(CairnBinary.path) add \"$(printf 'b\\376')\"")
        XCTAssertEqual(top.exitCode, 1, top.transcript)
        XCTAssertTrue(top.stderr.contains("not valid UTF-8"), top.transcript)
        try repo.cairn("add", "e").assertError(containing: "not valid UTF-8")
    }

    func testControlCharacterInsideADirectoryIsRefusedEscaped() throws {
        let repo = try makeRepo()
        try repo.write("d/a\u{1b}[31mred", "x\n")
        let result = try repo.cairn("add", "d")
        result.assertError(containing: ["d/a\\x1b[31mred: cannot be tracked", "control character"])
        XCTAssertFalse(result.stderr.contains("\u{1b}"), result.transcript)
        XCTAssertFalse(repo.exists("d.cairn"))
    }
}

private enum Shell {
    static func q(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

import Foundation
import XCTest

/// The same target spelled differently must mean the same thing: trailing slash, `./`, `..`, absolute paths,
/// repeats, and the pointer path.
final class TargetSpellingTests: EndToEndTestCase {
    func testTrailingSlashOnADirectory() throws {
        let repo = try makeRepo()
        try repo.write("data/set/a.txt", "a\n")
        try repo.cairn("add", "data/set/").assertSuccess().assertStdoutLine(startingWith: "added data/set (")
        XCTAssertTrue(repo.exists("data/set.cairn"))
        XCTAssertFalse(repo.exists("data/set/.cairn"), "the pointer must sit next to the directory, not inside it")
        XCTAssertEqual(try repo.readText("data/.gitignore"), "/set\n")
        try repo.remove("data/set")
        try repo.cairn("checkout", "data/set/").assertSuccess()
        XCTAssertEqual(try repo.readText("data/set/a.txt"), "a\n")
    }

    /// A file inside a tracked directory is not tracked on its own: say which directory to name instead.
    func testFileInsideATrackedDirectoryNamesTheDirectory() throws {
        let repo = try makeRepo()
        try repo.write("data/set/a.txt", "a\n")
        try repo.cairn("add", "data/set").assertSuccess()
        try repo.cairn("status", "data/set/a.txt")
            .assertError(containing: "data/set/a.txt: part of data/set, which cairn tracks as a whole")
    }

    func testDotAndDotDotAreNormalized() throws {
        let repo = try makeRepo()
        try repo.write("data/x.csv", "x\n")
        try repo.makeDirectory("other")
        try repo.cairn("add", "./data/../data/./x.csv").assertSuccess().assertStdoutLine(startingWith: "added data/x.csv (")
        XCTAssertEqual(try repo.pointer("data/x.csv.cairn")["path"], "x.csv")
        try repo.cairn("status", "../data/x.csv", cwd: "other").assertSuccess()
            .assertStdoutLine("Everything is up to date.")
    }

    func testAbsolutePathInsideTheRepository() throws {
        let repo = try makeRepo()
        try repo.write("data/x.csv", "x\n")
        try repo.cairn("add", repo.path("data/x.csv"), cwd: "data").assertSuccess()
        XCTAssertTrue(repo.exists("data/x.csv.cairn"))
        XCTAssertEqual(try repo.readText("data/.gitignore"), "/x.csv\n")
    }

    func testRepeatedTargetIsAddedOnce() throws {
        let repo = try makeRepo()
        try repo.write("data/x.csv", "x\n")
        let result = try repo.cairn("add", "data/x.csv", "data/x.csv.cairn", "./data/x.csv").assertSuccess()
        XCTAssertEqual(result.stdoutLines.filter { $0.contains("data/x.csv (") }.count, 1, result.transcript)
        XCTAssertEqual(try repo.readText("data/.gitignore"), "/x.csv\n")
    }

    func testDirectoryAndAFileInsideItInOneCommandAreRefused() throws {
        let repo = try makeRepo()
        try repo.write("data/set/a.txt", "a\n")
        try repo.cairn("add", "data/set", "data/set/a.txt").assertError(containing: "data/set/a.txt")
        XCTAssertFalse(repo.exists("data/set.cairn"))
        XCTAssertFalse(repo.exists("data/set/a.txt.cairn"))
    }

    /// The executable bit is part of what is tracked: flipping it shows in status and re-add records it.
    func testExecutableBitChangeIsAModification() throws {
        let repo = try makeRepo()
        try addFile(repo, "bin/tool", text: "#!/bin/sh\n")
        try repo.chmod("bin/tool", 0o755)
        try repo.cairn("status").assertSuccess().assertStdoutLine("bin/tool: modified")
        XCTAssertEqual(try add(repo, "bin/tool")["executable"], "true")
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")
    }
}

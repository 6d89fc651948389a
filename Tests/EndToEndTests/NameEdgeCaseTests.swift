import Foundation
import XCTest

/// File names that are legal on Linux but awkward for .gitignore, YAML, shells or temp-file naming.
final class NameEdgeCaseTests: EndToEndTestCase {
    /// NAME_MAX is 255 bytes. A 240-byte name leaves room for its `.cairn` pointer (246 bytes), so it must work,
    /// whatever names cairn uses for its own temp files.
    func testLongFileNameRoundTrips() throws {
        let repo = try makeRepo()
        let name = "data/" + String(repeating: "n", count: 240)
        try repo.write(name, "long name\n")
        try repo.cairn("add", name).assertSuccess()
        XCTAssertTrue(repo.exists(name + ".cairn"))
        try repo.remove(name)
        try repo.cairn("checkout").assertSuccess()
        XCTAssertEqual(try repo.readText(name), "long name\n")
    }

    /// Inside a tracked directory no pointer suffix is needed, so a file may use the full 255 bytes; checkout must
    /// still be able to write it.
    func testMaximumLengthNameInsideADirectoryRoundTrips() throws {
        let repo = try makeRepo()
        let name = "data/set/" + String(repeating: "m", count: 255)
        try repo.write(name, "max name\n")
        try repo.write("data/set/short.txt", "short\n")
        try add(repo, "data/set")
        try repo.write(name, "local edit that is then discarded\n")
        try repo.cairn("checkout", "--force").assertSuccess()
        XCTAssertEqual(try repo.readText(name), "max name\n")
        try repo.remove("data/set")
        try repo.cairn("checkout").assertSuccess()
        XCTAssertEqual(try repo.readText(name), "max name\n")
    }

    /// A printed `git add -x.csv.cairn` would be parsed by git as options; the hint must still work.
    func testHintForANameStartingWithADashWorks() throws {
        let repo = try makeRepo()
        try repo.write("data/-x.csv", "dash\n")
        let result = try repo.cairn("add", "--", "-x.csv", cwd: "data").assertSuccess()
        XCTAssertTrue(repo.exists("data/-x.csv.cairn"))
        let hint = try XCTUnwrap(result.stdoutLines.first { $0.hasPrefix("\tgit add ") }, result.transcript)
        let run = try repo.shell(hint.trimmingCharacters(in: .whitespaces), cwd: "data")
        XCTAssertEqual(run.exitCode, 0, "the printed hint fails\n\(result.transcript)\n\(run.transcript)")
        XCTAssertEqual(try repo.git("diff", "--cached", "--name-only").stdoutLines.sorted(),
                       ["data/-x.csv.cairn", "data/.gitignore"])
    }

    /// Backslashes, leading/trailing spaces and quotes all mean something to .gitignore or the shell; each entry
    /// must ignore exactly its own file.
    func testGitignoreEscapingOfSpecialCharacters() throws {
        let repo = try makeRepo()
        let names = ["back\\slash.csv", "trail.csv ", " lead.csv", "q\"uo'te.csv"]
        for (index, name) in names.enumerated() { try repo.write("data/" + name, "\(index)\n") }
        let result = try repo.cairnArgs(["add"] + names.map { "data/" + $0 }).assertSuccess()
        for name in names {
            XCTAssertEqual(try repo.git("check-ignore", "-q", "data/" + name).exitCode, 0, "not ignored: [\(name)]")
            XCTAssertEqual(try repo.git("check-ignore", "-q", "data/" + name + ".cairn").exitCode, 1)
        }
        for unrelated in ["backslash.csv", "trail.csv", "lead.csv"] {
            try repo.write("data/" + unrelated, "x\n")
            XCTAssertEqual(try repo.git("check-ignore", "-q", "data/" + unrelated).exitCode, 1,
                           "an entry also ignores the unrelated file \(unrelated)")
        }
        let hint = try XCTUnwrap(result.stdoutLines.first { $0.hasPrefix("\tgit add ") }, result.transcript)
        try repo.shell(hint.trimmingCharacters(in: .whitespaces)).assertSuccess()
        XCTAssertEqual(try repo.git("diff", "--cached", "--name-only", "-z").stdout.split(separator: "\0").count,
                       names.count + 1, "the hint must stage every pointer and the .gitignore")
    }

    /// A .gitignore cannot express a newline, so such a name must be refused cleanly — or, if accepted, be ignored
    /// correctly without its halves turning into two unrelated ignore patterns.
    func testNameWithANewline() throws {
        let repo = try makeRepo()
        let name = "data/nl\nname.csv"
        try repo.write(name, "y\n")
        let result = try repo.cairn("add", name)
        result.assertNoCrash()
        if result.exitCode == 0 {
            XCTAssertEqual(try repo.git("check-ignore", "-q", name).exitCode, 0, "git does not ignore the data")
            try repo.write("data/sub/name.csv", "unrelated\n")
            XCTAssertEqual(try repo.git("check-ignore", "-q", "data/sub/name.csv").exitCode, 1,
                           "the .gitignore entry was split at the newline and now ignores unrelated files:\n"
                           + ((try? repo.readText("data/.gitignore")) ?? ""))
        } else {
            result.assertError(containing: "cairn: error: ", oneLine: false)
            XCTAssertFalse(repo.exists("data/.gitignore"))
        }
    }
}

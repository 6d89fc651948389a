import Foundation
import XCTest

/// Pointers and config files come from other people: a symlink to /dev/zero, a FIFO, an anchor bomb, 3,000 levels
/// of nesting or a list as a mapping key must each give one error line naming the file and the limit, exit 1,
/// quickly, never a crash, a hang or gigabytes of memory (all of which happened before StructuredFileLoader).
final class HostileFileTests: EndToEndTestCase {
    /// Runs cairn with a deadline: a hang is a failure, not a stuck test suite.
    private func run(_ repo: TempRepo, _ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> CommandResult {
        let process = try repo.cairnArgsProcess(arguments, cwd: "", env: [:]).start()
        guard let result = process.wait(timeout: 20) else {
            process.killHard()
            XCTFail("cairn \(arguments.joined(separator: " ")) hung", file: file, line: line)
            return CommandResult(arguments: arguments, exitCode: -1, stdout: "", stderr: "")
        }
        return result
    }

    private func repoWithPointer(_ text: String) throws -> TempRepo {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "a\n")
        try repo.write("data/x.csv.cairn", text)
        return repo
    }

    private func assertRefused(_ repo: TempRepo, _ fragments: [String], commands: [[String]] = [["status"], ["fsck"], ["checkout", "--force"]],
                               file: StaticString = #filePath, line: UInt = #line) throws {
        for arguments in commands {
            try run(repo, arguments, file: file, line: line).assertError(containing: fragments, file: file, line: line)
        }
    }

    func testAnchorBombPointerIsRefused() throws {
        var bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 { bomb += "\(Character(UnicodeScalar(97 + level)!)): &\(Character(UnicodeScalar(97 + level)!)) [" + Array(repeating: "*\(Character(UnicodeScalar(96 + level)!))", count: 9).joined(separator: ", ") + "]\n" }
        XCTAssertLessThan(bomb.utf8.count, 1_000)
        try assertRefused(try repoWithPointer(bomb), ["cairn: error: data/x.csv.cairn: ", "limit of 100000 YAML nodes"])
    }

    func testDeepNestingIsRefused() throws {
        for depth in [100, 3_000, 200_000] {
            let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
            try assertRefused(try repoWithPointer(text), ["cairn: error: data/x.csv.cairn: ", "nested deeper than the limit of 64 levels"],
                              commands: [["status"]])
        }
        let block = (0..<1_000).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n") + " 1\n"
        try assertRefused(try repoWithPointer(block), ["cairn: error: data/x.csv.cairn: ", "nested deeper than the limit of 64 levels"],
                          commands: [["status"]])
    }

    func testNonScalarMappingKeyIsRefused() throws {
        for text in ["[a]: 1\n", "{a: 1}: 2\n", "? [a, b]\n: 1\n"] {
            try assertRefused(try repoWithPointer(text), ["cairn: error: data/x.csv.cairn: ", "mapping key is a list or mapping"],
                              commands: [["status"], ["fsck"]])
        }
    }

    func testSymlinkedPointerIsReportedNotFollowed() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "a\n")
        try repo.remove("data/x.csv.cairn")
        try repo.symlink("data/x.csv.cairn", to: "/dev/zero")
        try assertRefused(repo, ["cairn: error: data/x.csv.cairn: is a symbolic link"],
                          commands: [["status"], ["fsck"], ["checkout", "--force"], ["status", "data/x.csv"]])
    }

    func testFIFOPointerIsRefusedWithoutHanging() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "a\n")
        try repo.remove("data/x.csv.cairn")
        XCTAssertEqual(mkfifo(repo.path("data/x.csv.cairn"), 0o644), 0)
        try assertRefused(repo, ["cairn: error: data/x.csv.cairn: is a FIFO"], commands: [["status"], ["status", "data/x.csv"]])
    }

    func testSymlinkedAndFIFOConfigAndFormatAreRefused() throws {
        for name in ["config", "config.local", "format"] {
            let repo = try makeRepo()
            if repo.exists(".cairn/" + name) { try repo.remove(".cairn/" + name) }
            try repo.symlink(".cairn/" + name, to: "/dev/zero")
            try assertRefused(repo, [".cairn/\(name): is a symbolic link"], commands: [["status"], ["remote", "list"]])
            try repo.remove(".cairn/" + name)
            XCTAssertEqual(mkfifo(repo.path(".cairn/" + name), 0o644), 0)
            try assertRefused(repo, [".cairn/\(name): is a FIFO"], commands: [["status"], ["remote", "add", "o", "/tmp/x"]])
        }
    }

    func testOversizedConfigIsRefused() throws {
        let repo = try makeRepo()
        try repo.write(".cairn/config", "[core]\n" + String(repeating: "# padding\n", count: 120_000))
        try assertRefused(repo, [".cairn/config: ", "over the limit of 1048576 bytes"], commands: [["status"]])
    }

    /// `remote add` rewrites the config: bytes that are not UTF-8 must not silently become U+FFFD.
    func testConfigThatIsNotUTF8IsRefusedNotRewritten() throws {
        let repo = try makeRepo()
        let original = Array(try repo.readText(".cairn/config").utf8) + Array("# caf".utf8) + [0xE9] + Array("\n".utf8)
        try repo.write(".cairn/config", bytes: original)
        try run(repo, ["remote", "add", "origin", repo.path("../remote")]).assertError(containing: [".cairn/config: not UTF-8 text (line"])
        XCTAssertEqual(try repo.read(".cairn/config"), original, "the config was rewritten")
    }
}

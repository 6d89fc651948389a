import XCTest

/// Targets `cairn add` must refuse: exit 1, one error line naming the path, and nothing written for ANY target.
final class AddRefusalTests: EndToEndTestCase {
    /// Runs `cairn add good <bad>` and checks that the good target was not touched either.
    private func assertRefused(_ repo: TempRepo, _ bad: String, cwd: String = "", message: String,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        try repo.write("good/ok.csv", "fine\n")
        let result = try repo.cairnArgs(["add", repo.path("good/ok.csv"), bad], cwd: cwd)
        result.assertError(containing: message, file: file, line: line)
        XCTAssertFalse(repo.exists("good/ok.csv.cairn"), "a refused add wrote a pointer for another target",
                       file: file, line: line)
        XCTAssertFalse(repo.exists("good/.gitignore"), "a refused add wrote a .gitignore", file: file, line: line)
    }

    func testMissingPath() throws {
        let repo = try makeRepo()
        try assertRefused(repo, "data/nope.csv", message: "cairn: error: data/nope.csv: no such file or directory")
    }

    func testPathOutsideTheRepository() throws {
        let repo = try makeRepo()
        try repo.write(repo.base + "/outside.csv", "x\n")
        try assertRefused(repo, "../outside.csv", message: "outside the repository \(repo.root)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: repo.base + "/outside.csv.cairn"))
    }

    func testPathInsideDotCairn() throws {
        let repo = try makeRepo()
        try assertRefused(repo, ".cairn/config", message: ".cairn/config: inside .cairn/")
    }

    func testPathInsideDotGit() throws {
        let repo = try makeRepo()
        try assertRefused(repo, ".git/config", message: ".git/config: inside .git/")
        XCTAssertFalse(repo.exists(".git/config.cairn"))
    }

    func testRepositoryRootItself() throws {
        let repo = try makeRepo()
        try repo.write("good/ok.csv", "fine\n")
        try repo.cairn("add", ".").assertError(containing: "cairn: error: ")
        try repo.cairn("add", "..", cwd: "good").assertError(containing: "cairn: error: ")
        XCTAssertFalse(repo.exists("../repo.cairn"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: repo.base + "/repo.cairn"))
    }

    func testFileTrackedByGit() throws {
        let repo = try makeRepo()
        try repo.write("data/x.csv", "1\n")
        try repo.git("add", "data/x.csv").assertSuccess()
        try repo.git("commit", "-qm", "track x").assertSuccess()
        try assertRefused(repo, "data/x.csv",
                          message: "data/x.csv: tracked by Git; run 'git rm -r --cached data/x.csv' first")
    }

    /// From a subdirectory the suggested `git rm` must be runnable where the user is.
    func testFileTrackedByGitFromASubdirectorySuggestsARunnableCommand() throws {
        let repo = try makeRepo()
        try repo.write("data/x.csv", "1\n")
        try repo.git("add", "data/x.csv").assertSuccess()
        let result = try repo.cairn("add", "x.csv", cwd: "data")
        result.assertError(containing: "x.csv: tracked by Git; run 'git rm -r --cached ")
        let command = try XCTUnwrap(result.stderr.components(separatedBy: "run '").last?.components(separatedBy: "'").first,
                                    result.transcript)
        let run = try repo.shell(command, cwd: "data")
        XCTAssertEqual(run.exitCode, 0, "the suggested command fails where cairn was run\n\(result.transcript)\n\(run.transcript)")
        try repo.cairn("add", "x.csv", cwd: "data").assertSuccess()
    }

    func testDirectoryContainingGitTrackedFiles() throws {
        let repo = try makeRepo()
        try repo.write("data/set/a.txt", "1\n")
        try repo.git("add", "data/set/a.txt").assertSuccess()
        try assertRefused(repo, "data/set",
                          message: "data/set: tracked by Git; run 'git rm -r --cached data/set' first")
    }

    func testSymlinkTarget() throws {
        let repo = try makeRepo()
        try repo.write("data/real.csv", "1\n")
        try repo.symlink("data/link.csv", to: "real.csv")
        try assertRefused(repo, "data/link.csv",
                          message: "data/link.csv: is a symbolic link; cairn tracks regular files and directories")
        XCTAssertFalse(repo.exists("data/link.csv.cairn"))
    }

    func testSymlinkInsideADirectoryIsSkippedWithAWarning() throws {
        let repo = try makeRepo()
        try repo.write("data/set/a.txt", "alpha\n")
        try repo.write("data/set/b.txt", "bravo\n")
        try repo.symlink("data/set/link.txt", to: "a.txt")
        let result = try repo.cairn("add", "data/set").assertSuccess()
        result.assertStderr(contains: "cairn: warning: skipping symbolic link data/set/link.txt")
        let pointer = try repo.pointer("data/set.cairn")
        XCTAssertEqual(pointer["files"], "2", "the symlink must not be recorded")
        XCTAssertEqual(pointer["size"], "12")
        try repo.remove("data/set")
        try repo.cairn("checkout", "data/set").assertSuccess()
        XCTAssertEqual(repo.files(under: "data/set"), ["data/set/a.txt", "data/set/b.txt"])
        XCTAssertFalse(repo.exists("data/set/link.txt"), "checkout must not invent the skipped symlink")
    }

    /// Reading a FIFO blocks forever: cairn must neither hang on one nor record it.
    func testFIFOsAreRefusedAsTargetsAndSkippedInsideDirectories() throws {
        let repo = try makeRepo()
        try repo.write("data/set/a.txt", "a\n")
        try repo.shell("mkfifo data/set/pipe data/fifo").assertSuccess()
        guard let inside = try repo.startCairn("add", "data/set").wait(timeout: 20) else {
            return XCTFail("cairn add hung on a FIFO inside a directory")
        }
        inside.assertSuccess()
        inside.assertStderr(contains: "data/set/pipe")
        XCTAssertEqual(try repo.pointer("data/set.cairn")["files"], "1")
        guard let target = try repo.startCairn("add", "data/fifo").wait(timeout: 20) else {
            return XCTFail("cairn add hung on a FIFO target")
        }
        target.assertError(containing: "data/fifo")
        XCTAssertFalse(repo.exists("data/fifo.cairn"))
    }

    /// Tracking must not overlap: a file inside a tracked directory, or a directory holding a pointer.
    func testOverlappingTargetsAreRefused() throws {
        let repo = try makeRepo()
        try repo.write("data/set/a/f.txt", "1\n")
        try add(repo, "data/set")
        try repo.cairn("add", "data/set/a/f.txt").assertError(containing: "data/set/a/f.txt")
        XCTAssertFalse(repo.exists("data/set/a/f.txt.cairn"))
        try repo.write("other/inner/x.csv", "x\n")
        try add(repo, "other/inner/x.csv")
        try repo.cairn("add", "other").assertError(containing: "other")
        XCTAssertFalse(repo.exists("other.cairn"))
    }

    /// A refusal for one target among several good ones leaves the repository exactly as it was.
    func testOneBadTargetAmongManyWritesNothing() throws {
        let repo = try makeRepo()
        try repo.write("data/a.csv", "a\n")
        try repo.write("data/b.csv", "b\n")
        try repo.cairn("add", "data/a.csv", "data/missing.csv", "data/b.csv")
            .assertError(containing: "data/missing.csv: no such file or directory")
        XCTAssertFalse(repo.exists("data/a.csv.cairn"))
        XCTAssertFalse(repo.exists("data/b.csv.cairn"))
        XCTAssertFalse(repo.exists("data/.gitignore"))
    }
}

import XCTest

/// `cairn init`, repository discovery and the format-version guard.
final class InitTests: EndToEndTestCase {
    func testInitCreatesTheRepositoryLayout() throws {
        let repo = try makeRepo(initialized: false)
        let result = try repo.cairn("init").assertSuccess()
        result.assertStdoutLine("Initialized cairn repository in \(repo.root)/.cairn")
        XCTAssertEqual(try repo.readText(".cairn/format"), "1\n")
        XCTAssertTrue(repo.exists(".cairn/config"), ".cairn/config missing")
        let ignore = try repo.readText(".cairn/.gitignore")
        let ignoreLines = Set(ignore.split(separator: "\n").map(String.init))
        for entry in ["/cache/", "/tmp/", "/state.db*", "/lineage.db*", "/lock", "/config.local"] {
            XCTAssertTrue(ignoreLines.contains(entry), ".cairn/.gitignore lacks \(entry):\n\(ignore)")
        }
    }

    /// The .gitignore must work for Git, not just contain the right text: local state is ignored,
    /// the shared files are not.
    func testGitIgnoresLocalStateButNotSharedFiles() throws {
        let repo = try makeRepo()
        try repo.write(".cairn/cache/packs/probe", "x")
        try repo.write(".cairn/state.db", "x")
        try repo.write(".cairn/lineage.db-wal", "x")
        try repo.write(".cairn/config.local", "x")
        for ignored in [".cairn/cache/packs/probe", ".cairn/state.db", ".cairn/lineage.db-wal", ".cairn/config.local",
                        ".cairn/lock", ".cairn/tmp/x", ".cairn/remotes/abc/url", ".cairn/transfer/1-x/p.pack"] {
            let check = try repo.git("check-ignore", "-q", ignored)
            XCTAssertEqual(check.exitCode, 0, "git does not ignore \(ignored)")
        }
        for shared in [".cairn/format", ".cairn/config", ".cairn/.gitignore"] {
            let check = try repo.git("check-ignore", "-q", shared)
            XCTAssertEqual(check.exitCode, 1, "git ignores \(shared), but it must be committed")
        }
    }

    /// Repositories made before `.cairn/remotes/` existed have a .gitignore without it: the next command adds the
    /// missing entries (keeping the user's lines), so `git add -A` never commits a remote's cached indexes.
    func testAnOldIgnoreFileIsRepairedByTheNextCommand() throws {
        let repo = try makeRepo()
        let old = "# cairn: local state\n/cache/\n/tmp/\n/state.db*\n/lineage.db*\n/lock\n/config.local\n# mine\n/notes/"
        try repo.write(".cairn/.gitignore", old)
        try repo.write(".cairn/remotes/abc/index/x.idx", "x")
        XCTAssertEqual(try repo.git("check-ignore", "-q", ".cairn/remotes/abc/index/x.idx").exitCode, 1,
                       "the old file does not ignore remotes/ (the defect being repaired)")
        try repo.cairn("status").assertSuccess()
        let repaired = try repo.readText(".cairn/.gitignore")
        XCTAssertTrue(repaired.hasPrefix(old + "\n"), "the user's lines are kept as they were:\n\(repaired)")
        XCTAssertEqual(try repo.git("check-ignore", "-q", ".cairn/remotes/abc/index/x.idx").exitCode, 0)
        try repo.git("add", "-A")
        let staged = try repo.git("diff", "--cached", "--name-only").stdout
        XCTAssertFalse(staged.contains(".cairn/remotes"), staged)
        try repo.cairn("status").assertSuccess()
        XCTAssertEqual(try repo.readText(".cairn/.gitignore"), repaired, "a second run changes nothing")
    }

    func testInitTwiceSaysAlreadyInitializedAndChangesNothing() throws {
        let repo = try makeRepo()
        let tracked = [".cairn/format", ".cairn/config", ".cairn/.gitignore"]
        try repo.write(".cairn/config", (try repo.readText(".cairn/config")) + "# user edit\n")
        for file in tracked { try repo.ageFile(file) }
        let before = try tracked.map { (try repo.readText($0), repo.mtimeNs($0)) }

        let result = try repo.cairn("init").assertSuccess()
        result.assertStdoutLine("cairn repository already initialized in \(repo.root)/.cairn")
        let after = try tracked.map { (try repo.readText($0), repo.mtimeNs($0)) }
        for (index, file) in tracked.enumerated() {
            XCTAssertEqual(before[index].0, after[index].0, "\(file) content changed by a second init")
            XCTAssertEqual(before[index].1, after[index].1, "\(file) was rewritten by a second init")
        }
    }

    func testInitOutsideGitFails() throws {
        let repo = try makeRepo(initialized: false, git: false)
        try repo.cairn("init").assertError(containing: "not inside a Git repository (searched from \(repo.root))")
        XCTAssertFalse(repo.exists(".cairn"), "nothing may be created outside Git")
    }

    func testInitFromASubdirectoryInitializesTheRoot() throws {
        let repo = try makeRepo(initialized: false)
        try repo.makeDirectory("a/b")
        let result = try repo.cairn("init", cwd: "a/b").assertSuccess()
        result.assertStdoutLine("Initialized cairn repository in \(repo.root)/.cairn")
        XCTAssertTrue(repo.exists(".cairn/format"))
        XCTAssertFalse(repo.exists("a/b/.cairn"), "init from a subdirectory must not create a nested .cairn")
    }

    func testNewerFormatIsRefusedByEveryCommand() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "a,b\n1,2\n")
        try repo.write(".cairn/format", "99\n")
        let message = "cairn: error: \(repo.root)/.cairn/format: repository format 99 is newer than this cairn supports (1); upgrade cairn"
        for arguments in [["status"], ["add", "data/x.csv"], ["checkout"], ["gc"], ["fsck"], ["rm", "data/x.csv"]] {
            let result = try repo.cairnArgs(arguments)
            result.assertError(containing: message)
        }
        XCTAssertTrue(repo.exists("data/x.csv.cairn"), "a refused rm must not delete the pointer")
    }

    func testCommandsInAnUninitializedRepositoryAskForInit() throws {
        let repo = try makeRepo(initialized: false)
        try repo.write("data/x.csv", "a\n")
        try repo.makeDirectory("sub")
        let message = "cairn: error: not a cairn repository: run 'cairn init' in \(repo.root)"
        try repo.cairn("status").assertError(containing: message)
        try repo.cairn("add", "data/x.csv").assertError(containing: message)
        try repo.cairn("status", cwd: "sub").assertError(containing: message)
        XCTAssertFalse(repo.exists("data/x.csv.cairn"))
    }

    /// `format` is written last, so a .cairn without it is an interrupted init: init completes it.
    func testInitCompletesAnInterruptedInit() throws {
        let repo = try makeRepo(initialized: false)
        try repo.write(".cairn/config", "# kept\n")
        try repo.cairn("init").assertSuccess()
            .assertStdoutLine("Initialized cairn repository in \(repo.root)/.cairn")
        XCTAssertEqual(try repo.readText(".cairn/format"), "1\n")
        XCTAssertEqual(try repo.readText(".cairn/config"), "# kept\n", "init must not overwrite an existing config")
    }

    func testDamagedFormatAndConfigAreOneLineErrorsNamingTheFile() throws {
        let repo = try makeRepo()
        for (file, content) in [(".cairn/format", "abc\n"), (".cairn/format", ""), (".cairn/config", "[core\n")] {
            let original = try repo.readText(file)
            try repo.write(file, content)
            try repo.cairn("status").assertError(containing: "cairn: error: \(repo.root)/\(file)")
            try repo.write(file, original)
        }
        try repo.cairn("status").assertSuccess()
    }

    func testStatusOutsideGitFails() throws {
        let repo = try makeRepo(initialized: false, git: false)
        try repo.cairn("status").assertError(containing: "not inside a Git repository")
    }
}

import Basics
import GitBridge
import XCTest

final class GitRepositoryDiscoveryTests: XCTestCase {
    private var fixture: GitFixture!

    override func setUpWithError() throws {
        fixture = try GitFixture()
        try fixture.initRepository("repo")
        try fixture.write("repo/README.md")
        try fixture.write("repo/a/b/c/deep.txt")
        try fixture.git(["add", "."], in: "repo")
        try fixture.git(["commit", "-q", "-m", "first"], in: "repo")
    }

    override func tearDown() { fixture = nil }

    func testDiscoverFromTheRoot() throws {
        let repository = try GitRepository.discover(startingAt: fixture.path("repo"))
        XCTAssertEqual(repository.workdir, fixture.path("repo"))
        XCTAssertEqual(repository.gitDir, fixture.path("repo/.git"))
        XCTAssertEqual(repository.commonGitDir, fixture.path("repo/.git"))
        XCTAssertFalse(repository.isLinkedWorktree)
    }

    func testDiscoverFromASubdirectory() throws {
        let repository = try GitRepository.discover(startingAt: fixture.path("repo/a/b/c"))
        XCTAssertEqual(repository.workdir, fixture.path("repo"))
        XCTAssertFalse(repository.workdir.hasSuffix("/"))
        XCTAssertEqual(repository.gitDir, fixture.path("repo/.git"))
    }

    func testDiscoverFromAFile() throws {
        let repository = try GitRepository.discover(startingAt: fixture.path("repo/a/b/c/deep.txt"))
        XCTAssertEqual(repository.workdir, fixture.path("repo"))
    }

    func testDiscoverThroughASymlinkReportsTheRealPath() throws {
        XCTAssertEqual(symlink(fixture.path("repo/a"), fixture.path("link")), 0)
        let repository = try GitRepository.discover(startingAt: fixture.path("link/b"))
        XCTAssertEqual(repository.workdir, fixture.path("repo"))
    }

    func testDiscoverFromALinkedWorktree() throws {
        try fixture.git(["worktree", "add", "-q", "-b", "feature", "../linked"], in: "repo")
        let repository = try GitRepository.discover(startingAt: fixture.path("linked/a/b"))
        XCTAssertEqual(repository.workdir, fixture.path("linked"))
        XCTAssertEqual(repository.gitDir, fixture.path("repo/.git/worktrees/linked"))
        XCTAssertEqual(repository.commonGitDir, fixture.path("repo/.git"))
        XCTAssertTrue(repository.isLinkedWorktree)
        // The linked worktree has its own index: a file staged there is tracked there only.
        try fixture.write("linked/only-here.txt")
        try fixture.git(["add", "only-here.txt"], in: "linked")
        XCTAssertTrue(try repository.isTracked("only-here.txt"))
        XCTAssertFalse(try GitRepository.discover(startingAt: fixture.path("repo")).isTracked("only-here.txt"))
    }

    func testOutsideARepositoryTheErrorSaysWhereItSearched() throws {
        try FS.makeDirectories(fixture.path("plain/sub"))
        let start = fixture.path("plain/sub")
        try XCTSkipIf((try? GitRepository.discover(startingAt: NSTemporaryDirectory())) != nil,
                      "the temp directory is itself inside a Git repository")
        XCTAssertThrowsError(try GitRepository.discover(startingAt: start)) { error in
            XCTAssertEqual("\(error)", "not inside a Git repository (searched from \(start))")
        }
    }

    func testABareRepositoryIsRefused() throws {
        try fixture.git(["init", "-q", "--bare", "bare.git"])
        XCTAssertThrowsError(try GitRepository.discover(startingAt: fixture.path("bare.git"))) { error in
            XCTAssertEqual("\(error)", "\(self.fixture.path("bare.git")): is a bare Git repository; cairn needs a work tree")
        }
    }

    func testAMissingStartDirectoryIsAnErrorNamingIt() {
        let start = fixture.path("repo/does/not/exist")
        XCTAssertThrowsError(try GitRepository.discover(startingAt: start)) { error in
            XCTAssertEqual("\(error)", "\(start): no such file or directory (cannot look for a Git repository from there)")
        }
    }

    func testRelativeStartIsResolvedAgainstTheCurrentDirectory() throws {
        // "." is the test runner's directory; only the absolute form in the error matters here.
        let cwd = FS.currentDirectory()
        do {
            let repository = try GitRepository.discover(startingAt: ".")
            XCTAssertTrue(cwd.hasPrefix(repository.workdir) || FS.realPath(cwd)?.hasPrefix(repository.workdir) == true)
        } catch {
            XCTAssertEqual("\(error)", "not inside a Git repository (searched from \(cwd))")
        }
    }
}

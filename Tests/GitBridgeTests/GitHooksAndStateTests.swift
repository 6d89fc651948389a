import Basics
import GitBridge
import XCTest

final class GitHooksDirectoryTests: XCTestCase {
    private var fixture: GitFixture!

    override func setUpWithError() throws {
        fixture = try GitFixture()
        try fixture.initRepository()
        try fixture.commit("first", ["sub/dir/file.txt": "x\n"], at: 1_600_000_000)
    }

    override func tearDown() { fixture = nil }

    func testDefaultIsTheCommonGitDirectory() throws {
        let repository = try GitRepository.discover(startingAt: fixture.path("repo/sub/dir"))
        XCTAssertEqual(try repository.hooksDirectory, fixture.path("repo/.git/hooks"))
    }

    func testLinkedWorktreesShareTheMainHooks() throws {
        try fixture.git(["worktree", "add", "-q", "../linked", "-b", "linked"], in: "repo")
        let linked = try GitRepository.discover(startingAt: fixture.path("linked"))
        XCTAssertTrue(linked.isLinkedWorktree)
        XCTAssertEqual(try linked.hooksDirectory, fixture.path("repo/.git/hooks"))
    }

    func testAbsoluteHooksPathIsUsedAsIs() throws {
        let repository = try GitRepository.discover(startingAt: fixture.path("repo"))
        // Set after opening: the value must be read fresh, not from the config loaded at open time.
        try fixture.git(["config", "core.hooksPath", fixture.path("shared-hooks/")], in: "repo")
        XCTAssertEqual(try repository.hooksDirectory, fixture.path("shared-hooks"))
    }

    func testRelativeHooksPathIsRelativeToTheWorkTreeRoot() throws {
        try fixture.git(["config", "core.hooksPath", ".githooks"], in: "repo")
        let repository = try GitRepository.discover(startingAt: fixture.path("repo/sub/dir"))
        XCTAssertEqual(try repository.hooksDirectory, fixture.path("repo/.githooks"))
    }
}

final class GitRepositoryStateTests: XCTestCase {
    private var fixture: GitFixture!
    private var repository: GitRepository!

    /// main and `other` both change `shared.txt` after a common commit, so merging, rebasing or cherry-picking
    /// one onto the other stops on a conflict.
    override func setUpWithError() throws {
        fixture = try GitFixture()
        try fixture.initRepository()
        try fixture.commit("base", ["shared.txt": "base\n"], at: 1_600_000_000)
        try fixture.git(["checkout", "-q", "-b", "other"], in: "repo")
        try fixture.commit("other side", ["shared.txt": "other\n"], at: 1_600_000_010)
        try fixture.commit("other again", ["more.txt": "more\n"], at: 1_600_000_015)
        try fixture.git(["checkout", "-q", "main"], in: "repo")
        try fixture.commit("main side", ["shared.txt": "main\n"], at: 1_600_000_020)
        repository = try GitRepository.discover(startingAt: fixture.path("repo"))
    }

    override func tearDown() {
        repository = nil
        fixture = nil
    }

    func testCleanRepositoryIsInNoState() {
        XCTAssertEqual(repository.state, .none)
    }

    func testConflictedMerge() throws {
        XCTAssertThrowsError(try fixture.git(["merge", "-q", "other"], in: "repo"), "the merge should conflict")
        XCTAssertEqual(repository.state, .merge)
        try fixture.git(["merge", "--abort"], in: "repo")
        XCTAssertEqual(repository.state, .none)
    }

    func testConflictedRebase() throws {
        try fixture.git(["checkout", "-q", "other"], in: "repo")
        XCTAssertThrowsError(try fixture.git(["rebase", "main"], in: "repo"), "the rebase should conflict")
        XCTAssertEqual(repository.state, .rebase)
        try fixture.git(["rebase", "--abort"], in: "repo")
        XCTAssertEqual(repository.state, .none)
    }

    func testInteractiveRebaseStoppedForEditing() throws {
        let editAll = ["GIT_SEQUENCE_EDITOR": "sed -i -e s/^pick/edit/"]
        try fixture.git(["rebase", "-q", "-i", "HEAD~1"], in: "repo", environment: editAll)
        XCTAssertEqual(repository.state, .rebase)
        try fixture.git(["rebase", "--abort"], in: "repo")
        XCTAssertEqual(repository.state, .none)
    }

    func testConflictedCherryPick() throws {
        XCTAssertThrowsError(try fixture.git(["cherry-pick", "other~1"], in: "repo"), "should conflict")
        XCTAssertEqual(repository.state, .cherryPick)
    }
}

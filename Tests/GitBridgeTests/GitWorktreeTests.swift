import Basics
import GitBridge
import XCTest

/// The temporary worktrees of `cairn reproduce`: added detached at a commit through libgit2, checked against
/// what the real git sees, then removed and pruned.
final class GitWorktreeTests: XCTestCase {
    func testDetachedWorktreeAtAnOlderCommitLeavesTheMainWorkTreeAlone() throws {
        let fixture = try GitFixture()
        try fixture.initRepository()
        try fixture.write("repo/a.txt", "one\n")
        try fixture.git(["add", "a.txt"], in: "repo")
        try fixture.git(["commit", "-qm", "one"], in: "repo")
        let first = try fixture.git(["rev-parse", "HEAD"], in: "repo").trimmingWhitespace
        try fixture.write("repo/a.txt", "two\n")
        try fixture.git(["commit", "-qam", "two"], in: "repo")
        try fixture.write("repo/a.txt", "uncommitted\n")
        let head = try fixture.git(["rev-parse", "HEAD"], in: "repo")

        let repository = try GitRepository.discover(startingAt: fixture.path("repo"))
        let path = fixture.path("repo/.git/tmp-worktree")
        try repository.addDetachedWorktree(name: "tmp-worktree", path: path, revision: first)
        XCTAssertEqual(try FS.readString(Paths.join(path, "a.txt")), "one\n")
        XCTAssertEqual(try fixture.git(["rev-parse", "HEAD"], in: "repo/.git/tmp-worktree").trimmingWhitespace, first)
        XCTAssertTrue(try fixture.git(["status", "--porcelain", "-b"], in: "repo/.git/tmp-worktree").contains("no branch"))
        XCTAssertEqual(try repository.worktreeNames(), ["tmp-worktree"])
        XCTAssertEqual(try fixture.git(["branch", "--list"], in: "repo").trimmingWhitespace, "* main",
                       "the helper branch is gone")
        XCTAssertEqual(try fixture.git(["rev-parse", "HEAD"], in: "repo"), head)
        XCTAssertEqual(try FS.readString(fixture.path("repo/a.txt")), "uncommitted\n")

        try FS.removeTree(path)
        try repository.removeWorktree(name: "tmp-worktree", removeFiles: false)
        XCTAssertEqual(try repository.worktreeNames(), [])
        XCTAssertEqual(try fixture.git(["worktree", "list", "--porcelain"], in: "repo")
            .split(separator: "\n").filter { $0.hasPrefix("worktree ") }.count, 1)
        // Removing one that is gone is not an error.
        try repository.removeWorktree(name: "tmp-worktree", removeFiles: true)
    }
}

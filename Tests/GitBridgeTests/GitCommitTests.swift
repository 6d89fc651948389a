import Basics
import GitBridge
import XCTest

/// `GitRepository.commit(paths:message:)` records what `git add PATHS && git commit` would, as the git CLI sees it.
final class GitCommitTests: XCTestCase {
    func testRootCommitThenAChildThatRemovesAFile() throws {
        let fixture = try GitFixture()
        try fixture.initRepository("repo")
        try fixture.write("repo/a.txt", "a\n")
        try fixture.write("repo/dir/b.txt", "b\n")
        try fixture.write("repo/untouched.txt", "u\n")
        let repository = try GitRepository.discover(startingAt: fixture.path("repo"))
        let first = try repository.commit(paths: ["a.txt", "dir/b.txt"], message: "first\n")
        XCTAssertEqual(try fixture.git(["rev-parse", "HEAD"], in: "repo").trimmingCharacters(in: .whitespacesAndNewlines), first)
        XCTAssertEqual(try fixture.git(["ls-tree", "-r", "--name-only", "HEAD"], in: "repo"), "a.txt\ndir/b.txt\n")
        XCTAssertEqual(try fixture.git(["log", "-1", "--format=%an <%ae> %s"], in: "repo"), "Cairn Tests <tests@cairn.invalid> first\n")

        try FS.removeFile(fixture.path("repo/a.txt"))
        try fixture.write("repo/dir/b.txt", "b2\n")
        let second = try repository.commit(paths: ["a.txt", "dir/b.txt"], message: "second")
        XCTAssertNotEqual(first, second)
        XCTAssertEqual(try fixture.git(["rev-parse", "HEAD~1"], in: "repo").trimmingCharacters(in: .whitespacesAndNewlines), first)
        XCTAssertEqual(try fixture.git(["ls-tree", "-r", "--name-only", "HEAD"], in: "repo"), "dir/b.txt\n")
        XCTAssertEqual(try fixture.git(["show", "HEAD:dir/b.txt"], in: "repo"), "b2\n")
        // The index matches HEAD for what was committed; the untouched file stays untracked.
        XCTAssertEqual(try fixture.git(["status", "--porcelain"], in: "repo"), "?? untouched.txt\n")
    }
}

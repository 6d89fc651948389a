import Basics
import GitBridge
import XCTest

/// A small branchy history, built once per test with the real git:
///
///     c1 ─ c2 ─────── c3 ─ merge ─ c4 (rename x→z) ─ c5 (delete y)      main
///           └─ f1 (add y) ──┘                                           feature
///     tags on c2: `light` (lightweight), `v1.0` (annotated)
class BranchyHistoryTestCase: XCTestCase {
    /// The commits of one built history; the fixture owns the directory.
    struct History {
        let fixture: GitFixture
        var c1 = "", c2 = "", f1 = "", c3 = "", merge = "", c4 = "", c5 = ""
    }

    static let t0 = 1_600_000_000
    /// Built once per test class (a dozen git runs per test would dominate the suite's run time) and removed
    /// after the class's last test. setUp puts HEAD back on main for tests that move it.
    nonisolated(unsafe) private static var shared: History?
    private static let sharedLock = Mutex()

    var fixture: GitFixture!
    var repository: GitRepository!
    var c1 = "", c2 = "", f1 = "", c3 = "", merge = "", c4 = "", c5 = ""
    var t0: Int { Self.t0 }

    override func setUpWithError() throws {
        let history = try Self.sharedLock.withLock {
            if let built = Self.shared { return built }
            let built = try Self.build()
            Self.shared = built
            return built
        }
        fixture = history.fixture
        (c1, c2, f1, c3, merge, c4, c5) =
            (history.c1, history.c2, history.f1, history.c3, history.merge, history.c4, history.c5)
        try fixture.git(["checkout", "-q", "main"], in: "repo")
        repository = try GitRepository.discover(startingAt: fixture.path("repo"))
    }

    override func tearDown() {
        repository = nil
        fixture = nil
    }

    override class func tearDown() {
        sharedLock.withLock { shared = nil }
        super.tearDown()
    }

    private static func build() throws -> History {
        let fixture = try GitFixture()
        var history = History(fixture: fixture)
        try fixture.initRepository()
        history.c1 = try fixture.commit("Add a, x and img",
                                        ["a.txt": "a1\n", "data/x.cairn": "x1\n", "img.cairn": "i1\n"], at: t0 + 10)
        history.c2 = try fixture.commit("Change x", ["data/x.cairn": "x2\n"], at: t0 + 20)
        try fixture.git(["tag", "light"], in: "repo")
        try fixture.git(["tag", "-a", "v1.0", "-m", "release 1.0"], in: "repo", environment: fixture.dates(t0 + 21))
        try fixture.git(["checkout", "-q", "-b", "feature"], in: "repo")
        history.f1 = try fixture.commit("Add y", ["data/y.cairn": "y1\n"], at: t0 + 30)
        try fixture.git(["checkout", "-q", "main"], in: "repo")
        history.c3 = try fixture.commit("Tweak a\n\nA longer body that is not the subject.", ["a.txt": "a2\n"],
                                        at: t0 + 40)
        try fixture.git(["merge", "-q", "--no-ff", "-m", "Merge feature", "feature"], in: "repo",
                        environment: fixture.dates(t0 + 50))
        history.merge = try fixture.sha("HEAD")
        try fixture.git(["mv", "data/x.cairn", "data/z.cairn"], in: "repo")
        history.c4 = try fixture.commit("Rename x to z", at: t0 + 60)
        history.c5 = try fixture.commit("Delete y", ["data/y.cairn": nil], at: t0 + 70)
        return history
    }
}

final class GitRevisionTests: BranchyHistoryTestCase {
    func testEveryRevisionFormResolvesToItsCommit() throws {
        let expected: [(String, String)] = [
            (c2, c2), (String(c2.prefix(8)), c2), ("main", c5), ("feature", f1), ("light", c2), ("v1.0", c2),
            ("refs/tags/v1.0", c2), ("HEAD", c5), ("HEAD^", c4), ("HEAD~2", merge), ("HEAD~3", c3),
            ("HEAD~2^2", f1), ("v1.0~1", c1), ("main@{0}", c5),
        ]
        for (revision, sha) in expected {
            XCTAssertEqual(try repository.resolve(revision).sha, sha, "revision \(revision)")
        }
        let tagObject = try XCTUnwrap(try fixture.lines(["rev-parse", "v1.0"]).first)
        XCTAssertNotEqual(tagObject, c2, "v1.0 should be an annotated tag object")
        XCTAssertEqual(try repository.resolve(tagObject).sha, c2, "a tag object's full id peels to its commit")
    }

    func testCommitInfoCarriesAuthorTimeSubjectAndParents() throws {
        let info = try repository.resolve("v1.0")
        XCTAssertEqual(info.sha.count, 40)
        XCTAssertEqual(info.shortSha, String(c2.prefix(7)))
        XCTAssertEqual(info.authorName, "Cairn Tests")
        XCTAssertEqual(info.authorEmail, "tests@cairn.invalid")
        XCTAssertEqual(info.time, Int64(t0 + 20))
        XCTAssertEqual(info.timeOffsetMinutes, 120)
        XCTAssertEqual(info.subject, "Change x")
        XCTAssertEqual(info.parents, [c1])
        XCTAssertEqual(try repository.resolve(c3).subject, "Tweak a")
        XCTAssertEqual(try repository.resolve(merge).parents, [c3, f1])
        XCTAssertEqual(try repository.resolve(c1).parents, [])
        let decoded = try JSONDecoder().decode(CommitInfo.self, from: JSONEncoder().encode(info))
        XCTAssertEqual(decoded, info)
    }

    func testUnknownRevisionsFailWithOneLine() throws {
        for revision in ["nope", "HEAD~99", "", "0123456789012345678901234567890123456789", "main^3"] {
            XCTAssertThrowsError(try repository.resolve(revision), revision) { error in
                XCTAssertEqual("\(error)", "unknown revision '\(revision)'")
            }
        }
        XCTAssertThrowsError(try repository.resolve("HEAD:a.txt")) { error in
            XCTAssertEqual("\(error)", "revision 'HEAD:a.txt' does not name a commit")
        }
    }

    func testHeadIsNilOnAnUnbornBranchAndTheTipOtherwise() throws {
        let fresh = try GitFixture()
        try fresh.initRepository("fresh")
        XCTAssertNil(try GitRepository.discover(startingAt: fresh.path("fresh")).head())
        XCTAssertEqual(try repository.head()?.sha, c5)
        try fixture.git(["checkout", "-q", "--detach", "v1.0"], in: "repo")
        XCTAssertEqual(try repository.head()?.sha, c2)
    }

    func testBranchesAndTagsArePeeledToCommits() throws {
        let branches = try repository.branches()
        XCTAssertEqual(branches.map(\.name), ["feature", "main"])
        XCTAssertEqual(branches.map(\.sha), [f1, c5])
        let tags = try repository.tags()
        XCTAssertEqual(tags.map(\.name), ["light", "v1.0"])
        XCTAssertEqual(tags.map(\.sha), [c2, c2], "the annotated tag must be peeled to its commit")
    }

    func testAllRefCommitsIncludesADetachedHead() throws {
        XCTAssertEqual(try repository.allRefCommits(), [c2, c5, f1].sorted())
        try fixture.git(["checkout", "-q", "--detach", "HEAD~1"], in: "repo")
        XCTAssertEqual(try repository.allRefCommits(), [c2, c4, c5, f1].sorted())
    }

    func testCommitsReachableFromRevisions() throws {
        XCTAssertEqual(try repository.commits(reachableFrom: ["feature"]), [c1, c2, f1].sorted())
        XCTAssertEqual(try repository.commits(reachableFrom: ["v1.0", "feature"]), [c1, c2, f1].sorted())
        let all = try fixture.lines(["rev-list", "--all"]).sorted()
        XCTAssertEqual(try repository.commits(reachableFrom: ["main"]), all)
        XCTAssertEqual(try repository.commits(reachableFrom: []), [])
        XCTAssertThrowsError(try repository.commits(reachableFrom: ["main", "nope"]))
    }
}

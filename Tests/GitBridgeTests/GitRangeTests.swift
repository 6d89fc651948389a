import Basics
import GitBridge
import XCTest

/// Ranges and hidden commits (issue 8, item 1): `--rev A..B` and the commits a pre-push hook sends.
final class GitRangeTests: BranchyHistoryTestCase {
    func testRangeSyntax() throws {
        XCTAssertNil(try RevisionRange.parse("main"))
        XCTAssertNil(try RevisionRange.parse("HEAD~2"))
        XCTAssertEqual(try RevisionRange.parse("v1.0..main"), RevisionRange(excluded: "v1.0", included: "main"))
        XCTAssertEqual(try RevisionRange.parse("v1.0.."), RevisionRange(excluded: "v1.0", included: "HEAD"))
        XCTAssertEqual(try RevisionRange.parse("..main"), RevisionRange(excluded: "HEAD", included: "main"))
        XCTAssertThrowsError(try RevisionRange.parse("a...b")) { XCTAssertTrue("\($0)".contains("three-dot")) }
        XCTAssertThrowsError(try RevisionRange.parse("a..b..c"))
    }

    func testRangeIsWhatGitLogListsForIt() throws {
        for range in ["feature..main", "v1.0..main", "\(c1)..feature", "main..feature", "HEAD~2..HEAD"] {
            let parsed = try XCTUnwrap(try RevisionRange.parse(range))
            XCTAssertEqual(try repository.commits(in: parsed), try fixture.lines(["rev-list", range]).sorted(), range)
        }
        XCTAssertEqual(try repository.commits(in: RevisionRange(excluded: "feature", included: "main")),
                       [c3, merge, c4, c5].sorted())
        XCTAssertThrowsError(try repository.commits(in: RevisionRange(excluded: "nope", included: "main"))) {
            XCTAssertEqual("\($0)", "unknown revision 'nope'")
        }
    }

    func testUnknownHiddenCommitsAreSkippedOnlyWhenAsked() throws {
        let unknown = String(repeating: "1", count: 40)
        XCTAssertEqual(try repository.commits(reachableFrom: [c2], notReachableFrom: [unknown], ignoringUnknownHidden: true),
                       [c1, c2].sorted())
        XCTAssertThrowsError(try repository.commits(reachableFrom: [c2], notReachableFrom: [unknown]))
        XCTAssertEqual(try repository.commits(reachableFrom: [c5], notReachableFrom: [c4, f1]), [c5])
    }

    func testRemoteTrackingCommitsAreThoseOfTheNamedRemote() throws {
        try fixture.git(["update-ref", "refs/remotes/origin/main", c3], in: "repo")
        try fixture.git(["update-ref", "refs/remotes/origin/feature", f1], in: "repo")
        try fixture.git(["update-ref", "refs/remotes/origin2/main", c5], in: "repo")
        defer {
            for ref in ["refs/remotes/origin/main", "refs/remotes/origin/feature", "refs/remotes/origin2/main"] {
                _ = try? fixture.git(["update-ref", "-d", ref], in: "repo")
            }
        }
        XCTAssertEqual(try repository.remoteTrackingCommits(remote: "origin"), [c3, f1].sorted())
        XCTAssertEqual(try repository.remoteTrackingCommits(remote: "origin2"), [c5])
        XCTAssertEqual(try repository.remoteTrackingCommits(remote: "/some/url.git"), [])
    }

    /// Reading the pointers of many commits skips subtrees already read, and still finds every (path, blob)
    /// pair, first listed with the first commit (in the order given) that holds it.
    func testFilesInManyCommitsListEveryPairWithItsFirstCommit() throws {
        let order = [c1, c2, f1, c3, merge, c4, c5]
        var expected: [String: String] = [:]    // "path blob" → first commit
        var perCommitTotal = 0
        for sha in order {
            let files = try repository.files(at: sha, withSuffix: ".cairn")
            perCommitTotal += files.count
            for file in files where expected["\(file.path) \(file.blob)"] == nil { expected["\(file.path) \(file.blob)"] = sha }
        }
        let listed = try repository.files(inCommits: order, withSuffix: ".cairn")
        var first: [String: String] = [:]
        for entry in listed where first["\(entry.path) \(entry.blob)"] == nil { first["\(entry.path) \(entry.blob)"] = entry.commit }
        XCTAssertEqual(first, expected)
        XCTAssertLessThan(listed.count, perCommitTotal, "subtrees shared by commits are read once")
        XCTAssertEqual(try repository.files(inCommits: [c5, c5], withSuffix: ".cairn").count,
                       try repository.files(at: c5, withSuffix: ".cairn").count, "a tree already read adds nothing")
    }
}

import Basics
import Foundation
import GitBridge
import XCTest

final class GitHistoryTests: BranchyHistoryTestCase {
    func testWholeHistoryIsNewestFirstWithParentsAfterChildren() throws {
        let history = try repository.history(path: nil)
        XCTAssertEqual(history.map(\.sha), [c5, c4, merge, c3, f1, c2, c1])
        let position = Dictionary(uniqueKeysWithValues: history.enumerated().map { ($1.sha, $0) })
        for commit in history {
            for parent in commit.parents {
                XCTAssertLessThan(position[commit.sha] ?? -1, position[parent] ?? -1, "parent listed before child")
            }
        }
    }

    func testPathHistoryListsAddChangeAndDelete() throws {
        XCTAssertEqual(try repository.history(path: "data/x.cairn").map(\.sha), [c4, c2, c1], "c4 renamed it away")
        XCTAssertEqual(try repository.history(path: "data/z.cairn").map(\.sha), [c4])
        XCTAssertEqual(try repository.history(path: "img.cairn").map(\.sha), [c1])
        XCTAssertEqual(try repository.history(path: "never/there.cairn").map(\.sha), [])
    }

    func testPathHistoryThroughAMergeListsTheSideCommitAndTheMerge() throws {
        XCTAssertEqual(try repository.history(path: "data/y.cairn").map(\.sha), [c5, merge, f1])
        XCTAssertEqual(try repository.history(path: "data/y.cairn", from: "feature").map(\.sha), [f1])
    }

    func testDirectoryHistoryAndLimit() throws {
        XCTAssertEqual(try repository.history(path: "data/").map(\.sha), [c5, c4, merge, f1, c2, c1])
        XCTAssertEqual(try repository.history(path: "data/x.cairn", limit: 2).map(\.sha), [c4, c2])
        XCTAssertEqual(try repository.history(path: nil, from: "v1.0", limit: 1).map(\.sha), [c2])
        XCTAssertEqual(try repository.history(path: nil, limit: 0), [])
        XCTAssertThrowsError(try repository.history(path: nil, from: "nope")) { error in
            XCTAssertEqual("\(error)", "unknown revision 'nope'")
        }
    }
}

/// 1,000 commits made with git fast-import: the scale `cairn log` promises to answer in under a second.
final class GitLongHistoryTests: XCTestCase {
    func testThousandCommitHistoryMatchesGitAndIsFast() throws {
        let fixture = try GitFixture()
        try fixture.initRepository()
        try fixture.importLinearHistory(count: 1_000, modelEvery: 3)
        let repository = try GitRepository.discover(startingAt: fixture.path("repo"))

        let everything = try repository.history(path: nil)
        XCTAssertEqual(everything.map(\.sha), try fixture.lines(["rev-list", "main"]))

        let start = Date()
        let model = try repository.history(path: "data/model.cairn")
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertEqual(model.count, 333)
        XCTAssertEqual(model.map(\.sha), try fixture.lines(["log", "--format=%H", "--", "data/model.cairn"]))
        XCTAssertEqual(model.first?.subject, "commit 999")
        XCTAssertEqual(model.last?.time, 1_700_000_003)
        // Debug builds are several times slower than release; the promise is for release.
        XCTAssertLessThan(elapsed, 2.0, "history of one path over 1,000 commits took \(elapsed) s")
        print("gitbridge: history of one path over 1,000 commits in \(String(format: "%.3f", elapsed)) s")

        XCTAssertEqual(try repository.history(path: "data/model.cairn", limit: 10).count, 10)
        XCTAssertEqual(try repository.changedFiles(in: "HEAD~1", withSuffix: ".cairn"), ["data/model.cairn"])
        XCTAssertEqual(try repository.commits(reachableFrom: ["HEAD~500"]).count, 500)
    }
}

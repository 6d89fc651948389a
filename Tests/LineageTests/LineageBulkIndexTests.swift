import Basics
import Foundation
import Lineage
import XCTest

/// Scale and rebuild: `cairn lineage rebuild` over 10,000 commits must take seconds, and a rebuild must answer
/// exactly as the incremental path (pending → bound → indexed) did.
final class LineageBulkIndexTests: XCTestCase {
    private typealias S = LineageSamples
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory("lineage-bulk") }
    override func tearDown() { directory = nil }

    /// Commit i changes `data/set<i % 50>` to content i (10,000 commits, 10,000 versions over 50 paths).
    private func history(_ count: Int) -> [(commit: CommitRow, versions: [VersionRecord])] {
        (1...count).map { i in
            let path = "data/set\(i % 50)"
            let previous = i > 50 ? i - 50 : nil
            return (S.commit(i, time: Int64(1_000_000 + i), parents: i > 1 ? [i - 1] : []),
                    [S.version(path, i, previous: previous, size: Int64(i))])
        }
    }

    func testTenThousandCommitsIndexInSeconds() throws {
        let store = try LineageStore(path: directory.file("lineage.db"))
        let commits = history(10_000)
        let start = Date()
        for batchStart in stride(from: 0, to: commits.count, by: 1_000) {
            try store.indexCommits(Array(commits[batchStart..<min(batchStart + 1_000, commits.count)]))
        }
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertEqual(try store.counts(), LineageCounts(commits: 10_000, indexedCommits: 10_000, versions: 10_000,
                                                          pendingVersions: 0, runs: 0))
        XCTAssertLessThan(elapsed, 10, "indexing 10,000 commits took \(elapsed) s")
        XCTAssertEqual(try store.versions(of: "data/set7").count, 200)
        XCTAssertEqual(try store.versions(of: "data/set7").first?.objectID, S.id(9_957))
        XCTAssertEqual(try store.indexedCommits().count, 10_000)
        print("lineage: indexed 10,000 commits in \(String(format: "%.3f", elapsed)) s")
    }

    func testRebuildAnswersLikeTheIncrementalPath() throws {
        let commits = history(120)
        let incremental = try LineageStore(path: directory.file("incremental.db"))
        // Incremental: each version is added (pending), bound by the post-commit hook, and every tenth
        // commit a later command catches up by indexing what is not indexed yet.
        var indexedUpTo = 0
        for (offset, entry) in commits.enumerated() {
            for version in entry.versions { try incremental.recordPending(version) }
            for version in entry.versions {
                try incremental.bindPending(path: version.path, objectID: version.objectID, to: entry.commit)
            }
            if offset % 10 == 9 {
                for catchUp in commits[indexedUpTo...offset] where !(try incremental.isIndexed(catchUp.commit.sha)) {
                    try incremental.indexCommit(catchUp.commit, versions: catchUp.versions)
                }
                indexedUpTo = offset + 1
            }
        }
        let rebuilt = try LineageStore(path: directory.file("rebuilt.db"))
        try rebuilt.indexCommit(commits[5].commit, versions: [S.version("stale", 1)])
        try rebuilt.reset()
        try rebuilt.indexCommits(commits.reversed())   // newest first: order must not matter

        XCTAssertEqual(try incremental.counts(), try rebuilt.counts())
        for set in 0..<50 {
            XCTAssertEqual(try incremental.versions(of: "data/set\(set)"), try rebuilt.versions(of: "data/set\(set)"))
        }
        let key = VersionKey(path: "data/set3", objectID: S.id(53))
        XCTAssertEqual(try incremental.lineage(of: key, downstream: true),
                       try rebuilt.lineage(of: key, downstream: true))
        XCTAssertEqual(try rebuilt.lineage(of: key, downstream: false).map(\.from.objectID), [S.id(3)])
    }
}

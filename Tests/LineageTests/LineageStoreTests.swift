import Basics
import Foundation
import Lineage
import XCTest

final class LineageStoreTests: XCTestCase {
    private typealias S = LineageSamples
    private var directory: TemporaryDirectory!
    private var store: LineageStore!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory("lineage-store")
        store = try LineageStore(path: directory.file("lineage.db"))
    }

    override func tearDown() {
        store = nil
        directory = nil
    }

    func testSchemaIsCreatedAtTheCurrentVersionAndANewerOneIsRefused() throws {
        XCTAssertEqual(try Database(path: store.path).userVersion(), LineageStore.schemaVersion)
        XCTAssertEqual(try store.counts(), LineageCounts(commits: 0, indexedCommits: 0, versions: 0,
                                                          pendingVersions: 0, runs: 0))
        try Database(path: store.path).setUserVersion(LineageStore.schemaVersion + 1)
        XCTAssertThrowsError(try LineageStore(path: store.path)) { error in
            XCTAssertTrue("\(error)".contains("newer than this cairn supports"), "\(error)")
        }
    }

    func testADamagedFileIsRecreatedEmpty() throws {
        store = nil
        let file = directory.file("lineage.db")
        try FS.removeFile(file + "-wal")
        try FS.removeFile(file + "-shm")
        try FS.writeAtomically(file, Array(repeating: UInt8(0x5A), count: 4096))
        let warnings = Locked<[String]>([])
        let reopened = try LineageStore(path: file, warn: { message in warnings.withLock { $0.append(message) } })
        XCTAssertTrue(reopened.wasRecreated)
        XCTAssertEqual(warnings.snapshot.count, 1)
        XCTAssertEqual(try reopened.counts().commits, 0)
    }

    func testPendingVersionIsReplacedByTheNextAddOfThePath() throws {
        try store.recordPending(S.version("data/a.csv", 1))
        try store.recordPending(S.version("data/a.csv", 2, previous: 1))
        try store.recordPending(S.version("data/b.csv", 3))
        let versions = try store.versions(of: "data/a.csv")
        XCTAssertEqual(versions.map(\.objectID), [S.id(2)])
        XCTAssertTrue(versions[0].isPending)
        XCTAssertNil(versions[0].time)
        XCTAssertEqual(versions[0].previousObjectID, S.id(1))
        XCTAssertEqual(try store.counts().pendingVersions, 2)
    }

    func testBindingAPendingVersionGivesItTheCommit() throws {
        try store.recordPending(S.version("model.bin", 7, kind: "model", desc: "first try"))
        XCTAssertTrue(try store.bindPending(path: "model.bin", objectID: S.id(7), to: S.commit(1, time: 1_000)))
        XCTAssertFalse(try store.bindPending(path: "model.bin", objectID: S.id(7), to: S.commit(1, time: 1_000)),
                       "nothing pending any more")
        XCTAssertFalse(try store.bindPending(path: "model.bin", objectID: S.id(8), to: S.commit(1, time: 1_000)))
        let version = try XCTUnwrap(try store.versions(of: "model.bin").first)
        XCTAssertEqual(version.commitSha, S.sha(1))
        XCTAssertEqual(version.authorName, "Author 1")
        XCTAssertEqual(version.authorEmail, "a1@example.com")
        XCTAssertEqual(version.time, 1_000)
        XCTAssertEqual(version.timeOffsetMinutes, 60)
        XCTAssertEqual(version.subject, "commit 1")
        XCTAssertEqual(version.desc, "first try")
        XCTAssertFalse(try store.isIndexed(S.sha(1)), "binding one pointer is not indexing the commit")
    }

    func testIndexingACommitBindsItsPendingVersionsAndBindingAfterwardsKeepsGitsRow() throws {
        try store.recordPending(S.version("a", 1, desc: "from add"))
        try store.indexCommit(S.commit(1, time: 10), versions: [S.version("a", 1, desc: "from git")])
        XCTAssertFalse(try store.bindPending(path: "a", objectID: S.id(1), to: S.commit(1, time: 10)))
        let versions = try store.versions(of: "a")
        XCTAssertEqual(versions.count, 1)
        XCTAssertEqual(versions.first?.desc, "from git")
        XCTAssertEqual(versions.first?.commitSha, S.sha(1))
        XCTAssertTrue(try store.isIndexed(S.sha(1)))

        // Pending recorded, then the commit appears in the database before the hook binds it.
        try store.recordPending(S.version("b", 2, desc: "from add"))
        try store.bindPending(path: "b", objectID: S.id(2), to: S.commit(2, time: 20, parents: [1]))
        try store.indexCommit(S.commit(2, time: 20, parents: [1]), versions: [S.version("b", 2, desc: "from git")])
        XCTAssertEqual(try store.versions(of: "b").map(\.desc), ["from git"])
        XCTAssertEqual(try store.counts(), LineageCounts(commits: 2, indexedCommits: 2, versions: 2,
                                                          pendingVersions: 0, runs: 0))
    }

    func testIndexCommitIsIdempotentAndReplacesWhatItRecordedBefore() throws {
        let commit = S.commit(5, time: 50, parents: [4])
        let versions = [S.version("x", 1), S.version("y", 2)]
        try store.indexCommit(commit, versions: versions)
        let first = try store.versions(inCommit: S.sha(5))
        try store.indexCommit(commit, versions: versions)
        XCTAssertEqual(try store.versions(inCommit: S.sha(5)), first)
        XCTAssertEqual(try store.counts().versions, 2)
        try store.indexCommit(commit, versions: [S.version("y", 3)])
        XCTAssertEqual(try store.versions(inCommit: S.sha(5)).map(\.key), [VersionKey(path: "y", objectID: S.id(3))])
        XCTAssertEqual(try store.indexedCommits(), [S.sha(5)])
    }

    func testVersionsComeNewestFirstWithPendingOnTop() throws {
        try store.indexCommit(S.commit(1, time: 10), versions: [S.version("p", 1)])
        try store.indexCommit(S.commit(3, time: 30, parents: [2]), versions: [S.version("p", 3, previous: 2)])
        try store.indexCommit(S.commit(2, time: 20, parents: [1]), versions: [S.version("p", 2, previous: 1)])
        // Same second as commit 3: the sha decides, so the order never depends on indexing order.
        try store.indexCommit(S.commit(4, time: 30, parents: [3]), versions: [S.version("q", 3)])
        try store.recordPending(S.version("p", 9, previous: 3))
        XCTAssertEqual(try store.versions(of: "p").map(\.objectID), [S.id(9), S.id(3), S.id(2), S.id(1)])
        XCTAssertEqual(try store.versions(of: "p").map(\.commitSha), [nil, S.sha(3), S.sha(2), S.sha(1)])
        XCTAssertEqual(try store.versions(withObject: S.id(3)).map(\.path), ["q", "p"])
        XCTAssertEqual(try store.versions(of: "nothing"), [])
        XCTAssertEqual(try store.introduction(of: VersionKey(path: "p", objectID: S.id(2)))?.commitSha, S.sha(2))
        XCTAssertNil(try store.introduction(of: VersionKey(path: "p", objectID: S.id(9))), "pending only")
    }

    func testResetForgetsGitKnowledgeButKeepsPendingUnlessAsked() throws {
        try store.indexCommit(S.commit(1, time: 10), versions: [S.version("p", 1)])
        try store.recordRun(RunRecord(stage: "s", command: "c", startedAt: 1, status: .succeeded,
                                      inputs: [], outputs: []))
        try store.recordPending(S.version("p", 2, previous: 1))
        try store.reset()
        // A recorded run is not in Git either: it stays, like a pending version.
        XCTAssertEqual(try store.counts(), LineageCounts(commits: 0, indexedCommits: 0, versions: 1,
                                                          pendingVersions: 1, runs: 1))
        XCTAssertFalse(try store.isIndexed(S.sha(1)))
        try store.reset(keepingPending: false)
        XCTAssertEqual(try store.counts().versions, 0)
    }

    func testVersionRecordJSONUsesPrefixedIDs() throws {
        var record = S.version("d/f.csv", 1, previous: 0, desc: "hello")
        record.commitSha = S.sha(1)
        record.time = 5
        let json = try JSONEncoder().encode(record)
        let text = String(decoding: json, as: UTF8.self)
        XCTAssertTrue(text.contains("\"id\":\"sha256:\(S.id(1).hex)\""), text)
        XCTAssertEqual(try JSONDecoder().decode(VersionRecord.self, from: json), record)
        let broken = Data(text.replacingOccurrences(of: "sha256:\(S.id(1).hex)", with: "sha256:nothex").utf8)
        XCTAssertThrowsError(try JSONDecoder().decode(VersionRecord.self, from: broken))
    }
}

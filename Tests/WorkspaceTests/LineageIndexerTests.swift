import Basics
import Foundation
import Lineage
import GitBridge
import XCTest
@testable import Workspace

/// The indexer on a real Git history (made with the git CLI, pointers written by hand: the indexer reads
/// only pointers, never data).
final class LineageIndexerTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "/cairn-indexer-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try git("init", "-q")
        try git("config", "user.name", "Indexer Test")
        try git("config", "user.email", "indexer@example.invalid")
        _ = try RepositoryInit.run(cwd: directory)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    private func git(_ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        if process.terminationStatus != 0 { throw CairnError("git \(arguments.joined(separator: " ")) failed") }
    }

    /// Commits a pointer for `data/<name>` whose id is derived from `version`.
    private func commitPointer(_ name: String, version: Int, text: String? = nil) throws {
        let id = ObjectID.of(Array("\(name) \(version)".utf8))
        let pointer = PointerFile(path: name, type: .file, id: id, size: UInt64(version * 10))
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
        try (text ?? pointer.encode()).write(toFile: directory + "/data/\(name).cairn", atomically: true, encoding: .utf8)
        try git("add", "-A")
        try git("commit", "-qm", "\(name) v\(version)")
    }

    private func open() throws -> (CairnRepository, LineageIndexer) {
        let repo = try CairnRepository.open(cwd: directory, lockMode: .shared)
        return (repo, LineageIndexer(repo: repo, store: try LineageIndexer.openStore(repo: repo)))
    }

    func testIncrementalCatchUpEqualsRebuild() throws {
        try commitPointer("a.bin", version: 1)
        try commitPointer("b.bin", version: 1)
        let (_, first) = try open()
        XCTAssertEqual(try first.catchUp(), 2)
        try git("switch", "-q", "-c", "side")
        try commitPointer("a.bin", version: 2)
        try git("switch", "-q", "-")
        try commitPointer("b.bin", version: 2)
        XCTAssertEqual(try first.catchUp(), 2, "only the new commits, on both branches")
        XCTAssertEqual(try first.catchUp(), 0)
        let incremental = try ["data/a.bin", "data/b.bin"].map { try first.store.versions(of: $0) }
        XCTAssertEqual(incremental.map(\.count), [2, 2])
        // Commits made within one second tie on time, so find the version by content rather than position.
        let second = incremental[0].first { $0.objectID == ObjectID.of(Array("a.bin 2".utf8)) }
        XCTAssertEqual(second?.previousObjectID, ObjectID.of(Array("a.bin 1".utf8)))

        XCTAssertEqual(try first.rebuild(), 4)
        XCTAssertEqual(try ["data/a.bin", "data/b.bin"].map { try first.store.versions(of: $0) }, incremental)
    }

    func testCommitsAreIndexedParentsFirst() throws {
        for version in 1...4 { try commitPointer("a.bin", version: version) }
        let (repo, indexer) = try open()
        let order = try indexer.unindexedCommits(from: [try XCTUnwrap(repo.git.head()).sha], known: [])
        XCTAssertEqual(order.count, 4)
        guard order.count == 4 else { return }
        var seen = Set<String>()
        for commit in order {
            XCTAssertTrue(commit.parents.allSatisfy(seen.contains), "\(commit.subject) before its parent")
            seen.insert(commit.sha)
        }
        // Stops at an indexed commit: with HEAD~2 and its ancestors known, only the two newer commits are new.
        let known = Set(order.prefix(2).map(\.sha))
        XCTAssertEqual(try indexer.unindexedCommits(from: [order[3].sha], known: known).map(\.sha),
                       order.suffix(2).map(\.sha))
    }

    func testMalformedPointerIsSkippedAndPendingVersionIsBound() throws {
        try commitPointer("bad.bin", version: 1, text: "format: 1\npath: wrong-name\n")
        let (repo, indexer) = try open()
        XCTAssertEqual(try indexer.catchUp(), 1)
        XCTAssertEqual(try indexer.store.versions(of: "data/bad.bin"), [])

        let id = ObjectID.of(Array("good.bin 7".utf8))
        let tracked = TrackedData(pointerPath: "data/good.bin.cairn", dataPath: "data/good.bin",
                                  pointer: PointerFile(path: "good.bin", type: .file, id: id, size: 70))
        LineageIndexer.recordPending(repo: repo, pointers: [tracked])
        XCTAssertEqual(try indexer.store.versions(of: "data/good.bin").map(\.isPending), [true])
        try commitPointer("good.bin", version: 7)
        try indexer.catchUp()
        let bound = try indexer.store.versions(of: "data/good.bin")
        XCTAssertEqual(bound.count, 1)
        XCTAssertEqual(bound.first?.commitSha, try repo.git.head()?.sha)
    }

    /// Runs come from the RunRecordSource (the Pipeline module's lock-file reader), bound to the commit that
    /// records them, and `rebuild` restores them from history as it restores versions.
    func testRunsComeFromTheRunSourceAndSurviveRebuild() throws {
        try commitPointer("raw.bin", version: 1)
        try commitPointer("model.bin", version: 1)
        let raw = VersionKey(path: "data/raw.bin", objectID: ObjectID.of(Array("raw.bin 1".utf8)))
        let model = VersionKey(path: "data/model.bin", objectID: ObjectID.of(Array("model.bin 1".utf8)))
        struct OneRun: RunRecordSource {
            let input: VersionKey, output: VersionKey
            func runs(in commit: CommitInfo, git: GitRepository) throws -> [RunRecord] {
                guard commit.subject.hasPrefix("model.bin") else { return [] }
                return [RunRecord(stage: "train", command: "python train.py", startedAt: 1, status: .succeeded,
                                  inputs: [input], outputs: [output])]
            }
        }
        let repo = try CairnRepository.open(cwd: directory, lockMode: .shared)
        let indexer = LineageIndexer(repo: repo, store: try LineageIndexer.openStore(repo: repo),
                                     runSource: OneRun(input: raw, output: model))
        XCTAssertEqual(try indexer.catchUp(), 2)
        let runs = try indexer.store.runs(producing: model)
        XCTAssertEqual(runs.map(\.stage), ["train"])
        XCTAssertEqual(runs.first?.commitSha, try repo.git.head()?.sha)
        XCTAssertEqual(runs.first?.inputs, [raw])

        try indexer.rebuild()
        XCTAssertEqual(try indexer.store.runs(producing: model).map(\.stage), ["train"], "rebuild restores runs")
        XCTAssertEqual(try indexer.store.runs(consuming: raw).count, 1)
    }
}

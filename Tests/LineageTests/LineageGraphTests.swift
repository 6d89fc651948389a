import Basics
import Lineage
import XCTest

/// Replacement chains (from `previousObjectID`) and run edges, as `cairn lineage [--downstream]` walks them.
final class LineageGraphTests: XCTestCase {
    private typealias S = LineageSamples
    private var directory: TemporaryDirectory!
    private var store: LineageStore!

    private func key(_ path: String, _ object: Int) -> VersionKey { VersionKey(path: path, objectID: S.id(object)) }

    /// raw: 1 → 2 → 3 in commits 1..3; commit 4 reverts raw to 1 (a cycle in ids); a run reads raw@3 and
    /// params@20 and writes model@30.
    override func setUpWithError() throws {
        directory = try TemporaryDirectory("lineage-graph")
        store = try LineageStore(path: directory.file("lineage.db"))
        try store.indexCommits([
            (S.commit(1, time: 10), [S.version("raw", 1), S.version("params", 20)]),
            (S.commit(2, time: 20, parents: [1]), [S.version("raw", 2, previous: 1)]),
            (S.commit(3, time: 30, parents: [2]), [S.version("raw", 3, previous: 2)]),
            (S.commit(4, time: 40, parents: [3]), [S.version("raw", 1, previous: 3)]),
        ])
    }

    override func tearDown() {
        store = nil
        directory = nil
    }

    func testDirectEdgesFollowPreviousIDs() throws {
        XCTAssertEqual(try store.upstreamEdges(of: key("raw", 3)),
                       [LineageEdge(from: key("raw", 2), to: key("raw", 3), relation: .replaces)])
        XCTAssertEqual(try store.downstreamEdges(of: key("raw", 2)),
                       [LineageEdge(from: key("raw", 2), to: key("raw", 3), relation: .replaces)])
        XCTAssertEqual(try store.upstreamEdges(of: key("params", 20)), [])
        XCTAssertEqual(try store.upstreamEdges(of: key("other", 2)), [], "same id at another path is unrelated")
    }

    func testTransitiveWalkStopsAtARevertCycle() throws {
        let upstream = try store.lineage(of: key("raw", 3), downstream: false)
        // Versions are content-keyed, so the revert (commit 4: 3 → 1) closes a cycle: 3 ← 2 ← 1 ← 3.
        XCTAssertEqual(upstream.map(\.from), [key("raw", 2), key("raw", 1), key("raw", 3)])
        XCTAssertEqual(Set(upstream).count, upstream.count, "an edge listed twice")
        let downstream = try store.lineage(of: key("raw", 1), downstream: true)
        // 1 → 2 → 3 → 1 again: each edge once, and the walk ends where it started.
        XCTAssertEqual(downstream.map(\.to), [key("raw", 2), key("raw", 3), key("raw", 1)])
        XCTAssertEqual(try store.lineage(of: key("raw", 1), downstream: true, maxEdges: 1).count, 1)
    }

    func testRunsConnectInputsToOutputs() throws {
        let run = RunRecord(stage: "train", command: "python train.py", commitSha: S.sha(4), startedAt: 100,
                            finishedAt: 160, status: .succeeded, inputs: [key("raw", 3), key("params", 20)],
                            outputs: [key("model", 30)])
        let id = try store.recordRun(run)
        var expected = run
        expected.id = id
        expected.inputs = [key("params", 20), key("raw", 3)]   // stored order: by path
        XCTAssertEqual(try store.run(id: id), expected)
        XCTAssertEqual(try store.runs(consuming: key("raw", 3)).map(\.id), [id])
        XCTAssertEqual(try store.runs(producing: key("model", 30)).map(\.id), [id])
        XCTAssertEqual(try store.runs(consuming: key("raw", 2)), [])
        XCTAssertNil(try store.run(id: id + 100))

        let down = try store.lineage(of: key("raw", 2), downstream: true)
        XCTAssertTrue(down.contains(LineageEdge(from: key("raw", 3), to: key("model", 30), relation: .derived,
                                                runID: id)), "\(down)")
        let up = try store.upstreamEdges(of: key("model", 30))
        XCTAssertEqual(up.map(\.from), [key("params", 20), key("raw", 3)])
        XCTAssertEqual(Set(up.map(\.relation)), [.derived])
    }

    func testRecordingARunAgainReplacesItsInputsAndOutputs() throws {
        let started = RunRecord(stage: "train", command: "make", startedAt: 1, status: .running,
                                inputs: [key("raw", 3)], outputs: [])
        let id = try store.recordRun(started)
        var finished = started
        finished.id = id
        finished.status = .failed
        finished.finishedAt = 2
        finished.inputs = [key("raw", 2)]
        XCTAssertEqual(try store.recordRun(finished), id)
        XCTAssertEqual(try store.run(id: id), finished)
        XCTAssertEqual(try store.runs(consuming: key("raw", 3)), [])
        XCTAssertEqual(try store.counts().runs, 1)
    }
}

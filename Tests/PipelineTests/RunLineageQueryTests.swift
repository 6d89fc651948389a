import Basics
import Foundation
import Lineage
import XCTest
@testable import Pipeline

/// The run walk behind `cairn lineage`, on a store filled by hand: raw → prepare → features → train → model.
final class RunLineageQueryTests: XCTestCase {
    private var directory = ""
    private var store: LineageStore!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-rlq-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try LineageStore(path: directory + "/lineage.db")
    }

    override func tearDownWithError() throws {
        store = nil
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func key(_ path: String, _ version: Int) -> VersionKey {
        VersionKey(path: path, objectID: ObjectID.of(Array("\(path) \(version)".utf8)))
    }

    @discardableResult
    private func run(_ stage: String, _ inputs: [VersionKey], _ outputs: [VersionKey], at time: Int64,
                     status: RunRecord.Status = .succeeded) throws -> Int64 {
        try store.recordRun(RunRecord(stage: stage, command: "make \(stage)", startedAt: time, finishedAt: time + 1,
                                      status: status, inputs: inputs, outputs: outputs, lockPath: "cairn.lock",
                                      paramsJSON: #"{"params.yaml":{"lr":0.1}}"#))
    }

    func testDepthFailedRunsAndDownstream() throws {
        try run("prepare", [key("raw.csv", 1)], [key("features.csv", 1)], at: 10)
        try run("train", [key("features.csv", 1), key("train.py", 1)], [key("model.bin", 1)], at: 20)
        try run("train", [key("features.csv", 1), key("train.py", 2)], [key("model.bin", 2)], at: 30)
        try run("train", [key("features.csv", 1), key("train.py", 3)], [key("model.bin", 9)], at: 40, status: .failed)

        let one = try RunLineageQuery.run(store: store, key: key("model.bin", 1), downstream: false, depth: 1)
        XCTAssertEqual(one.runs.map(\.stage), ["train"])
        XCTAssertEqual(one.versions.map(\.path), ["model.bin", "features.csv", "train.py"])
        let all = try RunLineageQuery.run(store: store, key: key("model.bin", 1), downstream: false, depth: nil)
        XCTAssertEqual(all.runs.map(\.stage), ["train", "prepare"])
        XCTAssertEqual(all.versions.last.map { ($0.path, $0.depth) }.map { "\($0.0)@\($0.1)" }, "raw.csv@2")

        let down = try RunLineageQuery.run(store: store, key: key("raw.csv", 1), downstream: true, depth: nil)
        XCTAssertEqual(Set(down.versions.filter { $0.depth > 0 }.map(\.id)),
                       Set([key("features.csv", 1), key("model.bin", 1), key("model.bin", 2)].map(\.objectID.prefixed)),
                       "every output derived, the failed run's left out")
        let near = try RunLineageQuery.run(store: store, key: key("raw.csv", 1), downstream: true, depth: 1)
        XCTAssertEqual(near.versions.map(\.path), ["raw.csv", "features.csv"])

        let json = String(decoding: try JSONEncoder().encode(one.runs[0]), as: UTF8.self)
        XCTAssertTrue(json.contains(#""params":{"params.yaml":{"lr":0.1}}"#), json)
        XCTAssertEqual(one.runs[0].params.summary, "params.yaml: lr=0.1")
    }
}

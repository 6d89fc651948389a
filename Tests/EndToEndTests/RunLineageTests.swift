import Basics
import Foundation
import XCTest

/// `cairn lineage` for pipeline outputs, through the built binary. Until `cairn repro` writes them, the tests commit
/// cairn.lock files by hand (format 1, docs/formats.md): runs are rebuilt from lock files in Git history, which is
/// also what makes them survive `cairn lineage rebuild` and reach clones.
final class RunLineageEndToEndTests: EndToEndTestCase {
    private func id(_ text: String) -> String { "sha256:" + ObjectID.of(Array(text.utf8)).hex }

    private func lock(raw: String, features: String, model: String, lr: String) -> String {
        """
        # cairn.lock: written by cairn repro, committed to Git; do not edit (docs/formats.md)
        format: 1
        stages:
          prepare:
            cmd: sh prepare.sh
            deps:
            - {path: raw.csv, type: file, id: "\(id(raw))", size: \(raw.utf8.count)}
            outs:
            - {path: features.csv, type: file, id: "\(id(features))", size: \(features.utf8.count)}
          train:
            cmd:
            - sh train.sh
            - echo done
            deps:
            - {path: features.csv, type: file, id: "\(id(features))", size: \(features.utf8.count)}
            params:
              params.yaml:
                lr: \(lr)
            outs:
            - {path: model.bin, type: file, id: "\(id(model))", size: \(model.utf8.count)}

        """
    }

    /// main: v1 then v2 (new raw data); branch exp from v1: another learning rate.
    private func history() throws -> TempRepo {
        let repo = try makeRepo()
        try repo.write("cairn.yaml", "stages: {}\n")
        try repo.write("raw.csv", "raw v1\n")
        try repo.write("cairn.lock", lock(raw: "raw v1\n", features: "features 1", model: "model 1", lr: "0.1"))
        try repo.commitEverything("v1")
        try repo.gitChecked("switch", "-q", "-c", "exp")
        try repo.write("cairn.lock", lock(raw: "raw v1\n", features: "features 1", model: "model 2", lr: "0.2"))
        try repo.commitEverything("exp: lr 0.2")
        try repo.gitChecked("switch", "-q", "-")
        try repo.write("raw.csv", "raw v2\n")
        try repo.write("cairn.lock", lock(raw: "raw v2\n", features: "features 2", model: "model 3", lr: "0.1"))
        try repo.commitEverything("v2")
        return repo
    }

    func testUpstreamShowsTheRunAndItsInputsRecursively() throws {
        let repo = try history()
        let head = try repo.git("rev-parse", "--short=7", "HEAD").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let one = try repo.cairn("lineage", "model.bin").assertSuccess()
        one.assertStdoutLine(startingWith: "model.bin \(String(id("model 3").prefix(19)))")
        one.assertStdout(contains: "made by run", ": train in \(head)", "$ sh train.sh && echo done",
                         "params params.yaml: lr=0.1", "features.csv")
        one.assertStdout(lacks: "prepare")
        let two = try repo.cairn("lineage", "model.bin", "--depth", "2").assertSuccess()
        two.assertStdout(contains: ": prepare in \(head)", "$ sh prepare.sh", "raw.csv")

        let json = try JSONSerialization.jsonObject(with: Data(try repo.cairn("lineage", "model.bin", "--depth", "5",
                                                                              "--json").assertSuccess().stdout.utf8))
        let report = try XCTUnwrap(json as? [String: Any])
        XCTAssertEqual(report["direction"] as? String, "upstream")
        let runs = try XCTUnwrap(report["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.map { $0["stage"] as? String }, ["train", "prepare"])
        XCTAssertEqual(runs.first?["origin"] as? String, "lock")
        XCTAssertEqual((runs.first?["params"] as? [String: [String: Double]])?["params.yaml"]?["lr"], 0.1)
        XCTAssertEqual((runs.first?["commit"] as? String)?.count, 40)

        let dot = try repo.cairn("lineage", "model.bin", "--depth", "2", "--dot").assertSuccess().stdout
        XCTAssertTrue(dot.hasPrefix("digraph lineage {"), dot)
        XCTAssertTrue(dot.contains("label=\"train\\n\(head)\""), dot)
        XCTAssertTrue(dot.contains("\"v:raw.csv@\(id("raw v2\n"))\" -> \"r:"), dot)

        // At an older commit: the model of v1 came from v1's features.
        try repo.cairn("lineage", "model.bin", "--rev", "HEAD~1").assertSuccess()
            .assertStdout(contains: String(id("features 1").prefix(19)))
    }

    func testDownstreamListsEveryOutputEverDerivedOnAnyBranch() throws {
        let repo = try history()
        let result = try repo.cairn("lineage", "raw.csv", "--rev", "HEAD~1", "--downstream", "--json").assertSuccess()
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let versions = try XCTUnwrap(report["versions"] as? [[String: Any]])
        let derived = Set(versions.filter { ($0["depth"] as? Int ?? 0) > 0 }.compactMap { $0["id"] as? String })
        XCTAssertEqual(derived, [id("features 1"), id("model 1"), id("model 2")], "\(versions)")
        // The work tree's raw.csv (v2) has its own, disjoint downstream.
        try repo.cairn("lineage", "raw.csv", "--downstream").assertSuccess()
            .assertStdout(contains: "derived from it (2 versions, any branch):", "features.csv", "model.bin")
        // Depth 1: only what read it directly.
        try repo.cairn("lineage", "raw.csv", "--downstream", "--depth", "1").assertSuccess()
            .assertStdout(contains: "derived from it (1 version, any branch):")
    }

    func testRunsSurviveRebuildAndUsageErrors() throws {
        let repo = try history()
        let before = try repo.cairn("lineage", "model.bin", "--json").assertSuccess().stdout
        try repo.cairn("lineage", "rebuild").assertSuccess().assertStdoutLine("indexed 3 commits: 5 versions, 5 runs")
        try FileManager.default.removeItem(atPath: repo.path(".cairn/lineage.db"))
        XCTAssertEqual(try repo.cairn("lineage", "model.bin", "--json").assertSuccess().stdout, before)
        try repo.cairn("lineage", "model.bin", "--json", "--dot").assertUsageError()
        try repo.cairn("lineage", "model.bin", "--depth", "0").assertUsageError()
        try repo.cairn("lineage", "nothing.bin").assertError(containing: "nothing.bin")
    }
}

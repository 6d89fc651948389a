import Foundation
import XCTest
@testable import Pipeline

final class DiscoveryTests: PipelineTestCase {
    func testFindsEveryPipelineAndSkipsWhatCannotHoldOne() throws {
        try write("cairn.yaml", "stages: {}\n")
        try write("models/cairn.yaml", "stages: {}\n")
        try write("models/deep/er/cairn.yaml", "stages: {}\n")
        try write(".git/cairn.yaml", "x")
        try write(".cairn/cairn.yaml", "x")
        try write("vendor/lib/.git/HEAD", "ref")
        try write("vendor/lib/cairn.yaml", "stages: {}\n")        // a nested repository
        try write("data/big.cairn", "pointer")
        try write("data/big/cairn.yaml", "stages: {}\n")          // inside pointer-tracked data
        try write("ignored/cairn.yaml", "stages: {}\n")
        XCTAssertEqual(try PipelineDiscovery.find(root: root, skipDirectory: { $0 == "ignored" }),
                       ["cairn.yaml", "models/cairn.yaml", "models/deep/er/cairn.yaml"])
    }

    func testLoadAllParsesEachRelativeToItsDirectory() throws {
        try write("cairn.yaml", "stages:\n  a:\n    cmd: x\n    outs: [out]\n")
        try write("sub/cairn.yaml", "stages:\n  a:\n    cmd: x\n    outs: [out]\n")
        let pipelines = try PipelineDiscovery.loadAll(root: root)
        XCTAssertEqual(pipelines.map(\.path), ["cairn.yaml", "sub/cairn.yaml"])
        XCTAssertEqual(pipelines.map { $0.stages[0].outs[0].path.repoPath }, ["out", "sub/out"])
    }
}

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

    /// Directories a .gitignore names exactly (`/X`, as cairn writes for outputs) are not entered; patterns, deeper
    /// paths and files with negations are not trusted to mean a directory here.
    func testExactlyGitIgnoredDirectoriesAreNotEntered() throws {
        try write("cairn.yaml", "stages: {}\n")
        try write(".gitignore", "/out\n/build/\n*.log\n/a/b\n")
        try write("out/cairn.yaml", "not a pipeline")          // a stage's output directory
        try write("build/cairn.yaml", "not a pipeline")
        try write("logs.log/cairn.yaml", "stages: {}\n")       // a pattern: entered
        try write("sub/.gitignore", "/gen\n!/gen/keep\n")
        try write("sub/gen/cairn.yaml", "stages: {}\n")        // a negation in that file: entered
        try write("sub/cairn.yaml", "stages: {}\n")
        try write("other/.gitignore", "/deep\n")
        try write("other/deep/cairn.yaml", "x")
        XCTAssertEqual(try PipelineDiscovery.find(root: root),
                       ["cairn.yaml", "logs.log/cairn.yaml", "sub/cairn.yaml", "sub/gen/cairn.yaml"])
        XCTAssertEqual(PipelineDiscovery.ignoredDirectoryNames(root + "/.gitignore"), ["out", "build"])
    }
}

import XCTest
import Basics
@testable import Pipeline

/// How a commit's pipelines are parsed: which files are copied out of Git before parsing, and which file a
/// parse error asks for.
final class MetricsRevisionTests: XCTestCase {
    func testVarsFilesOfTheTopLevelAndOfStages() {
        let yaml = """
        vars:
          - config.yaml
          - shared/more.yaml:a,b
          - {inline: 1}
        stages:
          train:
            wdir: work
            vars: [local.yaml]
            cmd: echo
          each:
            foreach: [a, b]
            do:
              vars: [../up.yaml]
              cmd: echo ${item}
          moved:
            wdir: ${dir}
            vars: [later.yaml]
            cmd: echo
        """
        XCTAssertEqual(RevisionTree.varsFiles(in: yaml, path: "sub/cairn.yaml"),
                       ["sub/config.yaml", "sub/shared/more.yaml", "sub/work/local.yaml", "up.yaml", "sub/later.yaml"])
        XCTAssertEqual(RevisionTree.varsFiles(in: "vars: [../../outside.yaml]", path: "cairn.yaml"), [])
        XCTAssertEqual(RevisionTree.varsFiles(in: "{not yaml", path: "cairn.yaml"), [])
    }

    func testMissingFileIsReadFromTheParsersMessage() {
        XCTAssertEqual(RevisionTree.missingFile(CairnError("sub/work/local.yaml: does not exist")), "sub/work/local.yaml")
        XCTAssertNil(RevisionTree.missingFile(CairnError("cairn.yaml:3: stages.x: could not find 'k' in 'a.yaml'")))
        XCTAssertNil(RevisionTree.missingFile(CairnError("/abs/path: does not exist")))
    }

    func testMetricsPathsListTopLevelAndStageMetricsOnce() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-rev-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/m", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let yaml = """
        metrics: [eval/a.json, eval/b.json]
        stages:
          s:
            cmd: echo
            metrics: [../eval/a.json, c.yaml]
        """
        try yaml.write(toFile: root + "/m/cairn.yaml", atomically: false, encoding: .utf8)
        let pipeline = try PipelineParser.load(root: root, path: "m/cairn.yaml")
        XCTAssertEqual(RevisionTree.metricsPaths(of: [pipeline]), ["m/eval/a.json", "m/eval/b.json", "eval/a.json", "m/c.yaml"])
    }
}

import XCTest
import Basics
@testable import Pipeline

/// The stage graph: edges, refusals (one error each, naming stages and paths), order, targets and selections.
final class StageGraphTests: PipelineTestCase {
    func pipeline(_ yaml: String, at path: String = "cairn.yaml") throws -> PipelineFile {
        try PipelineParser.parse(yaml, path: path, root: root)
    }

    func graph(_ files: [String: String], tracked: [String] = []) throws -> StageGraph {
        try StageGraph.build(pipelines: files.map { try pipeline($0.value, at: $0.key) }, trackedDataPaths: tracked)
    }

    func names(_ ids: [StageID]) -> [String] { ids.map(\.display) }

    func assertBuildError(_ files: [String: String], tracked: [String] = [], _ message: String,
                          file: StaticString = #filePath, line: UInt = #line) {
        assertThrows(message, file: file, line: line) { _ = try graph(files, tracked: tracked) }
    }

    static let chain = """
        stages:
          evaluate:
            cmd: eval
            deps: [model/weights.bin, data/test.csv]
            outs: [metrics.json]
          prepare:
            cmd: prep
            deps: [raw]
            outs: [data/train.csv, data/test.csv]
          train:
            cmd: train
            deps: [data]
            params: [lr]
            outs: [model]
          report:
            cmd: report
        """

    func testEdgesAndOrder() throws {
        let g = try graph(["cairn.yaml": Self.chain])
        XCTAssertEqual(names(g.order), ["prepare", "train", "evaluate", "report"])
        let train = StageID(pipelinePath: "cairn.yaml", name: "train")
        let evaluate = StageID(pipelinePath: "cairn.yaml", name: "evaluate")
        // `data` is a directory holding prepare's outs; `model/weights.bin` lies inside train's out.
        XCTAssertEqual(names(g.dependencies(of: train)), ["prepare"])
        XCTAssertEqual(names(g.dependencies(of: evaluate)), ["prepare", "train"])
        XCTAssertEqual(names(g.dependents(of: StageID(pipelinePath: "cairn.yaml", name: "prepare"))), ["train", "evaluate"])
        XCTAssertEqual(g.producer(of: "model/sub/x")?.name, "train")
        XCTAssertEqual(g.producer(of: "data/train.csv")?.name, "prepare")
        XCTAssertNil(g.producer(of: "data"))
        XCTAssertNil(g.producer(of: "modelx"))
        XCTAssertEqual(g.edges.map { "\($0.from.name)->\($0.to.name)" }, ["prepare->train", "prepare->evaluate", "train->evaluate"])
    }

    func testOrderIsStableAcrossPipelines() throws {
        let g = try graph([
            "b/cairn.yaml": "stages:\n  use:\n    cmd: u\n    deps: [../a/out]\n  other:\n    cmd: o\n",
            "a/cairn.yaml": "stages:\n  make:\n    cmd: m\n    outs: [out]\n",
            "cairn.yaml": "stages:\n  top:\n    cmd: t\n    deps: [b/nothing]\n",
        ])
        XCTAssertEqual(names(g.order), ["top", "a/cairn.yaml:make", "b/cairn.yaml:use", "b/cairn.yaml:other"])
        let use = g.order[2]
        XCTAssertEqual(use.lockPath, "b/cairn.lock")
        XCTAssertEqual(g.order[0].lockPath, "cairn.lock")
        XCTAssertEqual(g.pipeline(use).path, "b/cairn.yaml")
        XCTAssertEqual(g.stage(use).commands, ["u"])
    }

    func testCycle() {
        assertBuildError(["cairn.yaml": """
            stages:
              a:
                cmd: a
                deps: [c.txt]
                outs: [a.txt]
              b:
                cmd: b
                deps: [a.txt]
                outs: [b.txt]
              c:
                cmd: c
                deps: [b.txt]
                outs: [c.txt]
            """], "cairn.yaml: the stages form a cycle: 'a' → 'b' → 'c' → 'a' ('b' reads 'a.txt' from 'a'; 'c' reads 'b.txt' from 'b'; 'a' reads 'c.txt' from 'c')")
        assertBuildError(["cairn.yaml": "stages:\n  a:\n    cmd: a\n    deps: [x]\n    outs: [x]\n"],
                         "cairn.yaml: stage 'a' reads 'x', which is also its output; a stage cannot depend on what it writes")
        assertBuildError(["cairn.yaml": "stages:\n  a:\n    cmd: a\n    deps: [x]\n    outs: [x/y]\n"],
                         "cairn.yaml: stage 'a' reads 'x', which overlaps its own output 'x/y'; a stage cannot depend on what it writes")
    }

    func testDuplicateAndOverlappingOutputs() {
        assertBuildError(["cairn.yaml": "stages:\n  a:\n    cmd: a\n    outs: [m]\n", "sub/cairn.yaml": "stages:\n  b:\n    cmd: b\n    outs: [../m]\n"],
                         "cairn.yaml: the output 'm' is written by two stages: 'a' and 'sub/cairn.yaml:b'; each path has one producer")
        assertBuildError(["cairn.yaml": "stages:\n  a:\n    cmd: a\n    outs: [m]\n    metrics: [m]\n"],
                         "cairn.yaml: stage 'a' lists the output 'm' twice")
        assertBuildError(["cairn.yaml": "stages:\n  a:\n    cmd: a\n    outs: [data/x.csv]\n", "data/cairn.yaml": "stages:\n  b:\n    cmd: b\n    outs: [../data]\n"],
                         "data/cairn.yaml: the outputs overlap: 'data/x.csv' (stage 'a') is inside 'data' (stage 'data/cairn.yaml:b'); an output directory belongs to one stage as a whole")
        assertBuildError(["cairn.yaml": "stages:\n  a:\n    cmd: a\n    outs: [d, d/e/f]\n"],
                         "cairn.yaml: the outputs overlap: 'd/e/f' (stage 'a') is inside 'd' (stage 'a'); an output directory belongs to one stage as a whole")
    }

    func testSimilarPrefixesDoNotOverlap() throws {
        let g = try graph(["cairn.yaml": "stages:\n  a:\n    cmd: a\n    outs: [data]\n  b:\n    cmd: b\n    deps: [data-2]\n    outs: [data-1, data.csv]\n"])
        XCTAssertEqual(g.dependencies(of: g.order[1]), [])
    }

    func testOutputsAndTrackedData() {
        let files = ["cairn.yaml": "stages:\n  a:\n    cmd: a\n    outs: [data/raw, out]\n"]
        assertBuildError(files, tracked: ["data/raw"],
                         "cairn.yaml: the output 'data/raw' of stage 'a' is pointer-tracked data ('data/raw.cairn'); a path is tracked by a pointer file or by a stage, not both")
        assertBuildError(files, tracked: ["out/images"],
                         "cairn.yaml: the output 'out' of stage 'a' contains pointer-tracked data 'out/images'; a path is tracked by a pointer file or by a stage, not both")
        assertBuildError(files, tracked: ["data"],
                         "cairn.yaml: the output 'data/raw' of stage 'a' is inside pointer-tracked data 'data'; a path is tracked by a pointer file or by a stage, not both")
        XCTAssertNoThrow(try graph(files, tracked: ["data/rawer", "outs", "data/other"]))
    }

    func testPipelineInsideOutput() {
        assertBuildError(["cairn.yaml": "stages:\n  a:\n    cmd: a\n    outs: [sub]\n", "sub/cairn.yaml": "stages: {}\n"],
                         "sub/cairn.yaml: 'sub/cairn.yaml' is inside the output 'sub' of stage 'a'; running the stage would delete it")
    }

    func testResolveTargets() throws {
        let g = try graph([
            "cairn.yaml": Self.chain,
            "models/cairn.yaml": """
                stages:
                  train:
                    foreach: [cnn, rnn]
                    do:
                      cmd: fit ${item}
                      deps: [../data/train.csv]
                      outs: ["${item}.bin"]
                  only:
                    cmd: x
                """,
            "other/cairn.yaml": "stages:\n  only:\n    cmd: y\n",
        ])
        XCTAssertEqual(names(try g.resolve(targets: ["train"], cwd: "")), ["train"])
        XCTAssertEqual(names(try g.resolve(targets: ["train"], cwd: "models")),
                       ["models/cairn.yaml:train@cnn", "models/cairn.yaml:train@rnn"])
        XCTAssertEqual(names(try g.resolve(targets: ["train@rnn", "models/cairn.yaml:train@rnn"], cwd: "")), ["models/cairn.yaml:train@rnn"])
        XCTAssertEqual(names(try g.resolve(targets: ["cairn.yaml:only"], cwd: "other")), ["other/cairn.yaml:only"])
        XCTAssertEqual(names(try g.resolve(targets: ["../models:only"], cwd: "other")), ["models/cairn.yaml:only"])
        XCTAssertEqual(names(try g.resolve(targets: ["only"], cwd: "other")), ["other/cairn.yaml:only"])
        XCTAssertEqual(names(try g.resolve(targets: ["../model/w.bin", "./rnn.bin"], cwd: "models")), ["train", "models/cairn.yaml:train@rnn"])
        XCTAssertEqual(names(try g.resolve(targets: ["data/"], cwd: "")), ["prepare"])
        XCTAssertEqual(names(try g.resolve(targets: ["models"], cwd: "")),
                       ["models/cairn.yaml:train@cnn", "models/cairn.yaml:train@rnn", "models/cairn.yaml:only"])
        XCTAssertEqual(names(try g.resolve(targets: ["../cairn.yaml"], cwd: "other")), ["evaluate", "prepare", "train", "report"])
        assertThrows("'only': several pipelines have a stage or group of that name: models/cairn.yaml:only, other/cairn.yaml:only; name one as FILE:NAME") {
            _ = try g.resolve(targets: ["only"], cwd: "")
        }
        assertThrows("'nope': no stage, group, pipeline or output of that name (see 'cairn stage list --all')") {
            _ = try g.resolve(targets: ["nope"], cwd: "")
        }
        assertThrows("models/cairn.yaml: no stage or group named 'nope' (see 'cairn stage list')") {
            _ = try g.resolve(targets: ["models/cairn.yaml:nope"], cwd: "")
        }
        assertThrows("x/cairn.yaml: no such pipeline (in target 'x:train')") { _ = try g.resolve(targets: ["x:train"], cwd: "") }
        assertThrows("'../../a': the path leaves the repository") { _ = try g.resolve(targets: ["../../a"], cwd: "models") }
    }

    func testSelection() throws {
        let g = try graph(["cairn.yaml": Self.chain])
        let train = try g.resolve(targets: ["train"], cwd: "")
        XCTAssertEqual(names(g.selection(of: train, singleItem: false, downstream: false)), ["prepare", "train"])
        XCTAssertEqual(names(g.selection(of: train, singleItem: true, downstream: false)), ["train"])
        XCTAssertEqual(names(g.selection(of: train, singleItem: false, downstream: true)), ["train", "evaluate"])
        XCTAssertEqual(names(g.selection(of: [], singleItem: false, downstream: false)), ["prepare", "train", "evaluate", "report"])
    }

    func testFrozenStageCutsTheGraph() throws {
        let g = try graph(["cairn.yaml": Self.chain.replacingOccurrences(of: "    cmd: train\n", with: "    cmd: train\n    frozen: true\n")])
        let evaluate = try g.resolve(targets: ["evaluate"], cwd: "")
        XCTAssertEqual(names(g.selection(of: evaluate, singleItem: false, downstream: false)), ["prepare", "train", "evaluate"])
        let train = try g.resolve(targets: ["train"], cwd: "")
        XCTAssertEqual(names(g.selection(of: train, singleItem: false, downstream: false)), ["train"])
        let prepare = try g.resolve(targets: ["prepare"], cwd: "")
        XCTAssertEqual(names(g.selection(of: prepare, singleItem: false, downstream: true)), ["prepare", "evaluate"])
        XCTAssertEqual(names(g.upstreamClosure(of: train)), ["prepare", "train"])
    }

    func testMissingDependencies() throws {
        let g = try graph(["cairn.yaml": Self.chain])
        let missing = g.missingDependencies(of: g.order) { $0 == "raw" }
        XCTAssertEqual(missing.map { "\($0.stage.name):\($0.path)" }, [])
        let none = g.missingDependencies(of: g.order) { _ in false }
        XCTAssertEqual(none.map { "\($0.stage.name):\($0.path)" }, ["prepare:raw"])
    }

    func testParamsFilesAndDirectoriesHoldingOutputsAreEdges() throws {
        let g = try graph(["cairn.yaml": """
            stages:
              tune:
                cmd: tune
                outs: [conf/params.yaml, out/a/b.bin]
              train:
                cmd: train
                wdir: conf
                params: [lr]
                deps: [../out]
            """])
        XCTAssertEqual(names(g.dependencies(of: g.order[1])), ["tune"])
        XCTAssertEqual(g.missingDependencies(of: g.order) { _ in false }.count, 0, "out/ will hold out/a/b.bin once tune ran")
        XCTAssertEqual(names(try g.resolve(targets: ["out"], cwd: "")), ["tune"])
    }

    func testLargeChainBuildsQuickly() throws {
        var yaml = "stages:\n"
        for i in 0..<1000 { yaml += "  s\(i):\n    cmd: c\n    deps: [d/\(i)]\n    outs: [d/\(i + 1)]\n" }
        let file = try pipeline(yaml)
        let g = try StageGraph.build(pipelines: [PipelineFile](repeating: file, count: 1), trackedDataPaths: [])
        XCTAssertEqual(g.order.first?.name, "s0")
        XCTAssertEqual(g.order.last?.name, "s999")
        XCTAssertEqual(g.selection(of: [g.order.last!], singleItem: false, downstream: false).count, 1000)
    }
}

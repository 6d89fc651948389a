import XCTest
import Basics
@testable import Pipeline

/// `cairn dag`'s drawings: the terminal tree, dot, Mermaid, and the outputs graph.
final class DagTests: PipelineTestCase {
    static let yaml = """
        stages:
          download:
            cmd: dl
            outs: [raw]
          prepare:
            cmd: prep
            deps: [raw]
            outs: [data/train.csv, data/test.csv]
          featurize:
            cmd: feat
            deps: [data/train.csv, lexicon]
            outs: [features]
          lexicon:
            cmd: lex
            outs: [lexicon]
          train:
            cmd: train
            deps: [features]
            outs: [model]
          evaluate:
            cmd: eval
            deps: [model, data/test.csv]
            metrics: [metrics.json]
          export:
            cmd: export
            deps: [model]
            outs: [model.onnx]
          lint:
            cmd: lint
        """

    func graph() throws -> StageGraph {
        try StageGraph.build(pipelines: [try PipelineParser.parse(Self.yaml, path: "cairn.yaml", root: root)], trackedDataPaths: [])
    }

    func testTerminalTree() throws {
        let g = try graph()
        XCTAssertEqual(DagDrawing.stages(g.order, in: g).text(), """
            download → prepare
            ├─→ featurize → train
            │   ├─→ evaluate
            │   └─→ export
            └─→ evaluate (see above)

            lexicon
            └─→ featurize (see above)

            lint
            """)
        // Narrow: chains break into nested lines instead of running past the width.
        XCTAssertEqual(DagDrawing.stages(g.upstreamClosure(of: [StageID(pipelinePath: "cairn.yaml", name: "train")]), in: g).text(width: 20), """
            download → prepare
            └─→ featurize
                └─→ train

            lexicon
            └─→ featurize (see above)
            """)
    }

    func testLongChainStaysReadable() throws {
        var yaml = "stages:\n"
        for i in 0..<30 { yaml += "  stage\(i):\n    cmd: c\n    deps: [d\(i)]\n    outs: [d\(i + 1)]\n" }
        let g = try StageGraph.build(pipelines: [try PipelineParser.parse(yaml, path: "cairn.yaml", root: root)], trackedDataPaths: [])
        let lines = DagDrawing.stages(g.order, in: g).text(width: 80).split(separator: "\n")
        XCTAssertLessThanOrEqual(lines.map(\.count).max()!, 80)
        XCTAssertLessThan(lines.map { $0.prefix { $0 == " " || $0 == "│" || $0 == "└" || $0 == "─" || $0 == "→" }.count }.max()!, 40)
        XCTAssertEqual(lines.joined().components(separatedBy: "stage").count - 1, 30)
    }

    func testDotAndMermaid() throws {
        let g = try graph()
        let train = g.upstreamClosure(of: try g.resolve(targets: ["export"], cwd: ""))
        let drawing = DagDrawing.stages(train, in: g)
        XCTAssertEqual(drawing.dot(), """
            strict digraph {
            \t"download";
            \t"prepare";
            \t"lexicon";
            \t"featurize";
            \t"train";
            \t"export";
            \t"download" -> "prepare";
            \t"prepare" -> "featurize";
            \t"lexicon" -> "featurize";
            \t"featurize" -> "train";
            \t"train" -> "export";
            }
            """)
        XCTAssertEqual(DagDrawing(nodes: ["a \"x\"", "b<c>"], edges: [(0, 1)]).mermaid(), """
            flowchart TD
            \tnode1["a #quot;x#quot;"]
            \tnode2["b#lt;c#gt;"]
            \tnode1-->node2
            """)
        XCTAssertEqual(DagDrawing(nodes: ["a\"\\"], edges: []).dot(), "strict digraph {\n\t\"a\\\"\\\\\";\n}")
    }

    func testOutputsGraph() throws {
        let g = try graph()
        let drawing = DagDrawing.outputs(try g.resolve(targets: ["evaluate"], cwd: "").flatMap { g.upstreamClosure(of: [$0]) }, in: g) { $0 }
        XCTAssertEqual(drawing.nodes, ["raw", "data/train.csv", "data/test.csv", "lexicon", "features", "model", "metrics.json"])
        XCTAssertEqual(drawing.edges.map { "\(drawing.nodes[$0.from])>\(drawing.nodes[$0.to])" },
                       ["raw>data/train.csv", "raw>data/test.csv", "data/train.csv>features", "lexicon>features", "features>model",
                        "data/test.csv>metrics.json", "model>metrics.json"])
    }
}

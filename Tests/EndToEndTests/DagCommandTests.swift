import Foundation
import XCTest

/// Issue 10 item 6: `cairn dag` in the terminal, as dot, Mermaid and JSON, whole or upstream of a target.
final class DagCommandTests: EndToEndTestCase {
    func makePipeline() throws -> TempRepo {
        let repo = try makeRepo()
        try repo.write("cairn.yaml", """
            stages:
              prepare:
                cmd: prep
                deps: [raw]
                outs: [data]
              train:
                cmd: train
                deps: [data/train.csv]
                outs: [model]
              evaluate:
                cmd: eval
                deps: [model, data]
                metrics: [metrics.json]
            """)
        try repo.write("serve/cairn.yaml", "stages:\n  package:\n    cmd: pack\n    deps: [../model]\n    outs: [image.tar]\n")
        return repo
    }

    func testDrawings() throws {
        let repo = try makePipeline()
        XCTAssertEqual(try repo.cairn("dag").assertSuccess().stdout, """
            prepare
            ├─→ train
            │   ├─→ evaluate
            │   └─→ serve/cairn.yaml:package
            └─→ evaluate (see above)

            """)
        XCTAssertEqual(try repo.cairn("dag", "evaluate").assertSuccess().stdout, "prepare\n├─→ train → evaluate\n└─→ evaluate (see above)\n")
        XCTAssertEqual(try repo.cairn("dag", "--outs", "image.tar", cwd: "serve").assertSuccess().stdout, "../data → ../model → image.tar\n")
        XCTAssertEqual(try repo.cairn("dag", "--dot", "model").assertSuccess().stdout,
                       "strict digraph {\n\t\"prepare\";\n\t\"train\";\n\t\"prepare\" -> \"train\";\n}\n")
        XCTAssertEqual(try repo.cairn("dag", "--md", "train").assertSuccess().stdout,
                       "```mermaid\nflowchart TD\n\tnode1[\"prepare\"]\n\tnode2[\"train\"]\n\tnode1-->node2\n```\n")
        let json = try repo.cairn("dag", "--json").assertSuccess()
        let decoded = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        XCTAssertEqual((decoded["nodes"] as! [[String: Any]]).map { $0["id"] as! String },
                       ["prepare", "train", "evaluate", "serve/cairn.yaml:package"])
        XCTAssertEqual((decoded["edges"] as! [[String: String]]).map { $0["from"]! + ">" + $0["to"]! },
                       ["prepare>train", "prepare>evaluate", "train>evaluate", "train>serve/cairn.yaml:package"])
        try repo.cairn("dag", "nope").assertError(containing: "'nope': no stage, group, pipeline or output of that name")
        try repo.cairn("dag", "--dot", "--json").assertUsageError()
    }

    func testAnInvalidGraphIsRefused() throws {
        let repo = try makePipeline()
        try repo.write("other/cairn.yaml", "stages:\n  copy:\n    cmd: cp\n    outs: [../model]\n")
        try repo.cairn("dag").assertError(containing: "cairn.yaml: the output 'model' is written by two stages: 'train' and 'other/cairn.yaml:copy'; each path has one producer")
        let empty = try makeRepo()
        try empty.cairn("dag").assertSuccess().assertStdoutLine("no stages (add one with `cairn stage add`)")
    }
}

import XCTest
import Basics
@testable import Pipeline

/// `cairn stage add` edits cairn.yaml as text: the rest of the file stays byte for byte, and only a valid result
/// (parsed, graph built) is written.
final class StageAddTests: PipelineTestCase {
    func definition(_ name: String, cmd: String = "run", deps: [String] = [], outs: [String] = []) -> StageDefinition {
        var d = StageDefinition(name: name, cmd: cmd)
        d.deps = deps
        d.outs = outs.map { .init(path: $0) }
        return d
    }

    func read(_ path: String = "cairn.yaml") throws -> String { try String(contentsOfFile: root + "/" + path, encoding: .utf8) }

    func testCreatesTheFile() throws {
        var d = definition("prepare", cmd: "python prep.py", deps: ["raw"], outs: ["data"])
        d.outs.append(.init(path: "log.txt", cache: false))
        d.addParams("seed")
        d.addParams("cfg.yaml:a,b")
        d.addParams("cfg.yaml:c")
        d.addParams("all.json:")
        d.metrics = [.init(path: "m.json", cache: false)]
        d.desc = "Prepare: split"
        d.wdir = "."
        d.alwaysChanged = true
        let result = try StageAddition.run(d, root: root, directory: "", force: false)
        XCTAssertTrue(result.created)
        XCTAssertEqual(try read(), """
            stages:
              prepare:
                desc: "Prepare: split"
                cmd: python prep.py
                wdir: .
                deps:
                - raw
                params:
                - seed
                - cfg.yaml:
                    - a
                    - b
                    - c
                - all.json:
                outs:
                - data
                - log.txt:
                    cache: false
                metrics:
                - m.json:
                    cache: false
                always_changed: true

            """)
        let stage = try XCTUnwrap(try PipelineParser.load(root: root, path: "cairn.yaml").stage(named: "prepare"))
        XCTAssertEqual(stage.params.map { "\($0.file.repoPath)=\($0.keys?.joined(separator: ",") ?? "*")" },
                       ["params.yaml=seed", "cfg.yaml=a,b,c", "all.json=*"])
        XCTAssertEqual(stage.outs.map(\.cache), [true, false, false])
    }

    func testAppendsAndKeepsTheRestOfTheFile() throws {
        let original = "# my pipeline\nvars:\n  - x: 1   # keep\n\nstages:\n    # first\n    prepare:\n      cmd: echo > a   # c\n      outs: [a]\n\n# about params\nparams: []\n"
        try write("cairn.yaml", original)
        _ = try StageAddition.run(definition("train", deps: ["a"], outs: ["m"]), root: root, directory: "", force: false)
        XCTAssertEqual(try read(), "# my pipeline\nvars:\n  - x: 1   # keep\n\nstages:\n    # first\n    prepare:\n      cmd: echo > a   # c\n      outs: [a]\n    train:\n      cmd: run\n      deps:\n      - a\n      outs:\n      - m\n\n# about params\nparams: []\n")
    }

    func testReplacesOnlyTheStagesBlock() throws {
        try write("cairn.yaml", "stages:\n  a:\n    cmd: one\n    # about a\n    outs: [x]\n\n  # about b\n  b: {cmd: two}\n")
        assertThrows("cairn.yaml: stage 'a' already exists; use -f to replace it") {
            _ = try StageAddition.run(definition("a", cmd: "new"), root: root, directory: "", force: false)
        }
        let result = try StageAddition.run(definition("a", cmd: "new"), root: root, directory: "", force: true)
        XCTAssertTrue(result.replaced)
        XCTAssertEqual(try read(), "stages:\n  a:\n    cmd: new\n\n  # about b\n  b: {cmd: two}\n")
        _ = try StageAddition.run(definition("b", cmd: "three"), root: root, directory: "", force: true)
        XCTAssertEqual(try read(), "stages:\n  a:\n    cmd: new\n\n  # about b\n  b:\n    cmd: three\n")
    }

    func testOtherLayouts() throws {
        try write("cairn.yaml", "stages: {}  # none yet\n")
        _ = try StageAddition.run(definition("a"), root: root, directory: "", force: false)
        XCTAssertEqual(try read(), "stages:\n  a:\n    cmd: run\n")
        try write("cairn.yaml", "params: [p.yaml]\n")
        _ = try StageAddition.run(definition("a"), root: root, directory: "", force: false)
        XCTAssertEqual(try read(), "params: [p.yaml]\nstages:\n  a:\n    cmd: run\n")
        try write("cairn.yaml", "stages:\r\n  a:\r\n    cmd: x\r\n")
        _ = try StageAddition.run(definition("b"), root: root, directory: "", force: false)
        XCTAssertEqual(try read(), "stages:\r\n  a:\r\n    cmd: x\r\n  b:\r\n    cmd: run\r\n")
        try write("cairn.yaml", "\u{FEFF}stages:\n  a:\n    cmd: x\n")
        _ = try StageAddition.run(definition("b"), root: root, directory: "", force: false)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: root + "/cairn.yaml")), Data("\u{FEFF}stages:\n  a:\n    cmd: x\n  b:\n    cmd: run\n".utf8))
        try write("cairn.yaml", "stages: {a: {cmd: x}}\n")
        assertThrows("cairn.yaml:1: stages: written in flow style; cairn stage add only edits a block mapping (one stage name per line), so rewrite it that way or edit the file by hand") {
            _ = try StageAddition.run(definition("b"), root: root, directory: "", force: false)
        }
    }

    func testRefusesAnInvalidGraphAndWritesNothing() throws {
        let original = "stages:\n  a:\n    cmd: x\n    deps: [in]\n    outs: [out]\n"
        try write("cairn.yaml", original)
        try write("sub/cairn.yaml", "stages:\n  b:\n    cmd: y\n    outs: [r]\n")
        assertThrows("cairn.yaml: the stages form a cycle: 'a' → 'c' → 'a' ('c' reads 'out' from 'a'; 'a' reads 'in' from 'c'); cairn.yaml was not changed") {
            _ = try StageAddition.run(definition("c", deps: ["out"], outs: ["in"]), root: root, directory: "", force: false)
        }
        assertThrows("cairn.yaml: the output 'sub/r' is written by two stages: 'c' and 'sub/cairn.yaml:b'; each path has one producer; cairn.yaml was not changed") {
            _ = try StageAddition.run(definition("c", outs: ["sub/r"]), root: root, directory: "", force: false)
        }
        assertThrows("cairn.yaml: './in' is given twice (a path is a dep or an output of a stage, once)") {
            _ = try StageAddition.run(definition("c", deps: ["in", "./in"]), root: root, directory: "", force: false)
        }
        assertThrows("invalid stage name 'a.b': '.' is not allowed (use letters, digits, '_' and '-')") {
            _ = try StageAddition.run(definition("a.b"), root: root, directory: "", force: false)
        }
        XCTAssertEqual(try read(), original)
    }

    func testScalarsReadBackUnchanged() throws {
        let values = ["yes", "a: b", "#x", "1e3", "it's \"q\"", "two\nlines", "x #y", "~", "-n", "../data", ".", ".inf", "+1", "12:30", "${x}", "tab\there", " lead", "0x1F"]
        for (i, value) in values.enumerated() {
            var d = definition("s\(i)", cmd: value)
            d.deps = [value.contains("\n") || value.contains("\t") ? "plain" : "d\(i)/" + value.replacingOccurrences(of: "/", with: "_")]
            let yaml = "vars:\n  - x: 1\nstages:\n" + d.render(indent: 2)
            let file = try PipelineParser.parse(yaml, path: "cairn.yaml", root: root)
            let stage = try XCTUnwrap(file.stage(named: "s\(i)"))
            XCTAssertEqual(stage.cmd, .string(value == "${x}" ? "1" : value), value)
        }
        XCTAssertEqual(YAMLText.scalar("../data"), "../data")
        XCTAssertEqual(YAMLText.scalar("1e3"), "\"1e3\"")
        XCTAssertEqual(YAMLText.scalar("."), ".")
        XCTAssertEqual(YAMLText.scalar(".5"), "\".5\"")
    }
}

import XCTest
import Basics
@testable import Pipeline

/// Every refusal is one error naming the file, the line and the key.
final class ErrorTests: PipelineTestCase {
    func testUnknownKeys() {
        assertError("""
            stages:
              train:
                cmd: run
                dep: [a]
            """, "cairn.yaml:4: stages.train: unknown key 'dep' (allowed: cmd, wdir, deps, params, outs, metrics, plots, vars, frozen, always_changed, desc, meta)")
        assertError("stage:\n  a: {cmd: x}\n",
                    "cairn.yaml:1: unknown key 'stage' (allowed: stages, vars, params, metrics, plots, artifacts, datasets)")
        assertError("""
            stages:
              train:
                cmd: run
                outs:
                - model.bin:
                    cahce: false
            """, "cairn.yaml:6: stages.train.outs.model.bin: unknown key 'cahce' (allowed: cache, persist, push, remote, checkpoint, desc, type, labels, meta)")
        assertError("""
            stages:
              build:
                foreach: [a]
                do:
                  cmd: x
                vars: []
            """, "cairn.yaml:6: stages.build: unknown key 'vars' (allowed: foreach, do)")
    }

    func testWrongTypes() {
        assertError("""
            stages:
              train:
                cmd: run
                deps:
                  a: b
            """, "cairn.yaml:5: stages.train.deps: expected a list of paths, got a mapping")
        assertError("""
            stages:
              train:
                cmd: run
                frozen: yes
            """, "cairn.yaml:4: stages.train.frozen: expected true or false, got a string")
        assertError("""
            stages:
              train:
                cmd: [run, 3]
            """, "cairn.yaml:3: stages.train.cmd: expected a list of commands (strings), got an integer")
        assertError("""
            stages:
              train:
                deps: [a]
            """, "cairn.yaml:2: stages.train: missing required key 'cmd'")
        assertError("stages: [a]\n", "cairn.yaml:1: stages: expected a mapping of stage names to stages, got a list")
        assertError("""
            stages:
              s:
                foreach: 3
                do: {cmd: x}
            """, "cairn.yaml:3: stages.s.foreach: expected a list or a mapping to iterate over, got an integer")
    }

    func testUndefinedVariables() {
        assertError("""
            vars:
              - train: {lr: 1}
            stages:
              train:
                cmd: run ${train.lrr}
            """, "cairn.yaml:5: stages.train.cmd: undefined variable 'train.lrr' in 'run ${train.lrr}' (variables come from params.yaml next to cairn.yaml and from 'vars')")
    }

    func testBadInterpolationSyntax() {
        assertError("""
            stages:
              s:
                cmd: run ${a..b}
            """, "cairn.yaml:3: stages.s.cmd: bad interpolation '${a..b}': a name is missing before '.'")
        assertError("""
            stages:
              s:
                cmd: run ${}
            """, "cairn.yaml:3: stages.s.cmd: bad interpolation '${}': the expression is empty")
        assertError("""
            stages:
              s:
                cmd: run ${a[0}
            """, "cairn.yaml:3: stages.s.cmd: bad interpolation '${a[0}': '[' without a closing ']'")
    }

    func testListsAndMappingsWhereOnlyScalarsGo() {
        assertError("""
            vars:
              - files: [a, b]
            stages:
              s:
                cmd: run
                deps: ${files}
            """, "cairn.yaml:6: stages.s.deps: '${files}' is a list; only foreach and matrix take a whole list or mapping")
        assertError("""
            vars:
              - files: [a, b]
            stages:
              s:
                cmd: run ${files}
            """, "cairn.yaml:5: stages.s.cmd: cannot put a list into a string ('${files}'); only a mapping expands into command-line flags")
    }

    func testDuplicateStageNames() {
        assertError("""
            stages:
              train:
                cmd: a
              train:
                cmd: b
            """, "cairn.yaml:4: duplicate key 'train' (first defined on line 2)")
        assertError("""
            stages:
              build:
                foreach: [a, b, a]
                do:
                  cmd: x
            """, "cairn.yaml:2: stages.build: the stage name 'build@a' is generated twice; foreach/matrix values must give distinct names")
        assertError("""
            stages:
              m:
                matrix:
                  x: [1, "1"]
                cmd: x
            """, "cairn.yaml:2: stages.m: the stage name 'm@1' is generated twice; foreach/matrix values must give distinct names")
        assertError("""
            stages:
              a@b:
                cmd: x
            """, "cairn.yaml:2: stages.a@b: invalid stage name 'a@b': '@' is reserved (stage names may use letters, digits, '_' and '-')")
    }

    func testVarsRedefinitionAndInterpolationInVars() throws {
        try write("params.yaml", "lr: 1\n")
        assertError("""
            vars:
              - lr: 2
            stages: {}
            """, "cairn.yaml:2: vars: cannot redefine 'lr' from 'vars[0]': it already exists in 'params.yaml'")
        assertError("""
            vars:
              - x: ${lr}
            stages: {}
            """, "cairn.yaml:2: vars: '${lr}': interpolation is not allowed in vars")
    }

    func testPathsMayNotEscapeTheRepository() {
        assertError("""
            stages:
              s:
                cmd: x
                deps: [../../etc/passwd]
            """, "cairn.yaml:4: stages.s.deps: '../../etc/passwd' goes outside the repository")
        assertError("""
            stages:
              s:
                cmd: x
                outs: [/tmp/out]
            """, "cairn.yaml:4: stages.s.outs: '/tmp/out': absolute paths are not allowed; write paths relative to the cairn.yaml directory")
        assertError("""
            stages:
              s:
                cmd: x
                outs: [.git/hooks/pre-commit]
            """, "cairn.yaml:4: stages.s.outs: '.git/hooks/pre-commit' is inside .git/, which Git manages")
        assertError("""
            stages:
              s:
                cmd: x
                wdir: ..
            """, "cairn.yaml:4: stages.s.wdir: '..' goes outside the repository")
        assertError("""
            stages:
              s:
                cmd: x
                params:
                - ../../secrets.yaml: [k]
            """, "sub/cairn.yaml:5: stages.s.params: '../../secrets.yaml' goes outside the repository", path: "sub/cairn.yaml")
        assertError("""
            stages:
              s:
                cmd: x
                outs: [sub/../.cairn/cache]
            """, "cairn.yaml:4: stages.s.outs: 'sub/../.cairn/cache' is inside .cairn/, which cairn manages")
        assertError("""
            vars:
              - ../outside.yaml
            stages: {}
            """, "cairn.yaml:2: vars: '../outside.yaml' goes outside the repository")
        assertError("""
            stages:
              s:
                cmd: x
                deps: [s3://bucket/data]
            """, "cairn.yaml:4: stages.s.deps: 's3://bucket/data': external dependencies and outputs (URLs) are not supported; add the data with 'cairn add' instead")
    }

    func testDatasetsAndYAMLSyntaxErrors() {
        assertError("datasets:\n- name: x\n  type: dvc\n",
                    "cairn.yaml:1: datasets: DVC datasets are not supported by cairn; track the data with 'cairn add' and list it in deps")
        assertError("stages:\n  a: [\n", "cairn.yaml: not valid YAML: line 3: did not find expected node content while parsing a flow node")
    }
}

final class MoreErrorTests: PipelineTestCase {
    func testErrorsPointAtTheLineOfTheItem() {
        assertError("""
            stages:
              s:
                cmd: x
                deps:
                - ok.csv
                - ../../bad.csv
            """, "cairn.yaml:6: stages.s.deps: '../../bad.csv' goes outside the repository")
    }

    func testVarsFilesLoadedTwice() throws {
        try write("v.yaml", "a: 1\nb: 2\n")
        assertError("""
            vars:
              - v.yaml:a
              - v.yaml
            stages: {}
            """, "cairn.yaml:3: vars: cannot load 'v.yaml' whole: it is already partially loaded")
        XCTAssertNoThrow(try parse("vars:\n  - v.yaml\n  - v.yaml\nstages: {}\n"), "the same whole file twice is allowed")
        assertError("""
            vars:
              - v.yaml:zz
            stages: {}
            """, "cairn.yaml:2: vars: could not find 'zz' in 'v.yaml'")
    }

    func testAWholeMappingAsTheCommand() {
        assertError("""
            vars:
              - opts: {a: 1}
            stages:
              s:
                cmd: ${opts}
            """, "cairn.yaml:5: stages.s.cmd: '${opts}' is a mapping; to pass it as flags write it inside the command, e.g. 'python train.py ${opts}'")
    }

    func testShadowingItemWarnsAndCheckpointWarns() throws {
        let sink = CollectingDiagnostics()
        Diagnostics.install(sink)
        defer { Diagnostics.install(SilentDiagnostics()) }
        let pipeline = try parse("""
            vars:
              - item: global
            stages:
              s:
                foreach: [a]
                do:
                  cmd: echo ${item}
                  outs:
                  - o:
                      checkpoint: true
            """)
        XCTAssertEqual(pipeline.stages[0].commands, ["echo a"])
        XCTAssertEqual(sink.messages(.warning), [
            "item is already defined in vars; the stages generated from 's' see the foreach/matrix value instead",
            "cairn.yaml:10: stages.s.do.outs.o.checkpoint: checkpoints were removed in DVC 3; cairn ignores 'checkpoint: true'",
        ])
    }

    func testTopLevelSectionsMayInterpolate() throws {
        try write("params.yaml", "dir: results\n")
        let pipeline = try parse("""
            params: [params.yaml]
            metrics: [${dir}/metrics.json]
            plots:
            - ${dir}/loss.csv:
                y: [train, val]
                x: step
            stages: {}
            """.replacingOccurrences(of: "[${dir}/metrics.json]", with: "\n- ${dir}/metrics.json"))
        XCTAssertEqual(pipeline.params.map(\.repoPath), ["params.yaml"])
        XCTAssertEqual(pipeline.metrics.map(\.repoPath), ["results/metrics.json"])
        XCTAssertEqual(pipeline.plots[0].path?.repoPath, "results/loss.csv")
        XCTAssertEqual(pipeline.plots[0].y, .fields(["train", "val"]))
        XCTAssertEqual(pipeline.plots[0].x, .field("step"))
    }
}

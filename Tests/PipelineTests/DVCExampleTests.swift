import XCTest
@testable import Pipeline

/// The classic DVC project (iterative/example-get-started): prepare → featurize → train → evaluate, with
/// params.yaml, metrics, plots and an artifact. Renamed to cairn.yaml, it must parse unchanged.
final class DVCExampleTests: PipelineTestCase {
    static let params = """
        prepare:
          split: 0.20
          seed: 20170428

        featurize:
          max_features: 100
          ngrams: 1

        train:
          seed: 20170428
          n_est: 50
          min_split: 0.01
        """

    static let dvcYAML = """
        stages:
          prepare:
            cmd: python src/prepare.py data/data.xml
            deps:
            - data/data.xml
            - src/prepare.py
            params:
            - prepare.seed
            - prepare.split
            outs:
            - data/prepared
          featurize:
            cmd: python src/featurization.py data/prepared data/features
            deps:
            - data/prepared
            - src/featurization.py
            params:
            - featurize.max_features
            - featurize.ngrams
            outs:
            - data/features
          train:
            cmd: python src/train.py data/features model.pkl
            deps:
            - data/features
            - src/train.py
            params:
            - train.min_split
            - train.n_est
            - train.seed
            outs:
            - model.pkl
          evaluate:
            cmd: python src/evaluate.py model.pkl data/features
            deps:
            - data/features
            - model.pkl
            - src/evaluate.py
            outs:
            - eval/live/plots:
                cache: false
            metrics:
            - eval/live/metrics.json:
                cache: false
            plots:
            - eval/importance.png
            - eval/prc/train.json:
                x: recall
                y: precision
                template: simple
        metrics:
        - eval/metrics.json
        plots:
        - ROC:
            template: simple
            x: fpr
            y:
              eval/plots/sklearn/roc/train.json: tpr
              eval/plots/sklearn/roc/test.json: tpr
        - Confusion-Matrix:
            template: confusion
            x: actual
            y:
              eval/plots/sklearn/cm/train.json: predicted
        - eval/plots/images/importance.png
        artifacts:
          text-classification:
            path: model.pkl
            type: model
            desc: Detect whether the given stackoverflow question should have R language tag.
            labels:
            - nlp
            - classification
        """

    func testClassicPipelineParsesCompletely() throws {
        try write("params.yaml", Self.params)
        let pipeline = try parse(Self.dvcYAML)
        XCTAssertEqual(pipeline.stages.map(\.name), ["prepare", "featurize", "train", "evaluate"])

        let prepare = try XCTUnwrap(pipeline.stage(named: "prepare"))
        XCTAssertEqual(prepare.commands, ["python src/prepare.py data/data.xml"])
        XCTAssertEqual(prepare.cmd, .string("python src/prepare.py data/data.xml"))
        XCTAssertEqual(prepare.wdir, "")
        XCTAssertEqual(prepare.deps.map(\.repoPath), ["data/data.xml", "src/prepare.py"])
        XCTAssertEqual(prepare.params, [ParamsDependency(file: PipelinePath(written: "params.yaml", repoPath: "params.yaml"),
                                                         keys: ["prepare.seed", "prepare.split"])])
        XCTAssertEqual(prepare.outs.map(\.path.repoPath), ["data/prepared"])
        XCTAssertTrue(prepare.outs[0].cache)

        let evaluate = try XCTUnwrap(pipeline.stage(named: "evaluate"))
        XCTAssertEqual(evaluate.outs.map(\.path.repoPath),
                       ["eval/live/plots", "eval/live/metrics.json", "eval/importance.png", "eval/prc/train.json"])
        XCTAssertEqual(evaluate.outs.map(\.kind), [.out, .metric, .plot, .plot])
        XCTAssertEqual(evaluate.outs.map(\.cache), [false, false, true, true])
        XCTAssertEqual(evaluate.outs[3].plotProperties.first?.x, "recall")
        XCTAssertEqual(evaluate.outs[3].plotProperties.first?.y, "precision")
        XCTAssertEqual(evaluate.outs[3].plotProperties.first?.template, "simple")

        XCTAssertEqual(pipeline.metrics.map(\.repoPath), ["eval/metrics.json"])
        XCTAssertEqual(pipeline.plots.map(\.id), ["ROC", "Confusion-Matrix", "eval/plots/images/importance.png"])
        XCTAssertNil(pipeline.plots[0].path, "an id with a y mapping is a name, not a file")
        XCTAssertEqual(pipeline.plots[0].x, .field("fpr"))
        XCTAssertEqual(pipeline.plots[0].y, .perFile([
            (PipelinePath(written: "eval/plots/sklearn/roc/train.json", repoPath: "eval/plots/sklearn/roc/train.json"), ["tpr"]),
            (PipelinePath(written: "eval/plots/sklearn/roc/test.json", repoPath: "eval/plots/sklearn/roc/test.json"), ["tpr"]),
        ]))
        XCTAssertEqual(pipeline.plots[1].template, "confusion")
        XCTAssertEqual(pipeline.plots[2].path?.repoPath, "eval/plots/images/importance.png")

        XCTAssertEqual(pipeline.artifacts.count, 1)
        XCTAssertEqual(pipeline.artifacts[0].name, "text-classification")
        XCTAssertEqual(pipeline.artifacts[0].path.repoPath, "model.pkl")
        XCTAssertEqual(pipeline.artifacts[0].type, "model")
        XCTAssertEqual(pipeline.artifacts[0].labels, ["nlp", "classification"])

        // params.yaml is loaded as variables by default.
        XCTAssertEqual(pipeline.variables["train"]?.value(atPath: "n_est"), .int(50))
        XCTAssertEqual(pipeline.variables["prepare"]?.value(atPath: "split"), .float(0.2))
    }

    func testParamsValuesOfTheStagesComeFromParamsYAML() throws {
        try write("params.yaml", Self.params)
        let pipeline = try parse(Self.dvcYAML)
        let train = try XCTUnwrap(pipeline.stage(named: "train"))
        let file = try ParamsFile.load(root: root, path: train.params[0].file.repoPath)
        let values = try file.values(forKeys: train.params[0].keys ?? [])
        XCTAssertEqual(values.keys, ["train.min_split", "train.n_est", "train.seed"])
        XCTAssertEqual(values["train.min_split"], .float(0.01))
        XCTAssertEqual(values["train.seed"], .int(20170428))
    }

    func testStageOptionsAndAnnotations() throws {
        let pipeline = try parse("""
            stages:
              build:
                cmd:
                - mkdir -p out
                - echo hi > out/a.txt
                wdir: sub
                deps: [../data/in.csv]
                outs:
                - out:
                    persist: true
                    push: false
                    remote: s3store
                    desc: the output
                    type: dataset
                    labels: [a, b]
                    meta: {owner: me}
                frozen: true
                always_changed: true
                desc: builds things
                meta:
                  anything: [1, 2]
            """)
        let stage = try XCTUnwrap(pipeline.stages.first)
        XCTAssertEqual(stage.commands, ["mkdir -p out", "echo hi > out/a.txt"])
        XCTAssertEqual(stage.cmd, .list([.string("mkdir -p out"), .string("echo hi > out/a.txt")]))
        XCTAssertEqual(stage.wdir, "sub")
        XCTAssertEqual(stage.deps, [PipelinePath(written: "../data/in.csv", repoPath: "data/in.csv")])
        let out = stage.outs[0]
        XCTAssertEqual(out.path, PipelinePath(written: "out", repoPath: "sub/out"))
        XCTAssertTrue(out.persist)
        XCTAssertFalse(out.push)
        XCTAssertEqual(out.remote, "s3store")
        XCTAssertEqual(out.desc, "the output")
        XCTAssertEqual(out.type, "dataset")
        XCTAssertEqual(out.labels, ["a", "b"])
        XCTAssertEqual(out.meta, .map(ParamMap([("owner", .string("me"))])))
        XCTAssertTrue(stage.frozen)
        XCTAssertTrue(stage.alwaysChanged)
        XCTAssertEqual(stage.desc, "builds things")
        XCTAssertEqual(stage.meta, .map(ParamMap([("anything", .list([.int(1), .int(2)]))])))
    }

    func testMultiLineCommandIsSeveralCommandsButFoldedIsOne() throws {
        let pipeline = try parse("""
            stages:
              literal:
                cmd: |
                  echo one
                  echo two
              folded:
                cmd: >-
                  echo one
                  two
            """)
        XCTAssertEqual(pipeline.stages[0].commands, ["echo one", "echo two"])
        XCTAssertEqual(pipeline.stages[0].cmd, .string("echo one\necho two\n"))
        XCTAssertEqual(pipeline.stages[1].commands, ["echo one two"])
        XCTAssertTrue(pipeline.stages[1].isCallback)
    }

    func testParamsForms() throws {
        try write("params.yaml", "a: 1\nb: {c: 2}\n")
        try write("conf/train.json", #"{"lr": 0.1, "layers": [8, 4]}"#)
        try write("conf/whole.toml", "x = 1\n")
        let pipeline = try parse("""
            stages:
              s:
                cmd: run
                params:
                - a
                - b.c
                - conf/train.json: [lr, layers]
                - conf/whole.toml:
              t:
                cmd: run
                params:
                - a
                - params.yaml:
            """)
        XCTAssertEqual(pipeline.stages[0].params, [
            ParamsDependency(file: PipelinePath(written: "params.yaml", repoPath: "params.yaml"), keys: ["a", "b.c"]),
            ParamsDependency(file: PipelinePath(written: "conf/train.json", repoPath: "conf/train.json"), keys: ["lr", "layers"]),
            ParamsDependency(file: PipelinePath(written: "conf/whole.toml", repoPath: "conf/whole.toml"), keys: nil),
        ])
        // A wholly tracked default file makes bare keys redundant, as in DVC.
        XCTAssertEqual(pipeline.stages[1].params, [
            ParamsDependency(file: PipelinePath(written: "params.yaml", repoPath: "params.yaml"), keys: nil),
        ])
    }

    func testEmptyFileIsAnEmptyPipeline() throws {
        let pipeline = try parse("# nothing yet\n")
        XCTAssertTrue(pipeline.stages.isEmpty)
    }
}

import XCTest
@testable import Pipeline

final class InterpolationTests: PipelineTestCase {
    func testNestedKeysListIndexesAndTypes() throws {
        try write("params.yaml", """
            train:
              lr: 0.001
              epochs: 10
              layers: [64, 32]
              enabled: true
            tiny: 0.00001
            """)
        let pipeline = try parse("""
            vars:
              - data_dir: data
                seeds: [1, 2]
            stages:
              train:
                cmd: python train.py --lr ${train.lr} --epochs ${train.epochs} --first ${train.layers[0]} --second ${train.layers.1} --on ${train.enabled} --tiny ${tiny}
                deps:
                - ${data_dir}/in.csv
                frozen: ${train.enabled}
                outs:
                - ${data_dir}/model-${train.epochs}.bin
                desc: escaped \\${train.lr}
            """)
        let stage = pipeline.stages[0]
        XCTAssertEqual(stage.commands, ["python train.py --lr 0.001 --epochs 10 --first 64 --second 32 --on true --tiny 1e-05"])
        XCTAssertEqual(stage.deps.map(\.repoPath), ["data/in.csv"])
        XCTAssertTrue(stage.frozen, "a whole-string ${} keeps the boolean type")
        XCTAssertEqual(stage.outs.map(\.path.written), ["data/model-10.bin"])
        XCTAssertEqual(stage.desc, "escaped ${train.lr}")
        XCTAssertEqual(stage.interpolatedParams["params.yaml"]?.keys, ["train.lr", "train.epochs", "train.layers.0", "train.layers.1",
                                                                      "train.enabled", "tiny"])
    }

    func testDictInCommandExpandsToFlags() throws {
        try write("params.yaml", """
            train:
              lr: 0.1
              name: my model
              verbose: true
              quiet: false
              layers: [8, "a b"]
              opt:
                kind: adam
            """)
        let yaml = """
            stages:
              train:
                cmd: python train.py ${train}
            """
        XCTAssertEqual(try parse(yaml).stages[0].commands,
                       ["python train.py --lr 0.1 --name 'my model' --verbose --layers 8 'a b' --opt.kind adam"])
        let other = try parse(yaml, options: InterpolationOptions(bools: .booleanOptional, lists: .append))
        XCTAssertEqual(other.stages[0].commands,
                       ["python train.py --lr 0.1 --name 'my model' --verbose --no-quiet --layers 8 --layers 'a b' --opt.kind adam"])
    }

    func testForeachOverAList() throws {
        let pipeline = try parse("""
            stages:
              cleanups:
                foreach: [raw1, raw2]
                do:
                  cmd: clean.py ${item}
                  outs:
                  - ${item}.clean
            """)
        XCTAssertEqual(pipeline.stages.map(\.name), ["cleanups@raw1", "cleanups@raw2"])
        XCTAssertEqual(pipeline.stages.map(\.commands), [["clean.py raw1"], ["clean.py raw2"]])
        XCTAssertEqual(pipeline.stages[1].group, "cleanups")
        XCTAssertEqual(pipeline.stages[1].memberKey, "raw2")
        XCTAssertEqual(pipeline.groups["cleanups"], ["cleanups@raw1", "cleanups@raw2"])
    }

    func testForeachOverAListOfMappingsUsesIndexes() throws {
        let pipeline = try parse("""
            stages:
              train:
                foreach:
                  - {model: cnn, epochs: 3}
                  - {model: rnn, epochs: 5}
                do:
                  cmd: train ${item.model} ${item.epochs}
            """)
        XCTAssertEqual(pipeline.stages.map(\.name), ["train@0", "train@1"])
        XCTAssertEqual(pipeline.stages.map(\.commands), [["train cnn 3"], ["train rnn 5"]])
    }

    func testForeachOverAMappingAndOverAVariable() throws {
        try write("params.yaml", """
            models:
              us:
                epochs: 10
              uk:
                epochs: 20
            """)
        let pipeline = try parse("""
            stages:
              build:
                foreach: ${models}
                do:
                  cmd: build ${key} --epochs ${item.epochs}
                  outs:
                  - out/${key}
            """)
        XCTAssertEqual(pipeline.stages.map(\.name), ["build@us", "build@uk"])
        XCTAssertEqual(pipeline.stages.map(\.commands), [["build us --epochs 10"], ["build uk --epochs 20"]])
        XCTAssertEqual(pipeline.stages[1].outs[0].path.repoPath, "out/uk")
    }

    func testMatrixNamesAndItems() throws {
        try write("params.yaml", "features: [f1, f2]\n")
        let pipeline = try parse("""
            stages:
              train:
                matrix:
                  model: [cnn, xgb]
                  feature: ${features}
                  config: [{a: 1}, {a: 2}]
                cmd: train --model ${item.model} --feature ${item.feature} --a ${item.config.a} --key ${key}
            """)
        XCTAssertEqual(pipeline.stages.map(\.name), [
            "train@cnn-f1-config0", "train@cnn-f1-config1", "train@cnn-f2-config0", "train@cnn-f2-config1",
            "train@xgb-f1-config0", "train@xgb-f1-config1", "train@xgb-f2-config0", "train@xgb-f2-config1",
        ])
        XCTAssertEqual(pipeline.stages[5].commands, ["train --model xgb --feature f1 --a 2 --key xgb-f1-config1"])
        XCTAssertEqual(pipeline.groups["train"]?.count, 8)
    }

    func testStageVarsAndVarsFiles() throws {
        try write("config/extra.yaml", "batch: 32\nunused: 1\nother: {x: 9}\n")
        let pipeline = try parse("""
            vars:
              - config/extra.yaml:batch,other
            stages:
              s:
                vars:
                  - local: here
                cmd: run ${batch} ${other.x} ${local}
            """)
        XCTAssertEqual(pipeline.stages[0].commands, ["run 32 9 here"])
        XCTAssertNil(pipeline.variables["unused"])
    }

    func testSubdirectoryPipelineIsRelativeToItsDirectory() throws {
        try write("models/params.yaml", "n: 3\n")
        let pipeline = try parse("""
            stages:
              fit:
                cmd: fit ${n}
                wdir: src
                deps: [../data.csv, train.py]
                outs: [../model.bin]
                params: [n]
            """, path: "models/cairn.yaml")
        let stage = pipeline.stages[0]
        XCTAssertEqual(pipeline.directory, "models")
        XCTAssertEqual(stage.wdir, "models/src")
        XCTAssertEqual(stage.deps.map(\.repoPath), ["models/data.csv", "models/src/train.py"])
        XCTAssertEqual(stage.outs.map(\.path.repoPath), ["models/model.bin"])
        XCTAssertEqual(stage.params[0].file.repoPath, "models/src/params.yaml", "params files are read in the wdir, as DVC does")
        XCTAssertEqual(stage.commands, ["fit 3"], "the params.yaml next to cairn.yaml provides the variables")
    }

    func testWdirIsInterpolatedAndStageVarsAreReadInIt() throws {
        try write("params.yaml", "where: jobs\nyear: 2024\n")
        try write("jobs/local.yaml", "threads: 4\n")
        let pipeline = try parse("""
            stages:
              s:
                wdir: ${where}
                vars: [local.yaml]
                cmd: run -j ${threads}
                deps:
                - ${year}
            """)
        let stage = pipeline.stages[0]
        XCTAssertEqual(stage.wdir, "jobs")
        XCTAssertEqual(stage.commands, ["run -j 4"])
        XCTAssertEqual(stage.deps, [PipelinePath(written: "2024", repoPath: "jobs/2024")], "a number from ${} is a path's text")
    }

    func testMatchesFollowDVCsPattern() {
        XCTAssertEqual(Interpolation.matches(in: "a ${x} \\${y} ${z.w[0]}").map(\.expression), ["x", "z.w[0]"])
        XCTAssertEqual(Interpolation.matches(in: "${open\n${b}").map(\.expression), ["b"], "an expression does not span lines")
        XCTAssertEqual(Interpolation.matches(in: "$x {y} ${unclosed").map(\.expression), [])
    }

    func testShellQuoteLikePython() {
        XCTAssertEqual(Interpolation.shellQuote(""), "''")
        XCTAssertEqual(Interpolation.shellQuote("a/b-c.d_e@f%g+h=i:j,k"), "a/b-c.d_e@f%g+h=i:j,k")
        XCTAssertEqual(Interpolation.shellQuote("it's"), "'it'\"'\"'s'")
        XCTAssertEqual(Interpolation.shellQuote("é"), "'é'")
    }
}

import XCTest
@testable import Experiments
import Pipeline

final class ParamOverrideTests: XCTestCase {
    func testParsesFileKeyAndTypedValue() throws {
        let plain = try ParamOverride.parse("train.lr=0.01", cwdInRepo: "")
        XCTAssertEqual(plain.file, "params.yaml")
        XCTAssertEqual(plain.key, "train.lr")
        XCTAssertEqual(plain.value, .float(0.01))
        let withFile = try ParamOverride.parse("conf/train.yaml:model.name=resnet", cwdInRepo: "sub")
        XCTAssertEqual(withFile.file, "sub/conf/train.yaml")
        XCTAssertEqual(withFile.value, .string("resnet"))
        XCTAssertEqual(try ParamOverride.parse("a=true", cwdInRepo: "").value, .bool(true))
        XCTAssertEqual(try ParamOverride.parse("a=[1, 2]", cwdInRepo: "").value, .list([.int(1), .int(2)]))
    }

    func testRefusesMalformedArguments() {
        XCTAssertThrowsError(try ParamOverride.parse("train.lr", cwdInRepo: ""))
        XCTAssertThrowsError(try ParamOverride.parse("=3", cwdInRepo: ""))
        XCTAssertThrowsError(try ParamOverride.parse("../x.yaml:a=1", cwdInRepo: ""))
        XCTAssertThrowsError(try ParamOverride.parse("a={b: 1}", cwdInRepo: ""))
    }

    private func apply(_ arguments: [String], _ files: [String: String]) throws -> [String: String] {
        let overrides = try arguments.map { try ParamOverride.parse($0, cwdInRepo: "") }
        return try ParamOverride.apply(overrides) { files[$0].map { Array($0.utf8) } }
            .mapValues { String(decoding: $0, as: UTF8.self) }
    }

    func testYAMLEditKeepsCommentsAndOtherLines() throws {
        let text = "# top\ntrain:\n  lr: 0.1   # learning rate\n  epochs: 3\nprep:\n  lr: 7\n"
        let out = try apply(["train.lr=0.2"], ["params.yaml": text])["params.yaml"]
        XCTAssertEqual(out, "# top\ntrain:\n  lr: 0.2   # learning rate\n  epochs: 3\nprep:\n  lr: 7\n")
    }

    func testYAMLStringThatNeedsQuotes() throws {
        let out = try apply(["name=a: b"], ["params.yaml": "name: x\n"])["params.yaml"]!
        XCTAssertEqual(try ParamsFile.parse(out, path: "p", format: .yaml).value(forKey: "name"), .string("a: b"))
    }

    func testMissingKeyAndFileAreErrorsNamingThem() {
        XCTAssertThrowsError(try apply(["train.lrr=1"], ["params.yaml": "train:\n  lr: 1\n"])) { error in
            XCTAssertTrue("\(error)".contains("no parameter 'train.lrr'"), "\(error)")
        }
        XCTAssertThrowsError(try apply(["a=1"], [:])) { error in
            XCTAssertTrue("\(error)".contains("params.yaml: no such params file"), "\(error)")
        }
        XCTAssertThrowsError(try apply(["train=1"], ["params.yaml": "train:\n  lr: 1\n"])) { error in
            XCTAssertTrue("\(error)".contains("is a mapping"), "\(error)")
        }
    }

    func testJSONAndTOML() throws {
        let json = try apply(["c.json:opt.lr=0.5"], ["c.json": "{\"opt\": {\"lr\": 0.1, \"n\": 2}}"])["c.json"]!
        XCTAssertEqual(try ParamsFile.parse(json, path: "c.json", format: .json).value(forKey: "opt.lr"), .float(0.5))
        XCTAssertEqual(try ParamsFile.parse(json, path: "c.json", format: .json).value(forKey: "opt.n"), .int(2))
        let toml = try apply(["t.toml:model.name=big"], ["t.toml": "top = 1\n[model]\nname = \"small\" # size\n"])["t.toml"]!
        XCTAssertEqual(toml, "top = 1\n[model]\nname = \"big\" # size\n")
    }
}

final class ExperimentMessageTests: XCTestCase {
    func testRoundTrip() {
        let message = ExperimentMessage(name: "brisk-heron", baseline: String(repeating: "a", count: 40), state: .failed,
                                        setParams: ["params.yaml:train.lr=0.1"], targets: ["train"],
                                        failure: "stage 'train': command exited with 1\nmore", environments: [("train", "{\"os\":\"x\"}")],
                                        createdNs: 1_796_000_000_123_456_789)
        let parsed = ExperimentMessage.parse(message.text)
        XCTAssertEqual(parsed?.name, "brisk-heron")
        XCTAssertEqual(parsed?.state, .failed)
        XCTAssertEqual(parsed?.setParams, ["params.yaml:train.lr=0.1"])
        XCTAssertEqual(parsed?.targets, ["train"])
        XCTAssertEqual(parsed?.failure, "stage 'train': command exited with 1")
        XCTAssertEqual(parsed?.environments.first?.json, "{\"os\":\"x\"}")
        XCTAssertEqual(parsed?.createdNs, 1_796_000_000_123_456_789)
        XCTAssertNil(ExperimentMessage.parse("an ordinary commit\n"))
    }

    func testReferenceLayoutAndNames() throws {
        let baseline = "0123456789abcdef0123456789abcdef01234567"
        let reference = ExperimentRefs.reference(baseline: baseline, name: "x1")
        XCTAssertEqual(reference, "refs/exps/01/23456789abcdef0123456789abcdef01234567/x1")
        XCTAssertEqual(ExperimentRefs.parse(reference)?.baseline, baseline)
        XCTAssertEqual(ExperimentRefs.parse(reference)?.name, "x1")
        XCTAssertNil(ExperimentRefs.parse("refs/exps/exec/EXEC_HEAD"))
        for bad in ["", "a/b", "-x", "HEAD", "a b", "a..b", "deadbeef", "x~1"] {
            XCTAssertThrowsError(try ExperimentRefs.validate(name: bad), bad)
        }
        XCTAssertNoThrow(try ExperimentRefs.validate(name: "lr-0.1_try2"))
        let generated = ExperimentNames.generate(taken: [], seed: 42)
        XCTAssertEqual(generated, ExperimentNames.generate(taken: [], seed: 42))
        XCTAssertNotEqual(ExperimentNames.generate(taken: [generated], seed: 42), generated)
    }
}

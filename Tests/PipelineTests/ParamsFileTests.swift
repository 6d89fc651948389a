import XCTest
@testable import Pipeline

final class ParamsFileTests: PipelineTestCase {
    func testYAMLParamsUseYAML12Scalars() throws {
        let file = try ParamsFile.parse("""
            a: yes
            b: on
            c: 1e-3
            d: 0x10
            e: 1_000
            f: ~
            g: "12"
            h: .inf
            i: 010
            nested: {x: [1, {y: 2}]}
            """, path: "params.yaml", format: .yaml)
        XCTAssertEqual(file.value(forKey: "a"), .string("yes"))
        XCTAssertEqual(file.value(forKey: "b"), .string("on"))
        XCTAssertEqual(file.value(forKey: "c"), .float(0.001))
        XCTAssertEqual(file.value(forKey: "d"), .int(16))
        XCTAssertEqual(file.value(forKey: "e"), .int(1000))
        XCTAssertEqual(file.value(forKey: "f"), .null)
        XCTAssertEqual(file.value(forKey: "g"), .string("12"))
        XCTAssertEqual(file.value(forKey: "h"), .float(.infinity))
        XCTAssertEqual(file.value(forKey: "nested.x.1.y"), .int(2))
        XCTAssertEqual(file.flattened.map(\.key), ["a", "b", "c", "d", "e", "f", "g", "h", "i", "nested.x"])
    }

    func testJSONParams() throws {
        let file = try ParamsFile.parse(#"""
            {"train": {"lr": 0.5, "epochs": 3, "name": "a\"b\u00e9", "flags": [true, false, null]}, "big": 1e3}
            """#, path: "p.json", format: .json)
        XCTAssertEqual(file.value(forKey: "train.lr"), .float(0.5))
        XCTAssertEqual(file.value(forKey: "train.epochs"), .int(3))
        XCTAssertEqual(file.value(forKey: "train.name"), .string("a\"bé"))
        XCTAssertEqual(file.value(forKey: "train.flags"), .list([.bool(true), .bool(false), .null]))
        XCTAssertEqual(file.value(forKey: "big"), .float(1000))
        XCTAssertEqual(file.flattened.map(\.key), ["train.lr", "train.epochs", "train.name", "train.flags", "big"])
        assertThrows("p.json:2: not valid JSON: expected ',' or '}'") {
            _ = try ParamsFile.parse("{\"a\": 1\n \"b\": 2}", path: "p.json", format: .json)
        }
        assertThrows("p.json:1: not valid JSON: duplicate key 'a'") {
            _ = try ParamsFile.parse(#"{"a": 1, "a": 2}"#, path: "p.json", format: .json)
        }
    }

    func testTOMLParams() throws {
        let file = try ParamsFile.parse("""
            # a comment
            title = "TOML \\"params\\""
            seed = 1_234
            ratio = 6.5e-1
            hex = 0xff
            on = true
            list = [1, 2,
              3, # trailing comma and comments
            ]
            literal = 'C:\\path'
            multi = \"\"\"
            line one
            line two\"\"\"
            inline = { a = 1, b.c = "d" }
            "quoted key" = 1
            when = 1979-05-27T07:32:00Z

            [train]
            lr = 0.01
            optimizer.name = "adam"

            [train.schedule]
            steps = [10, 20]

            [[runs]]
            name = "a"
            [[runs]]
            name = "b"
            """, path: "params.toml", format: .toml)
        XCTAssertEqual(file.value(forKey: "title"), .string("TOML \"params\""))
        XCTAssertEqual(file.value(forKey: "seed"), .int(1234))
        XCTAssertEqual(file.value(forKey: "ratio"), .float(0.65))
        XCTAssertEqual(file.value(forKey: "hex"), .int(255))
        XCTAssertEqual(file.value(forKey: "on"), .bool(true))
        XCTAssertEqual(file.value(forKey: "list"), .list([.int(1), .int(2), .int(3)]))
        XCTAssertEqual(file.value(forKey: "literal"), .string("C:\\path"))
        XCTAssertEqual(file.value(forKey: "multi"), .string("line one\nline two"))
        XCTAssertEqual(file.value(forKey: "inline.b.c"), .string("d"))
        XCTAssertEqual(file.value(forKey: "quoted key"), .int(1))
        XCTAssertEqual(file.value(forKey: "when"), .string("1979-05-27T07:32:00Z"))
        XCTAssertEqual(file.value(forKey: "train.lr"), .float(0.01))
        XCTAssertEqual(file.value(forKey: "train.optimizer.name"), .string("adam"))
        XCTAssertEqual(file.value(forKey: "train.schedule.steps"), .list([.int(10), .int(20)]))
        XCTAssertEqual(file.value(forKey: "runs.1.name"), .string("b"))
        XCTAssertEqual(file.flattened.map(\.key).prefix(3), ["title", "seed", "ratio"])
    }

    func testTOMLErrors() {
        assertThrows("p.toml:2: not valid TOML: key 'a' is defined twice") {
            _ = try ParamsFile.parse("a = 1\na = 2\n", path: "p.toml", format: .toml)
        }
        assertThrows("p.toml:1: not valid TOML: unexpected value 'hello' (strings must be quoted)") {
            _ = try ParamsFile.parse("a = hello\n", path: "p.toml", format: .toml)
        }
        assertThrows("p.toml:3: not valid TOML: table [t] is defined twice") {
            _ = try ParamsFile.parse("[t]\nx = 1\n[t]\n", path: "p.toml", format: .toml)
        }
    }

    func testMissingKeysAreNamed() throws {
        try write("params.yaml", "train: {lr: 1}\n")
        let file = try ParamsFile.load(root: root, path: "params.yaml")
        XCTAssertEqual(try file.values(forKeys: ["train"]), ParamMap([("train", .map(ParamMap([("lr", .int(1))])))]))
        assertThrows("params.yaml: parameter 'train.epochs' is missing") { _ = try file.values(forKeys: ["train.lr", "train.epochs"]) }
        assertThrows("params.yaml: parameters 'a', 'b' are missing") { _ = try file.values(forKeys: ["a", "b"]) }
    }

    func testParamsFileMustBeAMappingAndNotPython() {
        assertThrows("p.yaml: a params file must hold a mapping of names to values, got a list") {
            _ = try ParamsFile.parse("- a\n", path: "p.yaml", format: .yaml)
        }
        assertThrows("params.py: Python params files are not supported by cairn; use YAML, JSON or TOML") {
            _ = try ParamsFile.format(forPath: "params.py")
        }
    }
}

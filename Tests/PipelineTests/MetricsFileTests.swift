import XCTest
import Basics
@testable import Pipeline

/// Reading metrics files as DVC does, CSV/TSV, and the diff rows built from them.
final class MetricsFileTests: XCTestCase {
    func testJSONNestedKeysFlattenWithDots() throws {
        let m = try MetricsFile.parse(#"{"auc": 0.9, "train": {"loss": 0.1, "acc": {"top1": 0.7}}, "name": "x", "ok": true}"#, path: "m.json")
        let flat = MetricsFile.flatten(m)
        XCTAssertEqual(flat.map(\.key), ["auc", "train.loss", "train.acc.top1", "name", "ok"])
        XCTAssertEqual(flat.map(\.value), [.float(0.9), .float(0.1), .float(0.7), .string("x"), .bool(true)])
    }

    func testListsNullsAndEmptyMappingsAreNotMetrics() throws {
        let m = try MetricsFile.parse(#"{"a": [1, 2], "b": null, "c": {"d": []}, "e": 1}"#, path: "m.json")
        XCTAssertEqual(MetricsFile.flatten(m).map(\.key), ["e"])
    }

    func testYAMLAndTOML() throws {
        let y = try MetricsFile.parse("eval:\n  auc: 0.5\n  n: 3\n", path: "dir/metrics.yaml")
        XCTAssertEqual(MetricsFile.flatten(y).map(\.key), ["eval.auc", "eval.n"])
        XCTAssertEqual(MetricsFile.flatten(y).last?.value, .int(3))
        let t = try MetricsFile.parse("[eval]\nauc = 0.25\n", path: "metrics.toml")
        XCTAssertEqual(MetricsFile.flatten(t).map(\.value), [.float(0.25)])
        XCTAssertEqual(try MetricsFile.parse("", path: "empty.yaml"), ParamMap())
    }

    func testANonMappingIsAnErrorNamingTheFile() {
        XCTAssertThrowsError(try MetricsFile.parse("[1, 2]", path: "m.json")) { error in
            XCTAssertEqual("\(error)", "m.json: a metrics file must hold a mapping of names to values, got a list")
        }
        XCTAssertThrowsError(try MetricsFile.parse("{\"a\": ", path: "m.json"))
    }

    func testCSVMetricsAreTheLastRow() throws {
        let m = try MetricsFile.parse("epoch,loss,acc\n0,0.9,0.5\n1,0.4,0.8\n", path: "log.csv")
        XCTAssertEqual(MetricsFile.flatten(m).map(\.key), ["epoch", "loss", "acc"])
        XCTAssertEqual(MetricsFile.flatten(m).map(\.value), [.int(1), .float(0.4), .float(0.8)])
        let t = try MetricsFile.parse("name\tscore\nbest\t7\n", path: "m.tsv")
        XCTAssertEqual(MetricsFile.flatten(t).map(\.value), [.string("best"), .int(7)])
    }

    func testCSVQuotingAndLineEnds() throws {
        let table = try DelimitedTable.parse("a,\"b,c\",d\r\n1,\"x \"\"q\"\"\ny\",3\r\n\n2,,4", separator: ",", file: "t.csv")
        XCTAssertEqual(table.header, ["a", "b,c", "d"])
        XCTAssertEqual(table.rows, [["1", "x \"q\"\ny", "3"], ["2", "", "4"]])
        XCTAssertThrowsError(try DelimitedTable.parse("a\n\"open", separator: ",", file: "t.csv")) { error in
            XCTAssertEqual("\(error)", "t.csv:2: a quoted field is not closed")
        }
        let noHeader = try DelimitedTable.parse("1\t2\n3\t4\n", separator: "\t", header: false, file: "t.tsv")
        XCTAssertEqual(noHeader.header, ["0", "1"])
        XCTAssertEqual(noHeader.records.count, 2)
    }

    func testDiffRowsShowOldNewAndNumericChange() {
        let old = ParamMap([("auc", .float(0.5)), ("n", .int(3)), ("name", .string("a")), ("same", .int(1)), ("gone", .int(9))])
        let new = ParamMap([("auc", .float(0.75)), ("n", .int(5)), ("name", .string("b")), ("same", .int(1)), ("added", .float(1))])
        let rows = MetricsDiff.rows(old: [("m.json", old)], new: [("m.json", new)], all: false, withChange: true)
        XCTAssertEqual(rows.map(\.key), ["auc", "n", "name", "gone", "added"])
        XCTAssertEqual(rows[0].change, .float(0.25))
        XCTAssertEqual(rows[1].change, .int(2))
        XCTAssertNil(rows[2].change)
        XCTAssertEqual(rows[3].new, nil)
        XCTAssertEqual(rows[4].old, nil)
        XCTAssertNil(rows[4].change)
        let all = MetricsDiff.rows(old: [("m.json", old)], new: [("m.json", new)], all: true, withChange: true)
        XCTAssertTrue(all.contains { $0.key == "same" && $0.change == .int(0) })
    }

    func testBooleansHaveNoChange() {
        XCTAssertNil(MetricsDiff.change(from: .bool(false), to: .bool(true)))
        XCTAssertEqual(MetricsDiff.change(from: .int(1), to: .float(1.5)), .float(0.5))
    }

    func testAFileOnlyOnOneSideListsItsKeys() {
        let rows = MetricsDiff.rows(old: [], new: [("new.json", ParamMap([("a", .int(1))]))], all: false, withChange: true)
        XCTAssertEqual(rows, [DiffRow(path: "new.json", key: "a", old: nil, new: .int(1))])
    }

    func testFormattingRoundsFloatsAndMarksMissing() {
        XCTAssertEqual(MetricsFormatting.text(.float(0.123456789)), "0.12346")
        XCTAssertEqual(MetricsFormatting.text(.float(0.123456789), precision: 2), "0.12")
        XCTAssertEqual(MetricsFormatting.text(.int(7)), "7")
        XCTAssertEqual(MetricsFormatting.text(nil), "-")
        XCTAssertEqual(MetricsFormatting.text(.bool(true)), "true")
        XCTAssertEqual(MetricsFormatting.text(.float(1e300)), "1e+300")
    }

    func testParamsSelectionMergesKeysAndWholeFiles() {
        var s = ParamsSelection()
        s.add("params.yaml", keys: ["a"])
        s.add("params.yaml", keys: ["b", "a"])
        s.add("other.json", keys: nil)
        s.add("other.json", keys: ["x"])
        XCTAssertEqual(s.order, ["params.yaml", "other.json"])
        XCTAssertEqual(s.keys["params.yaml"]!, ["a", "b"])
        XCTAssertEqual(s.keys["other.json"]!, nil)
        s.add("params.yaml", keys: nil)
        XCTAssertEqual(s.keys["params.yaml"]!, nil)
    }

    func testParamsSelectKeepsSubtreesUnderTheirDottedKey() {
        let content = ParamValue.map(ParamMap([("train", .map(ParamMap([("lr", .float(0.1)), ("opt", .map(ParamMap([("name", .string("sgd"))])))]))), ("seed", .int(1))]))
        let selected = ParamsDiff.select(content, keys: ["train.opt", "seed", "missing"])
        XCTAssertEqual(MetricsFile.flatten(selected).map(\.key), ["train.opt.name", "seed"])
    }
}

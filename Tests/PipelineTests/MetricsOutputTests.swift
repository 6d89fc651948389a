import XCTest
import Basics
@testable import Pipeline

/// Tables, JSON and the plots page: file content is hostile, so nothing from it may become markup or escapes.
final class MetricsOutputTests: XCTestCase {
    func testPlainAndMarkdownTables() {
        let plain = TextTable.render(header: ["Path", "Metric"], rows: [["m.json", "auc"]], markdown: false)
        XCTAssertEqual(plain, "Path    Metric\nm.json  auc")
        let md = TextTable.render(header: ["Path", "Metric"], rows: [["m.json", "a|b"]], markdown: true)
        XCTAssertEqual(md, "| Path | Metric |\n|------|--------|\n| m.json | a\\|b |")
    }

    func testTableCellsShowControlCharacters() {
        XCTAssertEqual(TextTable.cell("a\u{1b}[31mred\nx", markdown: false), "a\\u{1b}[31mred\\nx")
    }

    func testOrderedJSONKeepsOrderAndEscapes() {
        let node = OrderedJSON.Node.object([("z", .value(.int(1))), ("a", .value(.string("</script>\"\n"))), ("n", .value(nil)),
                                            ("f", .value(.float(.nan)))])
        XCTAssertEqual(OrderedJSON.text(node), #"{"z":1,"a":"\u003c/script\u003e\"\n","n":null,"f":null}"#)
    }

    func testHTMLEscape() {
        XCTAssertEqual(HTMLText.escape("<img src=x onerror='a'>&\"\u{7}"), "&lt;img src=x onerror=&#39;a&#39;&gt;&amp;&quot;")
    }

    func testBase64() {
        XCTAssertEqual(Base64.encode(Array("Man".utf8)), "TWFu")
        XCTAssertEqual(Base64.encode(Array("Ma".utf8)), "TWE=")
        XCTAssertEqual(Base64.encode(Array("M".utf8)), "TQ==")
        XCTAssertEqual(Base64.encode([]), "")
    }

    func testPlotDataFromCSVAndJSON() throws {
        let csv = try PlotData.records(Array("epoch,loss\n0,1\n1,0.5\n".utf8), path: "loss.csv")
        XCTAssertEqual(csv.records.count, 2)
        XCTAssertEqual(csv.records[1]["step"], .int(1))
        XCTAssertEqual(PlotData.defaultY(csv.records), "loss")
        let json = try PlotData.records(Array(#"{"meta": 1, "train": [{"x": 1, "y": {"a": 2}}, {"x": 2, "y": {"a": 3}}]}"#.utf8), path: "p.json")
        XCTAssertEqual(json.records.map { $0["y.a"] }, [.int(2), .int(3)])
        XCTAssertThrowsError(try PlotData.records(Array(#"{"a": 1}"#.utf8), path: "p.json"))
    }

    func plot(template: String, title: String = "t", series: [PlotSeries]) -> LoadedPlot {
        LoadedPlot(spec: PlotSpec(key: "k", title: title, template: template, xLabel: nil, yLabel: nil,
                                  sources: [PlotSource(file: "f.csv", x: nil, y: [])]),
                   series: series, images: [], notes: [])
    }

    func series(_ rev: String, _ points: [(ParamValue, ParamValue)], y: String = "loss") -> PlotSeries {
        PlotSeries(revision: rev, file: "f.csv", xField: "step", yField: y, points: points.map { (x: $0.0, y: $0.1) })
    }

    func testLinearPlotOverlaysRevisionsWithALegend() {
        let svg = PlotSVG.render(plot(template: "linear", series: [series("HEAD", [(.int(0), .string("1")), (.int(1), .float(0.5))]),
                                                                    series("workspace", [(.int(0), .float(0.9)), (.int(1), .float(0.2))])]))
        XCTAssertTrue(svg.hasPrefix("<svg"))
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 2)
        XCTAssertTrue(svg.contains(">HEAD</text>"))
        XCTAssertTrue(svg.contains(">workspace</text>"))
    }

    func testScatterBarAndConfusion() {
        let scatter = PlotSVG.render(plot(template: "scatter", series: [series("w", [(.float(1), .float(2)), (.float(3), .float(4))])]))
        XCTAssertFalse(scatter.contains("<polyline"))
        XCTAssertEqual(scatter.components(separatedBy: "<circle").count - 1, 2)
        let bars = PlotSVG.render(plot(template: "bar_horizontal", series: [series("w", [(.float(3), .string("cat")), (.float(5), .string("dog"))])]))
        XCTAssertEqual(bars.components(separatedBy: "<rect").count - 1, 2)  // two bars, no legend for one series
        let confusion = PlotSVG.render(plot(template: "confusion", series: [series("w", [(.string("a"), .string("a")), (.string("a"), .string("b")),
                                                                                         (.string("b"), .string("b"))])]))
        XCTAssertEqual(confusion.components(separatedBy: "<rect").count - 1, 4)
        XCTAssertTrue(confusion.contains(">2</text>") == false && confusion.contains(">1</text>"))
    }

    func testExtremeValuesDoNotTrap() {
        let svg = PlotSVG.render(plot(template: "linear", series: [series("w", [(.float(-1e308), .float(1e308)), (.float(1e308), .float(-1e308)),
                                                                                (.float(.nan), .float(.infinity))])]))
        for bad in ["=\"nan", "=\"inf", "=\"-inf", "nan,", ",nan", "inf,", ",inf"] { XCTAssertFalse(svg.contains(bad), bad) }
        let bars = PlotSVG.render(plot(template: "bar_horizontal", series: [series("w", [(.float(1e308), .string("a")), (.float(-1e308), .string("b"))])]))
        XCTAssertTrue(bars.hasPrefix("<svg"))
    }

    func testPageEscapesFileContentAndHasNoURLs() {
        let hostile = "</svg><script>alert(1)</script>"
        let p = plot(template: "linear", title: hostile, series: [series(hostile, [(.string(hostile), .int(1)), (.string("b"), .int(2))], y: hostile)])
        var withImage = p
        withImage.images = [PlotImage(revision: "w", file: "a\"b.png", mimeType: "image/png", bytes: [0x89, 0x50])]
        withImage.notes = ["<b>note</b>"]
        let page = PlotsPage.html([withImage], revisions: ["HEAD", hostile])
        XCTAssertFalse(page.contains("<script"))
        XCTAssertFalse(page.contains("<b>"))
        XCTAssertFalse(page.contains("http://") || page.contains("https://"))
        XCTAssertTrue(page.contains("&lt;/svg&gt;&lt;script&gt;"))
        XCTAssertTrue(page.contains("src=\"data:image/png;base64,iVA=\""))
        XCTAssertTrue(page.contains("alt=\"a&quot;b.png\""))
    }
}

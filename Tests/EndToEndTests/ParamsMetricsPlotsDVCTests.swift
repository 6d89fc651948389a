import Foundation
import XCTest

/// params diff, metrics diff and plots diff on a real DVC project (its dvc.yaml as cairn.yaml), with its stages
/// run by hand: the baseline committed, then a param changed and train + evaluate run again.
final class ParamsMetricsPlotsDVCTests: EndToEndTestCase {
    func runStages(_ repo: TempRepo, _ commands: [String]) throws {
        for command in commands {
            let result = try repo.shell(command)
            guard result.exitCode == 0 else { throw TestSetupError("\(command) failed\n\(result.transcript)") }
        }
    }

    func testDVCProjectParamsMetricsAndPlots() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { throw XCTSkip("python3 is not installed") }
        let repo = try makeRepo()
        try DVCProjectFixture.write(into: repo.root)
        let train = ["python3 src/train.py data/features model.json", "python3 src/evaluate.py model.json data/features"]
        try runStages(repo, ["python3 src/prepare.py data/data.csv", "python3 src/featurize.py data/prepared data/features"] + train)
        try repo.gitChecked("add", "-A")
        try repo.gitChecked("commit", "-qm", "baseline")
        let params = try repo.readText("params.yaml").replacingOccurrences(of: "epochs: 40", with: "epochs: 2")
        try repo.write("params.yaml", params)
        try runStages(repo, train)

        let paramsDiff = try repo.cairn("params", "diff").assertSuccess()
        XCTAssertEqual(paramsDiff.stdoutLines.map { $0.split(separator: " ").map(String.init) },
                       [["Path", "Param", "HEAD", "workspace"], ["params.yaml", "train.epochs", "40", "2"]], paramsDiff.transcript)

        let metrics = try repo.cairn("metrics", "diff", "--all", "--json").assertSuccess()
        let object = try JSONSerialization.jsonObject(with: Data(metrics.stdout.utf8)) as? [String: [String: [String: Any]]]
        let accuracy = try XCTUnwrap(object?["eval/metrics.json"]?["accuracy"], metrics.stdout)
        XCTAssertNotNil(accuracy["old"] as? Double)
        XCTAssertNotNil(accuracy["new"] as? Double)
        XCTAssertEqual(object?["eval/metrics.json"]?["rows"]?["diff"] as? Int, 0, metrics.stdout)

        let plots = try repo.cairn("plots", "diff").assertSuccess()
        XCTAssertEqual(plots.stdoutLines, ["cairn_plots/index.html"], plots.transcript)
        let page = try repo.readText("cairn_plots/index.html")
        // loss.csv once (the top-level definition repeats the stage's), and a confusion matrix per revision.
        XCTAssertEqual(page.components(separatedBy: "<h2>").count - 1, 2, page)
        XCTAssertEqual(page.components(separatedBy: "<svg").count - 1, 3, page)
        XCTAssertEqual(page.components(separatedBy: "<polyline").count - 1, 2, page)
        XCTAssertFalse(page.contains("http://") || page.contains("https://"))
    }
}

import Foundation
import XCTest

/// `cairn params diff`, `cairn metrics show|diff`, `cairn plots show|diff` in a real Git repository: a pipeline,
/// params.yaml, metrics.json and plot data committed, then changed in the work tree.
final class ParamsMetricsPlotsTests: EndToEndTestCase {
    static let pipeline = """
    stages:
      train:
        cmd: python train.py
        deps: [train.py]
        params:
          - train.lr
          - train.epochs
        outs: [model.bin]
        metrics:
          - metrics.json:
              cache: false
        plots:
          - loss.csv:
              cache: false
              x: step
              y: loss
          - confusion.csv:
              cache: false
              template: confusion
              x: actual
              y: predicted
    plots:
      - accuracy:
          y:
            loss.csv: [acc]
          template: scatter
          title: accuracy <b>bold</b>
    """

    func makeProject() throws -> TempRepo {
        let repo = try makeRepo()
        try repo.write("cairn.yaml", Self.pipeline)
        try repo.write("params.yaml", "train:\n  lr: 0.01\n  epochs: 10\nseed: 1\n")
        try repo.write("metrics.json", #"{"auc": 0.9, "eval": {"loss": 0.5, "name": "base"}}"#)
        try repo.write("loss.csv", "step,loss,acc\n0,1.0,0.5\n1,0.5,0.7\n")
        try repo.write("confusion.csv", "actual,predicted\ncat,cat\ncat,dog\ndog,dog\n")
        try repo.gitChecked("add", "-A")
        try repo.gitChecked("commit", "-qm", "baseline")
        try repo.write("params.yaml", "train:\n  lr: 0.02\n  epochs: 10\nseed: 1\n")
        try repo.write("metrics.json", #"{"auc": 0.95, "eval": {"loss": 0.5, "name": "tuned"}}"#)
        try repo.write("loss.csv", "step,loss,acc\n0,0.9,0.6\n1,0.4,0.8\n2,0.2,0.9\n")
        return repo
    }

    func testParamsDiffShowsChangedTrackedParams() throws {
        let repo = try makeProject()
        let result = try repo.cairn("params", "diff").assertSuccess()
        XCTAssertEqual(result.stdoutLines, ["Path         Param     HEAD  workspace", "params.yaml  train.lr  0.01  0.02"], result.transcript)
        let all = try repo.cairn("params", "diff", "--all").assertSuccess()
        XCTAssertTrue(all.stdout.contains("train.epochs  10    10"), all.transcript)
        XCTAssertTrue(all.stdout.contains("seed"), all.transcript)
    }

    func testParamsDiffJSONAndMarkdown() throws {
        let repo = try makeProject()
        let json = try repo.cairn("params", "diff", "--json").assertSuccess()
        XCTAssertEqual(json.stdout.trimmingCharacters(in: .whitespacesAndNewlines),
                       #"{"params.yaml":{"train.lr":{"old":0.01,"new":0.02}}}"#)
        let md = try repo.cairn("params", "diff", "--md").assertSuccess()
        XCTAssertEqual(md.stdoutLines, ["| Path | Param | HEAD | workspace |", "|------|-------|------|-----------|",
                                        "| params.yaml | train.lr | 0.01 | 0.02 |"], md.transcript)
    }

    func testMetricsDiffShowsOldNewAndChange() throws {
        let repo = try makeProject()
        let result = try repo.cairn("metrics", "diff").assertSuccess()
        XCTAssertEqual(result.stdoutLines, ["Path          Metric     HEAD  workspace  Change",
                                            "metrics.json  auc        0.9   0.95       0.05",
                                            "metrics.json  eval.name  base  tuned      -"], result.transcript)
        let json = try repo.cairn("metrics", "diff", "--json").assertSuccess()
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: [String: [String: Any]]]
        XCTAssertEqual(object?["metrics.json"]?["auc"]?["old"] as? Double, 0.9, json.stdout)
        XCTAssertEqual(object?["metrics.json"]?["auc"]?["new"] as? Double, 0.95, json.stdout)
        XCTAssertEqual((object?["metrics.json"]?["auc"]?["diff"] as? Double) ?? 0, 0.05, accuracy: 1e-9, json.stdout)
        XCTAssertNil(object?["metrics.json"]?["eval.name"]?["diff"], json.stdout)
        let md = try repo.cairn("metrics", "diff", "--md", "--all").assertSuccess()
        XCTAssertTrue(md.stdoutLines.contains("| metrics.json | eval.loss | 0.5 | 0.5 | 0.0 |"), md.transcript)
    }

    func testMetricsDiffBetweenTwoCommits() throws {
        let repo = try makeProject()
        try repo.gitChecked("commit", "-qam", "tuned")
        let result = try repo.cairn("metrics", "diff", "HEAD~1", "HEAD").assertSuccess()
        XCTAssertEqual(result.stdoutLines.first, "Path          Metric     HEAD~1  HEAD   Change", result.transcript)
        XCTAssertTrue(result.stdoutLines.contains("metrics.json  auc        0.9     0.95   0.05"), result.transcript)
    }

    func testMetricsShowAndAllCommits() throws {
        let repo = try makeProject()
        let show = try repo.cairn("metrics", "show").assertSuccess()
        XCTAssertEqual(show.stdoutLines, ["Path          auc   eval.loss  eval.name", "metrics.json  0.95  0.5        tuned"], show.transcript)
        let all = try repo.cairn("metrics", "show", "-A").assertSuccess()
        XCTAssertEqual(all.stdoutLines.count, 3, all.transcript)
        XCTAssertTrue(all.stdoutLines[2].hasSuffix("metrics.json  0.9   0.5        base"), all.transcript)
        let json = try repo.cairn("metrics", "show", "--json").assertSuccess()
        XCTAssertEqual(json.stdout.trimmingCharacters(in: .whitespacesAndNewlines),
                       #"{"workspace":{"data":{"metrics.json":{"data":{"auc":0.95,"eval":{"loss":0.5,"name":"tuned"}}}}}}"#)
    }

    func testBrokenMetricsFileIsReportedNotFatal() throws {
        let repo = try makeProject()
        try repo.write("cairn.yaml", Self.pipeline + "\nmetrics: [other.yaml, missing.json]\n")
        try repo.write("metrics.json", "{not json")
        try repo.write("other.yaml", "score: 3\n")
        let result = try repo.cairn("metrics", "show")
        XCTAssertEqual(result.exitCode, 0, result.transcript)
        XCTAssertTrue(result.stderr.contains("metrics.json:1: not valid JSON"), result.transcript)
        XCTAssertTrue(result.stderr.contains("missing.json: does not exist"), result.transcript)
        XCTAssertTrue(result.stdout.contains("other.yaml  3"), result.transcript)
        let diff = try repo.cairn("metrics", "diff")
        XCTAssertEqual(diff.exitCode, 0, diff.transcript)
        XCTAssertEqual(diff.stdoutLines.dropFirst().map { $0.split(separator: " ").joined(separator: " ") },
                       ["other.yaml score - 3 -"], diff.transcript)
    }

    func testPlotsShowWritesOneSelfContainedPage() throws {
        let repo = try makeProject()
        try repo.write("images/sample.png", "\u{89}PNG fake")
        try repo.write("cairn.yaml", Self.pipeline + "\n  - images\n")
        let result = try repo.cairn("plots", "show").assertSuccess()
        XCTAssertEqual(result.stdoutLines, ["cairn_plots/index.html"], result.transcript)
        let page = try repo.readText("cairn_plots/index.html")
        XCTAssertEqual(page.components(separatedBy: "<svg").count - 1, 3, "one <svg> per data plot")
        XCTAssertFalse(page.contains("http://") || page.contains("https://"))
        XCTAssertFalse(page.contains("<script"))
        XCTAssertFalse(page.contains("<b>bold</b>"))
        XCTAssertTrue(page.contains("accuracy &lt;b&gt;bold&lt;/b&gt;"))
        XCTAssertTrue(page.contains("src=\"data:image/png;base64,"))
        let other = try repo.cairn("plots", "show", "-o", "out", "--json").assertSuccess()
        XCTAssertTrue(other.stdout.hasPrefix(#"{"path":"out/index.html""#), other.transcript)
        XCTAssertTrue(repo.exists("out/index.html"))
    }

    func testPlotsDiffOverlaysTwoRevisions() throws {
        let repo = try makeProject()
        try repo.gitChecked("commit", "-qam", "tuned")
        try repo.write("loss.csv", "step,loss,acc\n0,0.8,0.7\n")
        let result = try repo.cairn("plots", "diff", "HEAD~1", "--targets", "loss.csv").assertSuccess()
        XCTAssertEqual(result.stdoutLines, ["cairn_plots/index.html"], result.transcript)
        let page = try repo.readText("cairn_plots/index.html")
        XCTAssertTrue(page.contains(">HEAD~1 · loss</text>") || page.contains(">HEAD~1</text>"), page)
        XCTAssertTrue(page.contains(">workspace"), page)
        XCTAssertTrue(page.contains("Revisions: HEAD~1, workspace"))
        let json = try repo.cairn("plots", "diff", "HEAD~1", "HEAD", "--json").assertSuccess()
        XCTAssertTrue(json.stdout.contains(#""revisions":["HEAD~1","HEAD"]"#), json.transcript)
    }

    /// A metrics file that is a cached output (no `cache: false`) is git-ignored: at a commit, its content is the
    /// one cairn.lock records, read from the local cache.
    func testCachedMetricsOfACommitAreReadThroughItsLock() throws {
        let repo = try makeRepo()
        let text = #"{"auc": 0.5}"#
        let pointer = try addFile(repo, "metrics.json", text: text)
        let id = try XCTUnwrap(pointer["id"])
        try repo.remove("metrics.json.cairn")
        try repo.write("cairn.yaml", "stages:\n  eval:\n    cmd: echo\n    metrics: [metrics.json]\n")
        try repo.write("cairn.lock", """
        format: 1
        stages:
          eval:
            cmd: echo
            outs:
            - {path: metrics.json, type: file, id: "\(id)", size: \(text.utf8.count)}

        """)
        try repo.write(".gitignore", "/metrics.json\n")
        try repo.gitChecked("add", "cairn.yaml", "cairn.lock", ".gitignore")
        try repo.gitChecked("commit", "-qm", "eval")
        try repo.write("metrics.json", #"{"auc": 0.75}"#)
        let result = try repo.cairn("metrics", "diff").assertSuccess()
        XCTAssertEqual(result.stdoutLines, ["Path          Metric  HEAD  workspace  Change",
                                            "metrics.json  auc     0.5   0.75       0.25"], result.transcript)
    }

    /// A pipeline in a subdirectory whose cairn.yaml needs vars files to parse: at a commit those files come
    /// from Git too (the top-level one found by scanning, the one under an interpolated wdir by retrying).
    func testPipelinesAtACommitReadTheirVarsFiles() throws {
        let repo = try makeRepo(initialized: false)
        try repo.write("sub/cairn.yaml", """
        vars: [config.yaml]
        stages:
          train:
            wdir: ${dir}
            vars: [local.yaml]
            cmd: run ${name} ${size}
            params: [lr]
            metrics: [m.json]
        """)
        try repo.write("sub/config.yaml", "dir: work\n")
        try repo.write("sub/work/local.yaml", "name: n\n")
        try repo.write("sub/params.yaml", "size: 3\n")
        try repo.write("sub/work/params.yaml", "lr: 0.1\n")
        try repo.write("sub/work/m.json", #"{"acc": 1}"#)
        try repo.gitChecked("add", "-A")
        try repo.gitChecked("commit", "-qm", "one")
        try repo.write("sub/work/params.yaml", "lr: 0.2\n")
        try repo.write("sub/work/m.json", #"{"acc": 2}"#)
        try repo.gitChecked("commit", "-qam", "two")
        let params = try repo.cairn("params", "diff", "HEAD~1", "HEAD").assertSuccess()
        XCTAssertTrue(params.stdoutLines.contains { $0.split(separator: " ") == ["sub/work/params.yaml", "lr", "0.1", "0.2"] },
                      params.transcript)
        XCTAssertTrue(params.stdoutLines.contains { $0.split(separator: " ") == ["sub/params.yaml", "size", "3", "3"] } == false,
                      params.transcript)
        XCTAssertEqual(params.stderr, "", params.transcript)
        let metrics = try repo.cairn("metrics", "diff", "HEAD~1", "HEAD", "--json", cwd: "sub").assertSuccess()
        XCTAssertEqual(metrics.stdout.trimmingCharacters(in: .whitespacesAndNewlines),
                       #"{"sub/work/m.json":{"acc":{"old":1,"new":2,"diff":1}}}"#)
    }

    func testBeforeTheFirstCommitEverythingIsNew() throws {
        let repo = try makeRepo(initialized: false)
        try repo.write("cairn.yaml", "metrics: [m.json]\n")
        try repo.write("m.json", #"{"a": 1}"#)
        let result = try repo.cairn("metrics", "diff").assertSuccess()
        XCTAssertEqual(result.stdoutLines.last?.split(separator: " "), ["m.json", "a", "-", "1", "-"], result.transcript)
    }

    func testTargetsCompareAnyFileWhole() throws {
        let repo = try makeProject()
        try repo.write("other.toml", "[model]\ndepth = 4\n")
        let params = try repo.cairn("params", "diff", "--targets", "other.toml", "--json").assertSuccess()
        XCTAssertEqual(params.stdout.trimmingCharacters(in: .whitespacesAndNewlines), #"{"other.toml":{"model.depth":{"old":null,"new":4}}}"#)
        let metrics = try repo.cairn("metrics", "diff", "--targets", "loss.csv", "--json").assertSuccess()
        XCTAssertEqual(metrics.stdout.trimmingCharacters(in: .whitespacesAndNewlines),
                       #"{"loss.csv":{"step":{"old":1,"new":2,"diff":1},"loss":{"old":0.5,"new":0.2,"diff":-0.3},"acc":{"old":0.7,"new":0.9,"diff":0.20000000000000007}}}"#)
    }

    /// Metrics and plot data are files anyone may have written: a symlink out of the repository or a FIFO is
    /// refused without being followed or blocking, and the other files are still shown.
    func testSymlinkAndFIFOAreRefusedPerFile() throws {
        let repo = try makeProject()
        try repo.write("cairn.yaml", Self.pipeline + "\nmetrics: [link.json, fifo.json]\n")
        try repo.symlink("link.json", to: "/etc/passwd")
        XCTAssertEqual(try repo.shell("mkfifo fifo.json").exitCode, 0)
        let result = try repo.cairn("metrics", "show")
        XCTAssertEqual(result.exitCode, 0, result.transcript)
        XCTAssertTrue(result.stderr.contains("link.json: is a symbolic link"), result.transcript)
        XCTAssertTrue(result.stderr.contains("fifo.json: is a FIFO") || result.stderr.contains("fifo.json: is a"), result.transcript)
        XCTAssertTrue(result.stdout.contains("metrics.json"), result.transcript)
        try repo.write("loss.csv", "step,<script>x</script>\n0,1\n")
        try repo.remove("loss.csv")
        try repo.symlink("loss.csv", to: "/etc/passwd")
        let plots = try repo.cairn("plots", "show").assertSuccess()
        let page = try repo.readText("cairn_plots/index.html")
        XCTAssertTrue(page.contains("loss.csv: is a symbolic link"), plots.transcript)
        XCTAssertFalse(page.contains("root:"), "the symlink's target must not be read")
    }

    func testOutsideAGitRepositoryIsAnError() throws {
        let repo = try makeRepo(initialized: false, git: false)
        let result = try repo.cairn("metrics", "show")
        XCTAssertEqual(result.exitCode, 1, result.transcript)
    }

    func testTooManyRevisionsIsAUsageError() throws {
        let repo = try makeProject()
        XCTAssertEqual(try repo.cairn("params", "diff", "a", "b", "c").exitCode, 2)
    }
}

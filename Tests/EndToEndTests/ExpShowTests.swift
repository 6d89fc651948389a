import Foundation
import XCTest

/// Issue 11, item 2 and the diff part of item 3: `cairn exp show` and `cairn exp diff`.
extension ExperimentTests {
    /// The pipeline of ExperimentTests with three finished experiments and one queued.
    func repoWithExperiments() throws -> TempRepo {
        let repo = try makeRepo()
        try writePipeline(repo)
        for (name, lr) in [("low", "0.2"), ("mid", "1"), ("high", "2")] {
            try repo.cairn("exp", "run", "--queue", "-n", name, "-S", "train.lr=\(lr)").assertSuccess()
        }
        try repo.cairn("exp", "run", "--run-all", "-j", "2").assertSuccess()
        try repo.cairn("exp", "run", "--queue", "-n", "waiting", "-S", "train.epochs=9").assertSuccess()
        return repo
    }

    func showJSON(_ repo: TempRepo, _ extra: String...) throws -> [[String: Any]] {
        let result = try repo.cairnArgs(["exp", "show", "--json"] + extra).assertSuccess()
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] ?? []
    }

    func testShowHasEveryExperimentWithItsParamsMetricsAndState() throws {
        let repo = try repoWithExperiments()
        let rows = try showJSON(repo)
        // In the order they were queued (to the nanosecond: all three were queued within a second or so).
        XCTAssertEqual(rows.map { $0["name"] as? String }, ["workspace", "master", "low", "mid", "high", "waiting"])
        func row(_ name: String) -> [String: Any] { rows.first { $0["name"] as? String == name } ?? [:] }
        func metric(_ name: String) -> Double? {
            ((row(name)["metrics"] as? [String: Any])?["metrics.json"] as? [String: Any])?["acc"] as? Double
        }
        func param(_ name: String, _ key: String) -> Double? {
            ((row(name)["params"] as? [String: Any])?["params.yaml"] as? [String: Any])?[key] as? Double
        }
        XCTAssertEqual(metric("master"), 0.3 as Double?)
        XCTAssertEqual(metric("low"), 0.6 as Double?)
        XCTAssertEqual(metric("high"), 6)
        XCTAssertNil(metric("waiting"), "a queued experiment has no metrics yet")
        XCTAssertEqual(param("mid", "train.lr"), 1)
        XCTAssertEqual(param("waiting", "train.epochs"), 9, "a queued experiment shows its params")
        XCTAssertEqual(row("high")["state"] as? String, "done")
        XCTAssertEqual(row("waiting")["state"] as? String, "queued")
        XCTAssertEqual(row("master")["kind"] as? String, "baseline")
        XCTAssertEqual(row("low")["baseline"] as? String, row("master")["rev"] as? String)

        let text = try repo.cairn("exp", "show").assertSuccess()
        text.assertStdout(contains: "├── low", "└── waiting", "queued", "acc", "train.lr")
        XCTAssertTrue(text.stdoutLines.allSatisfy { $0.count <= 80 }, text.transcript)
    }

    func testSortFilterAndFormats() throws {
        let repo = try repoWithExperiments()
        let sorted = try showJSON(repo, "--sort-by", "acc", "--desc").map { $0["name"] as? String }
        XCTAssertEqual(sorted, ["workspace", "master", "high", "mid", "low", "waiting"], "no value sorts last")
        let ascending = try showJSON(repo, "--sort-by", "metrics.json:acc").map { $0["name"] as? String }
        XCTAssertEqual(ascending, ["workspace", "master", "low", "mid", "high", "waiting"])
        try repo.cairn("exp", "show", "--sort-by", "nope").assertError(containing: "--sort-by nope: no such metric or param")
        try repo.cairn("exp", "show", "--desc").assertUsageError()

        let onlyLR = try repo.cairn("exp", "show", "--param", "train.l*", "--metric", "none").assertSuccess()
        XCTAssertTrue(onlyLR.stdoutLines[0].contains("train.lr"), onlyLR.transcript)
        XCTAssertFalse(onlyLR.stdoutLines[0].contains("train.epochs"), onlyLR.transcript)
        XCTAssertFalse(onlyLR.stdoutLines[0].contains("acc"), onlyLR.transcript)

        let csv = try repo.cairn("exp", "show", "--csv").assertSuccess()
        XCTAssertEqual(csv.stdoutLines[0], "Experiment,rev,typ,Created,parent,State,metrics.json:acc,params.yaml:train.lr,params.yaml:train.epochs")
        XCTAssertEqual(csv.stdoutLines.count, 7)
        try repo.cairn("exp", "show", "--md").assertSuccess().assertStdout(contains: "| Experiment |")
    }

    func testNarrowTableHidesColumnsAndWideShowsThem() throws {
        let repo = try makeRepo()
        try repo.write("params.yaml", (1...12).map { "parameter_number_\($0): \($0)" }.joined(separator: "\n") + "\n")
        try repo.write("cairn.yaml", """
            stages:
              s:
                cmd: >-
                  echo '{"score": ${parameter_number_1}}' > m.json
                params: [\((1...12).map { "parameter_number_\($0)" }.joined(separator: ", "))]
                metrics:
                  - m.json:
                      cache: false
            """)
        try repo.repro().assertSuccess()
        try repo.commitEverything("wide")
        try repo.cairn("exp", "run", "--temp", "-n", "w", "-S", "parameter_number_1=5").assertSuccess()
        let narrow = try repo.cairn("exp", "show").assertSuccess()
        XCTAssertTrue(narrow.stdoutLines.allSatisfy { $0.count <= 80 }, narrow.transcript)
        narrow.assertStderr(contains: "hidden to fit 80 columns")
        narrow.assertStdout(contains: "score", "parameter_number_1")   // changed columns stay
        let wide = try repo.cairn("exp", "show", "--wide").assertSuccess()
        wide.assertStdout(contains: "parameter_number_12")
        XCTAssertTrue(wide.stderr.isEmpty, wide.transcript)
    }

    func testDiffAgainstBaselineAndBetweenExperiments() throws {
        let repo = try repoWithExperiments()
        let diff = try repo.cairn("exp", "diff", "high").assertSuccess()
        diff.assertStdout(contains: "acc", "0.3", "6", "5.7", "train.lr", "0.1", "2")
        let between = try repo.cairn("exp", "diff", "low", "high", "--json").assertSuccess()
        let parsed = try JSONSerialization.jsonObject(with: Data(between.stdout.utf8)) as? [String: Any]
        let acc = ((parsed?["metrics"] as? [String: Any])?["metrics.json"] as? [String: Any])?["acc"] as? [String: Any]
        XCTAssertEqual(acc?["old"] as? Double, 0.6)
        XCTAssertEqual(acc?["new"] as? Double, 6)
        try repo.cairn("exp", "diff", "nope").assertError(containing: "unknown revision 'nope'")
        try repo.cairn("exp", "diff").assertUsageError()
    }

    func testATeammateSeesTheSameTable() throws {
        let (repo, bare) = try teamWithPipeline()
        try repo.cairn("exp", "run", "--queue", "-n", "a", "-S", "train.lr=3").assertSuccess()
        try repo.cairn("exp", "run", "--queue", "-n", "b", "-S", "train.lr=4").assertSuccess()
        try repo.cairn("exp", "run", "--run-all").assertSuccess()
        try repo.cairn("exp", "push", "origin", "--all").assertSuccess()
        let mate = try cloneOf(bare)
        try mate.cairn("exp", "pull", "origin", "--all").assertSuccess()
        let mine = try showJSON(repo).filter { $0["kind"] as? String != "workspace" }
        let theirs = try showJSON(mate).filter { $0["kind"] as? String != "workspace" }
        let expected: [NSDictionary] = mine.map { row in
            // The branch is called main in the clone, master here: the rest must be identical.
            var copy = row
            if copy["kind"] as? String == "baseline" { copy["name"] = "main" }
            return NSDictionary(dictionary: copy)
        }
        XCTAssertEqual(theirs.map { NSDictionary(dictionary: $0) }, expected)
    }

    func testAllCommitsAndRevShowOtherBaselines() throws {
        let repo = try makeRepo()
        try writePipeline(repo)
        try repo.cairn("exp", "run", "--temp", "-n", "old-exp", "-S", "train.lr=3").assertSuccess()
        let oldBaseline = try repo.git("rev-parse", "HEAD").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try repo.write("params.yaml", "# training\ntrain:\n  lr: 0.5\n  epochs: 3\n")
        try repo.repro().assertSuccess()
        try repo.commitEverything("lr 0.5")
        try repo.cairn("exp", "run", "--temp", "-n", "new-exp", "-S", "train.lr=4").assertSuccess()

        let head = try showJSON(repo).compactMap { $0["name"] as? String }
        XCTAssertEqual(head, ["workspace", "master", "new-exp"], "only HEAD's experiments by default")
        let all = try showJSON(repo, "-A")
        let names = all.compactMap { $0["name"] as? String }
        XCTAssertTrue(names.contains("old-exp") && names.contains("new-exp"), "\(names)")
        let old = all.first { $0["name"] as? String == "old-exp" }
        XCTAssertEqual(old?["baseline"] as? String, oldBaseline)
        XCTAssertEqual(all.filter { $0["kind"] as? String == "baseline" }.count, 2)
        let rev = try showJSON(repo, "--rev", "HEAD~1").compactMap { $0["name"] as? String }
        XCTAssertEqual(rev, [String(oldBaseline.prefix(7)), "old-exp"], "--rev shows that commit, not the work tree")
        try repo.cairn("exp", "show", "--rev", "nope").assertError(containing: "nope")
    }

    func testPrecisionAndDiffOptions() throws {
        let repo = try repoWithExperiments()
        let table = try repo.cairn("exp", "show", "--precision", "1", "--md").assertSuccess()
        table.assertStdout(contains: "| 0.3 |")
        try repo.cairn("exp", "show", "--precision", "-1").assertUsageError()
        let changedOnly = try repo.cairn("exp", "diff", "low", "mid").assertSuccess()
        XCTAssertFalse(changedOnly.stdout.contains("train.epochs"), changedOnly.transcript)
        let all = try repo.cairn("exp", "diff", "low", "mid", "--all").assertSuccess()
        all.assertStdout(contains: "train.epochs")
        try repo.cairn("exp", "diff", "low", "mid", "--md").assertSuccess().assertStdout(contains: "| ")
        let hint = try repo.cairn("exp", "diff", "low", "mid", "--json", "--md")
        XCTAssertEqual(hint.exitCode, 2, hint.transcript)
    }

    /// A stranger's commit with a metrics file over the limit: named in one warning, the rest of the table shown.
    func testAnOversizedMetricsFileInACommitIsNamedNotRead() throws {
        let repo = try makeRepo()
        try repo.write("cairn.yaml", "stages:\n  s:\n    cmd: echo hi\n    metrics:\n      - m.json:\n          cache: false\n")
        try repo.write("m.json", "{\"a\": \"" + String(repeating: "x", count: 9 << 20) + "\"}")
        try repo.commitEverything("huge metrics")
        try repo.write("m.json", "{\"a\": 1}")
        let result = try repo.cairn("exp", "show").assertSuccess()
        result.assertStderr(contains: "m.json: \((9 << 20) + 9) bytes at commit")
        result.assertStderr(contains: "is over the limit of 8388608 bytes")
        XCTAssertEqual(result.stderr.components(separatedBy: "at commit").count, 2, "the commit is named once")
        result.assertStdout(contains: "workspace", "master")
    }
}

import Foundation
import XCTest

/// Issue 10 item 6: `cairn stage add` writes a stage into ./cairn.yaml by editing its text; `cairn stage list`.
final class StageAddCommandTests: EndToEndTestCase {
    func testAddsStagesKeepingTheFileAndRefusesBadOnes() throws {
        let repo = try makeRepo()
        try repo.write("cairn.yaml", "# the pipeline\nstages:\n  prepare:   # first\n    cmd: ./prep.sh\n    outs: [data]\n\nparams: [params.yaml]  # shown by params diff\n")
        try repo.cairn("stage", "add", "-n", "train", "-d", "data", "-p", "lr,epochs", "-o", "model", "-M", "metrics.json",
                       "--desc", "Fit the model", "python", "train.py", "--out", "my model")
            .assertSuccess().assertStdoutLine("Added stage 'train' to cairn.yaml; run it with `cairn repro train`")
        XCTAssertEqual(try repo.readText("cairn.yaml"), """
            # the pipeline
            stages:
              prepare:   # first
                cmd: ./prep.sh
                outs: [data]
              train:
                desc: Fit the model
                cmd: python train.py --out 'my model'
                deps:
                - data
                params:
                - lr
                - epochs
                outs:
                - model
                metrics:
                - metrics.json:
                    cache: false

            params: [params.yaml]  # shown by params diff

            """)
        let before = try repo.readText("cairn.yaml")
        try repo.cairn("stage", "add", "-n", "train", "true").assertError(containing: "cairn.yaml: stage 'train' already exists; use -f to replace it")
        try repo.cairn("stage", "add", "-n", "loop", "-d", "model", "-o", "data/x", "true")
            .assertError(containing: "cairn.yaml: the outputs overlap: 'data/x' (stage 'loop') is inside 'data' (stage 'prepare')")
        try repo.cairn("stage", "add", "-n", "back", "-d", "model", "-o", "raw", "true").assertSuccess()
        try repo.cairn("stage", "add", "-n", "prepare", "-f", "-d", "raw", "-o", "data", "./prep.sh")
            .assertError(containing: "cairn.yaml: the stages form a cycle: 'prepare' → 'train' → 'back' → 'prepare'")
        try repo.cairn("stage", "add", "-n", "back", "-f", "-o", "raw", "./fetch.sh").assertSuccess()
            .assertStdoutLine("Replaced stage 'back' in cairn.yaml; run it with `cairn repro back`")
        XCTAssertEqual(try repo.readText("cairn.yaml"), before.replacingOccurrences(of: "\n\nparams:", with: "\n  back:\n    cmd: ./fetch.sh\n    outs:\n    - raw\n\nparams:"))
        try repo.cairn("stage", "add", "-n", "a.b", "true").assertUsageError()
        try repo.cairn("stage", "add", "-n", "x").assertUsageError()
    }

    func testOutputOnTrackedDataIsRefusedAndSubdirectoryPipelinesAreCreated() throws {
        let repo = try makeRepo()
        try addFile(repo, "raw/data.csv", text: "a,b\n")
        try repo.makeDirectory("models")
        try repo.cairn("stage", "add", "-n", "fit", "-o", "../raw/data.csv", "true", cwd: "models")
            .assertError(containing: "models/cairn.yaml: the output 'raw/data.csv' of stage 'models/cairn.yaml:fit' is pointer-tracked data ('raw/data.csv.cairn')")
        XCTAssertFalse(repo.exists("models/cairn.yaml"))
        try repo.cairn("stage", "add", "-n", "fit", "-d", "../raw/data.csv", "-o", "model.bin", "--always-changed", "./fit.sh", cwd: "models")
            .assertSuccess().assertStdoutLine("Created cairn.yaml with stage 'fit'; run it with `cairn repro fit`")
        try repo.cairn("stage", "add", "-n", "report", "-d", "models/model.bin", "-O", "report.txt", "cat models/model.bin > report.txt").assertSuccess()

        let list = try repo.cairn("stage", "list", cwd: "models").assertSuccess()
        XCTAssertEqual(list.stdoutLines, ["fit  ./fit.sh  ../raw/data.csv → model.bin"])
        let all = try repo.cairn("stage", "list", "--all").assertSuccess()
        XCTAssertEqual(all.stdoutLines, ["report                 cat models/model.bin > report.txt  models/model.bin → report.txt",
                                         "models/cairn.yaml:fit  ./fit.sh                           raw/data.csv → models/model.bin"])
        let json = try repo.cairn("stage", "list", "-A", "--json").assertSuccess()
        let decoded = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let stages = decoded["stages"] as! [[String: Any]]
        XCTAssertEqual(stages.map { $0["target"] as! String }, ["report", "models/cairn.yaml:fit"])
        XCTAssertEqual(stages[1]["always_changed"] as? Bool, true)
        XCTAssertEqual((stages[0]["outs"] as! [[String: Any]])[0]["cache"] as? Bool, false)
        try repo.cairn("stage", "list", cwd: "raw").assertError(containing: "cairn.yaml: not found in this directory")
    }
}

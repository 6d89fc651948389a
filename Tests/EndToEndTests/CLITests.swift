import Foundation
import XCTest

/// The command-line surface: help, version, usage errors, and the demo.
final class CLITests: EndToEndTestCase {
    func testHelpExitsZeroAndListsEveryCommand() throws {
        let repo = try makeRepo(initialized: false)
        let result = try repo.cairn("--help").assertSuccess()
        for command in ["init", "add", "status", "checkout", "rm", "gc", "fsck", "demo", "repro", "stage", "dag", "params", "metrics", "plots", "reproduce"] {
            XCTAssertTrue(result.stdout.range(of: "\\b\(command)\\b", options: .regularExpression) != nil,
                          "--help does not list '\(command)'\n\(result.transcript)")
        }
    }

    func testVersionPrintsCairnAndAVersion() throws {
        let repo = try makeRepo(initialized: false)
        let result = try repo.cairn("--version").assertSuccess()
        XCTAssertTrue(result.stdout.hasPrefix("cairn "), result.transcript)
        XCTAssertEqual(result.stdoutLines.count, 1, result.transcript)
    }

    func testUnknownFlagIsAUsageError() throws {
        let repo = try makeRepo()
        try repo.cairn("status", "--no-such-flag").assertUsageError()
        try repo.cairn("--no-such-flag").assertUsageError()
    }

    func testBadKindValueIsAUsageError() throws {
        let repo = try makeRepo()
        try repo.write("data/x.csv", "a,b\n")
        try repo.cairn("add", "data/x.csv", "--kind", "banana").assertUsageError()
        XCTAssertFalse(repo.exists("data/x.csv.cairn"), "a rejected command must not write a pointer")
    }

    func testAddWithoutPathIsAUsageError() throws {
        let repo = try makeRepo()
        try repo.cairn("add").assertUsageError()
    }

    /// Usage errors speak in the same voice as every other cairn error (not ArgumentParser's "Error:").
    func testUsageErrorsStartWithCairnError() throws {
        let repo = try makeRepo()
        for arguments in [["add"], ["status", "--no-such-flag"], ["add", "x", "--kind", "banana"]] {
            let result = try repo.cairnArgsProcess(arguments, cwd: "", env: [:]).run()
            result.assertUsageError()
            XCTAssertTrue(result.stderr.hasPrefix("cairn: error: "), result.transcript)
            XCTAssertFalse(result.stderr.contains("Error: "), result.transcript)
        }
    }

    func testDemoWithDirectoryExitsZeroAndBuildsARepository() throws {
        let repo = try makeRepo(initialized: false)
        let demoDir = repo.base + "/demo"
        let result = try repo.cairn("demo", "--dir", demoDir).assertSuccess()
        result.assertNoCrash()
        XCTAssertFalse(result.stdout.isEmpty, "demo prints its steps\n\(result.transcript)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: demoDir + "/.cairn/format"),
                      "demo --dir should leave an initialized cairn repository in \(demoDir)\n\(result.transcript)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: demoDir + "/.git"), "demo repository is a Git repository")
        result.assertStdout(contains: "$ cairn push", "$ cairn pull", "each verified by its hash")
        XCTAssertTrue(FileManager.default.fileExists(atPath: demoDir + "-remote/cairn-remote"), "the demo pushed")
        // The pipeline part: a param change re-runs only downstream stages; the revert is restored, not run.
        result.assertStdout(contains: "$ cairn repro", "3 stages ran", "2 stages ran", "restored from the run-cache",
                            "$ cairn metrics diff", "mean_abs_error")
        XCTAssertTrue(FileManager.default.fileExists(atPath: demoDir + "/cairn.lock"))
        // The experiments part: two run side by side, the better one is applied and committed, reproduce proves it
        // and names the stage that writes the time.
        result.assertStdout(contains: "Experiment smooth-0: done", "Experiment smooth-2000: done", "$ cairn exp show",
                            "Applied experiment smooth-0", "reproduced: every output is identical",
                            "Stage 'stamp': diverged", "NOT reproduced")
        XCTAssertEqual(try String(contentsOfFile: demoDir + "/params.yaml", encoding: .utf8).contains("smoothing: 0\n"), true)
    }

    func testDemoWithoutDirectoryExitsZero() throws {
        let repo = try makeRepo(initialized: false)
        // TMPDIR points into the test's own directory so that whatever the demo leaves behind is cleaned up.
        try repo.makeDirectory(repo.base + "/tmp")
        let result = try repo.cairn("demo", env: ["TMPDIR": repo.base + "/tmp"])
        // The demo names the repository it made; remove it if it went to the system temp dir anyway.
        let marker = "the repository is in "
        if let line = result.stdoutLines.last(where: { $0.contains(marker) }),
           let range = line.range(of: marker) {
            let repoPath = String(line[range.upperBound...]).components(separatedBy: ", its remote in ")[0]
            let made = (repoPath as NSString).deletingLastPathComponent   // holds the repository and the remote
            if made.contains("cairn-demo-") { try? FileManager.default.removeItem(atPath: made) }
        }
        result.assertSuccess()
        result.assertNoCrash()
    }
}

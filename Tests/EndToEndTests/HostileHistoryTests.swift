import Foundation
import XCTest

/// One hostile pointer committed anywhere in history used to crash log, lineage, diff and gc in every new clone
/// (a non-scalar key made Yams trap). Now history readers skip it with a warning, and gc refuses (a pointer it
/// cannot read might name data to keep) — none of them crashes.
final class HostileHistoryTests: EndToEndTestCase {
    func testMalformedHistoricPointersAreSkippedNotFatal() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "1\n")
        try repo.gitChecked("add", "-A")
        try repo.gitChecked("commit", "-qm", "good")
        let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + (1...9).map { level -> String in
            let name = String(UnicodeScalar(97 + level)!), previous = String(UnicodeScalar(96 + level)!)
            return "\(name): &\(name) [" + Array(repeating: "*" + previous, count: 9).joined(separator: ", ") + "]"
        }.joined(separator: "\n") + "\n"
        try repo.write("bad/keys.cairn", "[a]: 1\n")
        try repo.write("bad/bomb.cairn", bomb)
        try repo.write("bad/deep.cairn", String(repeating: "[", count: 3_000) + "\n")
        try repo.gitChecked("add", "-A")
        try repo.gitChecked("commit", "-qm", "hostile")
        try repo.shell("rm -r bad && git rm -rq --cached bad && git commit -qm clean").assertSuccess()
        try addFile(repo, "data/x.csv", text: "2\n")
        try repo.gitChecked("commit", "-qam", "second")

        let log = try repo.cairn("log", "data/x.csv")
        log.assertSuccess()
        XCTAssertEqual(log.stdout.components(separatedBy: "\n").filter { $0.contains("sha256:") || $0.contains("B") }.isEmpty, false)
        XCTAssertTrue(log.stderr.contains("skipping malformed pointer"), log.transcript)
        for arguments in [["lineage", "data/x.csv"], ["diff", "HEAD~2", "HEAD~1"]] {
            let result = try repo.cairnArgs(arguments)
            result.assertNoCrash()
            XCTAssertEqual(result.exitCode, 0, result.transcript)
        }
        let gc = try repo.cairn("gc", "--all-commits", "--dry-run")
        gc.assertError(containing: ["cairn: error: bad/", "at commit"])
    }
}

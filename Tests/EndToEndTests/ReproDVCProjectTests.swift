import Foundation
import XCTest

/// Issue 10, "done when": a DVC project's dvc.yaml, renamed cairn.yaml, reproduces with the same outputs as running
/// its commands by hand (which is what `dvc repro` runs), and a params change re-runs only what depends on it.
final class ReproDVCProjectTests: EndToEndTestCase {
    private let outputs = ["data/prepared/train.csv", "data/prepared/test.csv", "data/features/train.csv",
                           "data/features/test.csv", "model.json", "eval/metrics.json", "eval/plots/loss.csv",
                           "eval/plots/confusion.csv"]

    func testDVCProjectReproducesLikeItsCommandsByHand() throws {
        let repo = try makeRepo()
        try DVCProjectFixture.write(into: repo.root)
        let byHand = try makeRepo(initialized: false)
        try DVCProjectFixture.write(into: byHand.root)
        try byHand.shell("""
            set -e
            python3 src/prepare.py data/data.csv
            python3 src/featurize.py data/prepared data/features
            python3 src/train.py data/features model.json
            python3 src/evaluate.py model.json data/features
            """).assertSuccess()

        let result = try repo.repro().assertSuccess()
        result.assertStdout(contains: "4 stages ran")
        for output in outputs where byHand.exists(output) {
            XCTAssertEqual(try repo.sha256(output), try byHand.sha256(output), "\(output)\n\(result.transcript)")
        }
        // Cached outputs are git-ignored; the metrics file (cache: false) is not, so Git commits it.
        XCTAssertEqual(try repo.git("check-ignore", "-q", "model.json").exitCode, 0)
        XCTAssertEqual(try repo.git("check-ignore", "-q", "data/features").exitCode, 0)
        XCTAssertEqual(try repo.git("check-ignore", "-q", "eval/metrics.json").exitCode, 1)
        try repo.repro().assertSuccess().assertStdout(contains: "Everything is up to date")

        try repo.write("params.yaml", DVCProjectFixture.params.replacingOccurrences(of: "lr: 0.5", with: "lr: 0.25") + "\n")
        try repo.cairn("status").assertSuccess().assertStdout(contains: "changed param: params.yaml train.lr 0.5 → 0.25")
        let again = try repo.repro("-j", "1").assertSuccess()
        XCTAssertEqual(again.stdoutLines.filter { $0.hasPrefix("Running stage") }.map { $0.components(separatedBy: "'")[1] },
                       ["train", "evaluate"], again.transcript)
        try repo.cairn("fsck").assertSuccess()
    }
}

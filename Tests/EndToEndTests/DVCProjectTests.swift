import XCTest

/// Issue 10's "done when": a DVC project's dvc.yaml + params.yaml, renamed to cairn.yaml, reproduces under cairn
/// with the same outputs as running its commands (what `dvc repro` runs; the benchmark compares with DVC itself).
final class DVCProjectTests: EndToEndTestCase {
    static let outputs = ["data/prepared/train.csv", "data/prepared/test.csv", "data/features/train.csv",
                          "data/features/test.csv", "model.json", "eval/metrics.json", "eval/plots/confusion.csv",
                          "eval/plots/loss.csv"]

    /// The commands of the four stages run by hand, in order: the reference outputs.
    private func referenceOutputs() throws -> [String: String] {
        let repo = try makeRepo(initialized: false)
        try DVCProjectFixture.write(into: repo.root)
        let commands = ["python3 src/prepare.py data/data.csv", "python3 src/featurize.py data/prepared data/features",
                        "python3 src/train.py data/features model.json", "python3 src/evaluate.py model.json data/features"]
        for command in commands {
            let result = try repo.shell(command)
            XCTAssertEqual(result.exitCode, 0, "\(command): \(result.transcript)")
        }
        return try Dictionary(uniqueKeysWithValues: Self.outputs.map { ($0, try repo.sha256($0)) })
    }

    func testReferenceProjectRunsByHand() throws {
        let reference = try referenceOutputs()
        XCTAssertEqual(reference.count, Self.outputs.count)
    }

    func testDVCProjectReproducesUnchangedUnderCairn() throws {
        let reference = try referenceOutputs()
        let repo = try makeRepo()
        try DVCProjectFixture.write(into: repo.root)
        try repo.git("add", "-A").assertSuccess()
        try repo.git("commit", "-qm", "project").assertSuccess()
        try repo.cairn("repro").assertSuccess()
        for path in Self.outputs {
            XCTAssertEqual(try repo.sha256(path), reference[path], "\(path) differs from running the commands by hand")
        }
        let lock = try repo.readText("cairn.lock")
        for stage in ["prepare", "featurize", "train", "evaluate"] { XCTAssertTrue(lock.contains("  \(stage):\n"), lock) }
        XCTAssertTrue(lock.contains("train.lr: 0.5"), lock)
        // Cached outputs are git-ignored; the metrics file (cache: false) is not.
        XCTAssertEqual(try repo.git("check-ignore", "-q", "model.json").exitCode, 0)
        XCTAssertEqual(try repo.git("check-ignore", "-q", "data/features").exitCode, 0)
        XCTAssertEqual(try repo.git("check-ignore", "-q", "eval/metrics.json").exitCode, 1)

        // Nothing changed: nothing runs, the lock stays byte-identical.
        try repo.cairn("repro").assertSuccess()
        XCTAssertEqual(try repo.readText("cairn.lock"), lock)

        // A train param: prepare and featurize keep their outputs (not re-run), train and evaluate re-run.
        let features = try repo.sha256("data/features/train.csv")
        try repo.write("params.yaml", DVCProjectFixture.params.replacingOccurrences(of: "lr: 0.5", with: "lr: 0.05") + "\n")
        try repo.cairn("repro").assertSuccess()
        XCTAssertEqual(try repo.sha256("data/features/train.csv"), features)
        XCTAssertNotEqual(try repo.sha256("model.json"), reference["model.json"])
        XCTAssertTrue(try repo.readText("cairn.lock").contains("train.lr: 0.05"))
    }
}

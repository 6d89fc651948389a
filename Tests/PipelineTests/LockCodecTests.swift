import XCTest
import Basics
@testable import Pipeline

/// cairn.lock format 1: the text is stable and line-oriented, it reads back to the same value, and a damaged or
/// hostile lock is one clear error naming the file and line.
final class LockCodecTests: XCTestCase {
    let a = ObjectID.of(Array("a".utf8)), b = ObjectID.of(Array("b".utf8))

    func sample() -> PipelineLock {
        var params = ParamMap()
        params["train.lr"] = .float(0.01)
        params["train.name"] = .string("resnet 50")
        params["train.tag"] = .string("1.0")
        params["train.layers"] = .list([.int(1), .int(2)])
        params["train.flag"] = .bool(true)
        let train = LockedStage(cmd: .string("python train.py --out model"),
                                deps: [LockedPath(path: "data/features.csv", type: .file, id: a, size: 12)],
                                params: ["params.yaml": params],
                                outs: [LockedPath(path: "model", type: .directory, id: b, size: 99, files: 3),
                                       LockedPath(path: "metrics.json", type: .file, id: a, size: 5, cache: false),
                                       LockedPath(path: "run.sh", type: .file, id: b, size: 7, executable: true, push: false)])
        let prepare = LockedStage(cmd: .list([.string("mkdir -p data"), .string("echo: x > data/a")]),
                                  outs: [LockedPath(path: "data/a", type: .file, id: a, size: 2)])
        return PipelineLock(stages: ["train": train, "prepare": prepare, "eval@b": LockedStage(cmd: .string("true"))])
    }

    func testRoundTripAndStableText() throws {
        let lock = sample()
        let text = PipelineLockCodec.encode(lock)
        XCTAssertEqual(try PipelineLockCodec.decode(text, file: "cairn.lock"), lock)
        XCTAssertEqual(PipelineLockCodec.encode(try PipelineLockCodec.decode(text, file: "cairn.lock")), text)
        // Sorted by name, one entry per line, quoted only where YAML would misread.
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertLessThan(lines.firstIndex(of: "  eval@b:")!, lines.firstIndex(of: "  prepare:")!)
        XCTAssertLessThan(lines.firstIndex(of: "  prepare:")!, lines.firstIndex(of: "  train:")!)
        XCTAssertTrue(lines.contains("    - {path: data/features.csv, type: file, id: \"\(a.prefixed)\", size: 12}"))
        XCTAssertTrue(lines.contains("    - {path: model, type: directory, id: \"\(b.prefixed)\", size: 99, files: 3}"))
        XCTAssertTrue(lines.contains("        train.tag: \"1.0\""), text)
        XCTAssertTrue(lines.contains("        train.lr: 0.01"), text)
        XCTAssertTrue(lines.contains("        train.layers: [1, 2]"), text)
        XCTAssertTrue(lines.contains("    - \"echo: x > data/a\""), text)
        XCTAssertTrue(lines.contains("    cmd: python train.py --out model"), text)
    }

    func testPathAboveTheLockDirectoryReadsBack() throws {
        let text = "format: 1\nstages:\n  s:\n    cmd: x\n    deps:\n    - {path: ../data/raw.csv, type: file, id: \"\(a.prefixed)\", size: 1}\n"
        XCTAssertEqual(try PipelineLockCodec.decode(text, file: "models/cairn.lock").stages["s"]?.deps.first?.path, "../data/raw.csv")
        XCTAssertEqual(LockPaths.repoPath("../data/raw.csv", lockDirectory: "models"), "data/raw.csv")
    }

    func testEmptyLockRoundTrips() throws {
        XCTAssertEqual(try PipelineLockCodec.decode(PipelineLockCodec.encode(PipelineLock()), file: "cairn.lock"), PipelineLock())
    }

    func testBadLocksAreOneErrorNamingFileAndLine() {
        let id = a.prefixed
        let cases: [(String, String)] = [
            ("format: 2\nstages: {}\n", "format 2 is not supported"),
            ("stages: {}\n", "missing 'format'"),
            ("format: 1\nstages:\n  s:\n    deps: []\n", "missing 'cmd'"),
            ("format: 1\nstages:\n  s:\n    cmd: x\n    outs:\n    - {path: ../../x, type: file, id: \"\(id)\", size: 1}\n", "outside the repository"),
            ("format: 1\nstages:\n  s:\n    cmd: x\n    outs:\n    - {path: a/../b, type: file, id: \"\(id)\", size: 1}\n", "is not a normalised path"),
            ("format: 1\nstages:\n  s:\n    cmd: x\n    outs:\n    - {path: .git/config, type: file, id: \"\(id)\", size: 1}\n", ".git"),
            ("format: 1\nstages:\n  s:\n    cmd: x\n    outs:\n    - {path: /etc/passwd, type: file, id: \"\(id)\", size: 1}\n", "absolute"),
            ("format: 1\nstages:\n  s:\n    cmd: x\n    outs:\n    - {path: a, type: file, id: \"sha256:zz\", size: 1}\n", "is not an id"),
            ("format: 1\nstages:\n  s:\n    cmd: x\n    outs:\n    - {path: a, type: link, id: \"\(id)\", size: 1}\n", "type must be"),
            ("format: 1\nstages:\n  s:\n    cmd: x\n    outs:\n    - {path: a, type: file, id: \"\(id)\", size: -1}\n", "non-negative"),
            ("format: 1\nstages:\n  s:\n    cmd: x\n    outs:\n    - {path: a, type: directory, id: \"\(id)\", size: 1}\n", "missing 'files'"),
            ("format: 1\nstages:\n  s:\n    cmd: x\n    bogus: 1\n", "unknown key 'bogus'"),
            ("format: 1\nstages:\n  s:\n    cmd: {a: 1}\n", "expected a string or a list of strings"),
            ("<<<<<<< HEAD\nformat: 1\n", "cairn.lock"),
            ("", "empty lock file"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try PipelineLockCodec.decode(text, file: "sub/cairn.lock"), text) { error in
                let message = "\(error)"
                XCTAssertTrue(message.contains("sub/cairn.lock"), message)
                XCTAssertTrue(message.contains(expected), "\(message) should contain \(expected)")
                XCTAssertFalse(message.contains("\n"), message)
            }
        }
    }

    func testLoadRefusesASymlinkAndWriteRemovesAnEmptyLock() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lock-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertNil(try PipelineLockCodec.load(root: dir, lockPath: "cairn.lock"))
        try PipelineLockCodec.write(sample(), root: dir, lockPath: "cairn.lock")
        XCTAssertEqual(try PipelineLockCodec.load(root: dir, lockPath: "cairn.lock"), sample())
        try PipelineLockCodec.write(PipelineLock(), root: dir, lockPath: "cairn.lock")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/cairn.lock"))
        try FileManager.default.createSymbolicLink(atPath: dir + "/cairn.lock", withDestinationPath: "/etc/hostname")
        XCTAssertThrowsError(try PipelineLockCodec.load(root: dir, lockPath: "cairn.lock")) { error in
            XCTAssertTrue("\(error)".contains("symbolic link"), "\(error)")
        }
    }
}

import Foundation
import XCTest

/// Issue 10, item 3: outputs recorded in a cairn.lock are tracked data exactly like pointer-tracked data, for
/// every command that lists tracked data. The locks are written by hand (LockedOutputSupport), as repro would.
final class LockedOutputTests: EndToEndTestCase {
    /// A repository with one committed lock: stage `train` wrote `model.bin` (a file) and `features/` (two
    /// files), and `metrics.json` with `cache: false` (committed to Git, not cairn's). Returns the model's sha256.
    private func pipelineRepo(seed: UInt64 = 1) throws -> (repo: TempRepo, model: String) {
        let repo = try makeRepo()
        _ = try repo.writeRandom("model.bin", size: 5000, seed: seed)
        try repo.write("features/a.txt", "a\n")
        try repo.write("features/b.txt", "b\n")
        try repo.write("metrics.json", "{\"acc\": 0.9}\n")
        let outs = [try storeOutput(repo, "model.bin"), try storeOutput(repo, "features"),
                    try uncachedOutput(repo, "metrics.json")]
        try writeLock(repo, stages: [("train", outs)])
        try repo.commitEverything("train")
        return (repo, try repo.sha256("model.bin"))
    }

    /// Writes a new model, re-records it in the lock and commits; returns its sha256.
    private func retrain(_ repo: TempRepo, seed: UInt64) throws -> String {
        _ = try repo.writeRandom("model.bin", size: 5000, seed: seed)
        try repo.remove("cairn.lock")   // as repro does, without refusing to store its own outputs
        let outs = [try storeOutput(repo, "model.bin"), try storeOutput(repo, "features"),
                    try uncachedOutput(repo, "metrics.json")]
        try writeLock(repo, stages: [("train", outs)])
        try repo.commitEverything("retrain \(seed)")
        return try repo.sha256("model.bin")
    }

    func testStatusAndCheckoutTreatLockOutputsAsTrackedData() throws {
        let (repo, model) = try pipelineRepo()
        // Git-ignored like pointer-tracked data; the lock and metrics.json are Git's.
        try repo.git("check-ignore", "-q", "model.bin").assertSuccess()
        try repo.git("check-ignore", "-q", "features").assertSuccess()
        XCTAssertEqual(try repo.git("status", "--porcelain").assertSuccess().stdout, "")
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")
        let json = try repo.cairn("status", "--json").assertSuccess().stdout
        XCTAssertTrue(json.contains("\"path\":\"model.bin\"") && json.contains("\"pointer\":\"cairn.lock\"")
            && json.contains("\"stage\":\"train\""), json)
        XCTAssertFalse(json.contains("metrics.json"), "a cache: false output is not cairn's: \(json)")

        _ = try repo.writeRandom("model.bin", size: 5000, seed: 99)
        try repo.remove("features/b.txt")
        let status = try repo.cairn("status").assertSuccess()
        status.assertStdoutLine("model.bin: modified")
        status.assertStdoutLine("features: modified")
        status.assertStdout(contains: "cairn repro", "cairn checkout features model.bin")
        try repo.cairn("status", "model.bin").assertSuccess().assertStdout(lacks: "features")
        try repo.cairn("status", "cairn.lock").assertSuccess().assertStdout(contains: "features: modified")
        try repo.cairn("status", "features/a.txt").assertError(containing: "part of features, an output of stage train")

        // The modified model's content is not in the cache: checkout refuses without --force, like for pointers.
        try repo.cairn("checkout").assertError(containing: ["model.bin"], oneLine: false)
        try repo.cairn("checkout", "features").assertSuccess().assertStdoutLine("restored features")
        try repo.cairn("checkout", "--force").assertSuccess().assertStdoutLine("restored model.bin")
        try assertContent(repo, "model.bin", sha256: model)
        XCTAssertEqual(try repo.readText("features/b.txt"), "b\n")
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")

        // An output directory is data, never searched for pointers: a file in it named like one is just a file.
        try repo.write("features/junk.cairn", "not a pointer\n")
        let junk = try repo.cairn("status").assertSuccess()
        junk.assertStdout(contains: "added:    features/junk.cairn")
        XCTAssertEqual(junk.stderr, "", junk.transcript)

        // A lock in a subdirectory (no cairn.yaml needed) names paths relative to it.
        try repo.write("sub/out/x.txt", "x\n")
        try writeLock(repo, "sub", stages: [("prepare", [try storeOutput(repo, "sub/out", lockDirectory: "sub")])])
        try repo.remove("sub/out")
        try repo.cairn("status", "--json", "sub").assertSuccess()
            .assertStdout(contains: "\"path\":\"sub/out\"", "\"pointer\":\"sub/cairn.lock\"",
                          "\"stage\":\"sub/cairn.yaml:prepare\"", "\"state\":\"deleted\"")
        try repo.cairn("checkout", "sub/out").assertSuccess().assertStdoutLine("restored sub/out")
        XCTAssertEqual(try repo.readText("sub/out/x.txt"), "x\n")
    }

    func testAddMoveAndRemoveRefuseLockOutputs() throws {
        let (repo, _) = try pipelineRepo()
        for command in [["add", "model.bin"], ["mv", "model.bin", "other.bin"], ["rm", "model.bin"]] {
            try repo.cairnArgs(command).assertError(containing: ["model.bin: is an output of stage train in cairn.lock",
                                                                 "cairn repro"])
        }
        try repo.cairn("add", "features/a.txt").assertError(containing: "(inside features)")
        try repo.write("sub/in.txt", "in\n")
        let entry = try storeOutput(repo, "sub/in.txt", lockDirectory: "sub")
        try writeLock(repo, "sub", stages: [("prepare", [entry])])
        try repo.write("sub/other.txt", "other\n")
        try repo.cairn("add", "sub").assertError(containing: "contains sub/in.txt, an output of stage sub/cairn.yaml:prepare")
        try repo.cairn("add", "sub/other.txt").assertSuccess()
        XCTAssertFalse(repo.exists("model.bin.cairn"))
        XCTAssertTrue(repo.exists("model.bin"))
    }

    func testHistoryCommandsSeeEveryVersionOfALockOutput() throws {
        let (repo, v1) = try pipelineRepo(seed: 1)
        let v2 = try retrain(repo, seed: 2)
        try repo.cairn("checkout", "--rev", "HEAD~1", "model.bin").assertSuccess()
        try assertContent(repo, "model.bin", sha256: v1)
        try repo.cairn("checkout").assertSuccess()
        try assertContent(repo, "model.bin", sha256: v2)
        try repo.cairn("get", "--rev", "HEAD~1", "model.bin", "-o", "../old.bin").assertSuccess()
        XCTAssertEqual(try repo.sha256("../old.bin"), v1)
        try repo.cairn("get", "--rev", "HEAD~1", "features/a.txt", "-o", "../a.txt").assertSuccess()

        let diff = try repo.cairn("diff", "HEAD~1", "HEAD", "--json").assertSuccess().stdout
        XCTAssertTrue(diff.contains("\"path\":\"model.bin\"") && diff.contains("\"modified\":1"), diff)
        XCTAssertFalse(diff.contains("features"), diff)
        let log = try repo.cairn("log", "model.bin", "--json").assertSuccess().stdout
        XCTAssertTrue(log.contains("sha256:\(v1)") && log.contains("sha256:\(v2)"), log)
        let lineage = try repo.cairn("lineage", "model.bin", "--json").assertSuccess().stdout
        XCTAssertTrue(lineage.contains("\"relation\":\"replaces\"") && lineage.contains("sha256:\(v1)"), lineage)
        try repo.cairn("lineage", "rebuild").assertSuccess()
        try repo.cairn("log", "features").assertSuccess()
    }

    func testGcKeepsWhatALockInScopeNamesAndFsckChecksIt() throws {
        let (repo, v1) = try pipelineRepo(seed: 1)
        _ = try retrain(repo, seed: 2)
        try repo.cairn("gc", "--all-commits").assertSuccess()
        try repo.cairn("checkout", "--rev", "HEAD~1").assertSuccess()
        try assertContent(repo, "model.bin", sha256: v1)
        try repo.cairn("checkout", "--force").assertSuccess()
        try repo.cairn("gc").assertSuccess()   // the work tree only: v1 goes, v2 and the features stay
        try repo.cairn("checkout", "--rev", "HEAD~1", "model.bin").assertError(containing: "not in the cache")
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")
        let fsck = try repo.cairn("fsck", "--json").assertSuccess().stdout
        XCTAssertTrue(fsck.contains("\"contents_checked\":3"), fsck)
    }

    func testMalformedOrHostileLockIsOneErrorAndOtherDataIsUnaffected() throws {
        let (repo, _) = try pipelineRepo()
        try addFile(repo, "data.csv", text: "1,2\n")
        try repo.write("data.csv", "3,4\n")
        try repo.write("sub/cairn.lock", "format: 1\nstages: [oops\n")
        let status = try repo.cairn("status")
        status.assertStdoutLine("data.csv: modified")
        XCTAssertEqual(status.exitCode, 1, status.transcript)
        XCTAssertEqual(status.stderrLines.count, 1, status.transcript)
        status.assertStderr(contains: "sub/cairn.lock")

        // A lock naming Git's own folder is refused before anything is written there.
        let hook = ".git/hooks/pre-commit"
        let before = repo.exists(hook)
        try repo.write("sub/cairn.lock", """
            format: 1
            stages:
              evil:
                cmd: x
                outs:
                - {path: ../.git/hooks/pre-commit, type: file, id: "sha256:\(String(repeating: "a", count: 64))", size: 1}

            """)
        try repo.cairn("checkout", "--force").assertError(containing: ["sub/cairn.lock", ".git"])
        XCTAssertEqual(repo.exists(hook), before)
        try repo.write("sub/cairn.lock", """
            format: 1
            stages:
              evil:
                cmd: x
                outs:
                - {path: x/.CAIRN/format, type: file, id: "sha256:\(String(repeating: "a", count: 64))", size: 1}

            """)
        try repo.cairn("checkout", "--force").assertError(containing: ["sub/cairn.lock", ".CAIRN"])
        try repo.cairn("fsck").assertError(containing: "sub/cairn.lock")
        try repo.cairn("gc").assertError(containing: "sub/cairn.lock")
    }

    func testTeamPushPullAndTimeTravelOfLockOutputs() throws {
        let (repo, bare) = try teamOrigin(hooks: true)
        _ = try repo.writeRandom("model.bin", size: 200_000, seed: 1)
        _ = try repo.writeRandom("scratch.bin", size: 1000, seed: 7)
        try writeLock(repo, stages: [("train", [try storeOutput(repo, "model.bin"),
                                                try storeOutput(repo, "scratch.bin", flags: "push: false")])])
        let v1 = try repo.sha256("model.bin")
        try repo.commitEverything("train v1")
        try gitPushWithHooks(repo)
        // `push: false` data stays local: the remote is in sync without it.
        try repo.cairn("status", "--remote").assertSuccess().assertStdout(contains: "Everything is in sync")

        let copy = try cloneOf(bare)
        let pull = try copy.cairn("pull").assertSuccess()
        try assertContent(copy, "model.bin", sha256: v1)
        XCTAssertFalse(copy.exists("scratch.bin"))
        XCTAssertTrue(pull.stderr.contains("scratch.bin: not checked out"), pull.transcript)
        let status = try copy.cairn("status").assertSuccess()
        status.assertStdout(contains: "scratch.bin: an output marked `push: false`")
        status.assertStdout(lacks: "cairn pull")

        _ = try repo.writeRandom("model.bin", size: 200_000, seed: 2)
        try repo.remove("cairn.lock")
        try writeLock(repo, stages: [("train", [try storeOutput(repo, "model.bin"),
                                                try storeOutput(repo, "scratch.bin", flags: "push: false")])])
        let v2 = try repo.sha256("model.bin")
        try repo.commitEverything("train v2")
        try gitPushWithHooks(repo)
        try repo.cairn("push", "--all-commits").assertSuccess().assertStdout(contains: "Everything is up to date")

        try copy.git("pull", "-q", "--ff-only").assertSuccess()
        try copy.cairn("status").assertSuccess().assertStdoutLine("model.bin: not in cache")
        try copy.cairn("pull").assertSuccess()
        try assertContent(copy, "model.bin", sha256: v2)
        try copy.cairn("checkout", "--rev", "HEAD~1").assertSuccess()
        try assertContent(copy, "model.bin", sha256: v1)
        try copy.cairn("gc", "--rev", "HEAD~1").assertSuccess()
        try copy.cairn("checkout", "--rev", "HEAD~1").assertSuccess()
        try copy.cairn("gc").assertSuccess()
        try copy.cairn("checkout", "--rev", "HEAD~1").assertError(containing: "not in the cache")
        try copy.cairn("fetch", "--all-commits").assertSuccess()
        try copy.cairn("checkout", "--rev", "HEAD~1").assertSuccess()
        try assertContent(copy, "model.bin", sha256: v1)
    }

    func testHooksFollowLockOutputsAcrossBranchesAndCheckCommits() throws {
        let repo = try makeRepo()
        try repo.cairn("install-hooks").assertSuccess()
        try repo.write("README.md", "hello\n")
        try repo.commitEverything("start")
        try repo.git("branch", "plain").assertSuccess()
        _ = try repo.writeRandom("model.bin", size: 5000, seed: 1)
        try repo.write("features/a.txt", "a\n")
        try writeLock(repo, stages: [("train", [try storeOutput(repo, "model.bin"), try storeOutput(repo, "features")])])
        try repo.commitEverything("train")
        let v1 = try repo.sha256("model.bin")

        let away = try repo.git("checkout", "-q", "plain").assertSuccess()
        XCTAssertFalse(repo.exists("model.bin"), away.transcript)
        XCTAssertFalse(repo.exists("features"), away.transcript)
        let back = try repo.git("checkout", "-q", "-").assertSuccess()
        try assertContent(repo, "model.bin", sha256: v1)
        XCTAssertEqual(try repo.readText("features/a.txt"), "a\n", back.transcript)

        // A lock whose output changed after it was recorded is refused by pre-commit, with the fix.
        _ = try repo.writeRandom("model.bin", size: 5000, seed: 2)
        try repo.remove("cairn.lock")
        try writeLock(repo, stages: [("train", [try storeOutput(repo, "model.bin"), try storeOutput(repo, "features")])])
        _ = try repo.writeRandom("model.bin", size: 5000, seed: 3)
        try repo.git("add", "cairn.lock").assertSuccess()
        let commit = try repo.git("commit", "-qm", "retrain")
        XCTAssertEqual(commit.exitCode, 1, commit.transcript)
        XCTAssertTrue(commit.stderr.contains("model.bin: changed since cairn.lock recorded it; run `cairn repro`"),
                      commit.transcript)
        try repo.cairn("checkout", "--force", "model.bin").assertSuccess()
        try repo.git("commit", "-qm", "retrain").assertSuccess()
    }

    /// `git push` with the built cairn on PATH (as the hooks find it), asserted to succeed.
    private func gitPushWithHooks(_ repo: TempRepo) throws {
        let bin = (CairnBinary.path as NSString).deletingLastPathComponent
        let push = try repo.shell("PATH='\(bin)':\"$PATH\" git push -q origin HEAD:refs/heads/main")
        XCTAssertEqual(push.exitCode, 0, push.transcript)
        XCTAssertTrue(push.stderr.contains("cairn: pre-push: pushed"), push.transcript)
    }
}

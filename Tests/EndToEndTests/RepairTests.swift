import Foundation
import XCTest

/// Issue 8 item 4: `cairn fsck --repair [-r REMOTE]` and fetch/pull over a folder remote when the local cache is
/// damaged. Damaged packs are moved aside with their good objects kept; what is corrupt or missing comes back
/// from the remote, verified.
final class RepairTests: EndToEndTestCase {
    private var remoteFolders: [String] = []

    override func tearDown() {
        for folder in remoteFolders { try? FileManager.default.removeItem(atPath: folder) }
        super.tearDown()
    }

    private func makeRemoteFolder() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/cairn-remote-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw TestSetupError("mkdtemp failed") }
        let path = URL(fileURLWithPath: String(cString: made)).resolvingSymlinksInPath().path
        remoteFolders.append(path)
        return path
    }

    /// A repository with 1 MiB of random data and a small file, pushed to a folder remote `origin` (default).
    private func pushedRepo(remoteName: String = "origin", isDefault: Bool = true) throws -> (TempRepo, big: String, small: String) {
        let repo = try makeRepo()
        let folder = try makeRemoteFolder()
        try repo.cairnArgs(["remote", "add"] + (isDefault ? ["-d"] : []) + [remoteName, folder]).assertSuccess()
        try repo.writeRandom("data/big.bin", size: 1 << 20, seed: 5)
        try repo.write("data/small.csv", "a,b\n1,2\n")
        try repo.cairn("add", "data/big.bin", "data/small.csv").assertSuccess()
        try repo.commitEverything()
        try repo.cairnArgs(["push"] + (isDefault ? [] : ["-r", remoteName])).assertSuccess()
        return (repo, try repo.sha256("data/big.bin"), try repo.sha256("data/small.csv"))
    }

    /// Flips a byte in the middle of the largest local pack (inside the 1 MiB record), index kept.
    private func corruptLocalPack(_ repo: TempRepo) throws -> String {
        let pack = try XCTUnwrap(repo.largestFile(under: ".cairn/cache/packs"))
        try repo.flipByte(pack)
        return pack
    }

    func testRepairReplacesACorruptObjectFromTheRemote() throws {
        let (repo, big, small) = try pushedRepo()
        let pack = try corruptLocalPack(repo)
        let before = try repo.cairn("fsck")
        XCTAssertEqual(before.exitCode, 1, before.transcript)
        XCTAssertTrue(before.stdoutLines.contains { $0.hasPrefix("corrupt sha256:") && $0.contains("used by data/big.bin") },
                      before.transcript)

        let repair = try repo.cairn("fsck", "--repair").assertSuccess()
        repair.assertStdoutLine("checked 2 unique file contents: no problems")
        repair.assertStderr(contains: "moved the damaged pack \(pack) to .cairn/cache/quarantine/")
        repair.assertStderr(contains: "fetched ")
        repair.assertStderr(contains: "repaired 1 of 1 problem\n")
        XCTAssertTrue(repo.files(under: ".cairn/cache/quarantine").contains { $0.hasSuffix(".pack") }, "kept aside")

        try repo.cairn("fsck").assertSuccess()
        for (file, sum) in ["data/big.bin": big, "data/small.csv": small] {
            try repo.remove(file)
            try repo.cairn("checkout", file).assertSuccess()
            try assertContent(repo, file, sha256: sum)
        }
    }

    func testRepairFetchesMissingObjectsFromANamedRemote() throws {
        let (repo, big, _) = try pushedRepo(remoteName: "backup", isDefault: false)
        for file in repo.files(under: ".cairn/cache/packs") { try repo.remove(file) }
        let repair = try repo.cairn("fsck", "--repair", "-r", "backup").assertSuccess()
        repair.assertStdoutLine("checked 2 unique file contents: no problems")
        try repo.remove("data/big.bin")
        try repo.cairn("checkout").assertSuccess()
        try assertContent(repo, "data/big.bin", sha256: big)
    }

    func testRepairOfADamagedPackWithoutIndex() throws {
        let (repo, big, small) = try pushedRepo()
        let pack = try corruptLocalPack(repo)
        try repo.remove(String(pack.dropLast(5)) + ".idx")
        let repair = try repo.cairn("fsck", "--repair").assertSuccess()
        // Opening the repository quarantined the pack; the repair then fetched what was damaged in it.
        repair.assertStderr(contains: "moved the damaged pack \(pack)")
        try repo.cairn("fsck").assertSuccess()
        try repo.remove("data/big.bin")
        try repo.remove("data/small.csv")
        try repo.cairn("checkout").assertSuccess()
        try assertContent(repo, "data/big.bin", sha256: big)
        try assertContent(repo, "data/small.csv", sha256: small)
    }

    /// gc must not rewrite (and so delete) a pack whose kept object fails; its hint, typed, fixes the store.
    func testGcRefusesToRewriteAPackWithACorruptKeptObject() throws {
        let (repo, big, _) = try pushedRepo()
        try repo.writeRandom("data/small.csv", size: 2000, seed: 9)      // the old version becomes garbage
        try repo.cairn("add", "data/small.csv").assertSuccess()
        let pack = try corruptLocalPack(repo)
        let gc = try repo.cairn("gc")
        gc.assertError(containing: ["is corrupt", "nothing was deleted", "cairn fsck --repair"])
        XCTAssertTrue(repo.exists(pack), "the pack was deleted")
        try repo.cairn("fsck", "--repair").assertSuccess()
        try repo.cairn("gc").assertSuccess()
        try repo.cairn("fsck").assertSuccess()
        try repo.remove("data/big.bin")
        try repo.cairn("checkout").assertSuccess()
        try assertContent(repo, "data/big.bin", sha256: big)
    }

    func testRemoteOptionNeedsRepair() throws {
        let repo = try makeRepo()
        try repo.cairn("fsck", "-r", "origin").assertUsageError()
    }

    /// fetch must not answer "Everything is up to date" when the data it selects is corrupt in the cache.
    func testFetchReplacesDataThatIsCorruptLocally() throws {
        let (repo, big, _) = try pushedRepo()
        _ = try corruptLocalPack(repo)
        let fetch = try repo.cairn("fetch").assertSuccess()
        fetch.assertStdout(lacks: "Everything is up to date")
        fetch.assertStdout(contains: "fetched ")
        fetch.assertStderr(contains: "moved the damaged pack")
        try repo.cairn("fsck").assertSuccess()
        try repo.remove("data/big.bin")
        try repo.cairn("checkout").assertSuccess()
        try assertContent(repo, "data/big.bin", sha256: big)
        try repo.cairn("fetch").assertSuccess().assertStdoutLine("Everything is up to date.")
    }

    func testPullRestoresAFileWhoseCacheCopyIsCorrupt() throws {
        let (repo, big, _) = try pushedRepo()
        _ = try corruptLocalPack(repo)
        try repo.remove("data/big.bin")
        let pull = try repo.cairn("pull").assertSuccess()
        pull.assertStdout(lacks: "Everything is up to date")
        try assertContent(repo, "data/big.bin", sha256: big)
        try repo.cairn("fsck").assertSuccess()
    }

    /// When the remote lacks the data too, fetch fails clearly instead of claiming all is well.
    func testFetchReportsCorruptDataTheRemoteDoesNotHave() throws {
        let repo = try makeRepo()
        let folder = try makeRemoteFolder()
        try repo.cairn("remote", "add", "-d", "origin", folder).assertSuccess()
        try addFile(repo, "data/small.csv", text: "only this one is pushed\n")
        try repo.writeRandom("data/big.bin", size: 1 << 20, seed: 6)
        try repo.cairn("add", "data/big.bin").assertSuccess()
        try repo.cairn("push", "data/small.csv").assertSuccess()
        _ = try corruptLocalPack(repo)
        let fetch = try repo.cairn("fetch")
        fetch.assertNoCrash()
        XCTAssertEqual(fetch.exitCode, 1, fetch.transcript)
        fetch.assertStdout(lacks: "Everything is up to date")
        fetch.assertStderr(contains: "not available on 'origin'")
    }
}

import Foundation
import XCTest

/// push / fetch / pull / status --remote against a folder remote, run through the built binary in real Git
/// repositories: the data a second clone pulls is exactly what was pushed, nothing is sent twice, damage on
/// the remote is caught, an interrupted push completes.
final class RemoteTransferTests: EndToEndTestCase {
    private var remoteFolders: [String] = []

    override func tearDown() {
        for folder in remoteFolders { try? FileManager.default.removeItem(atPath: folder) }
        super.tearDown()
    }

    /// An empty folder for a remote (outside every repository).
    private func makeRemoteFolder() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/cairn-remote-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw TestSetupError("mkdtemp failed") }
        let path = URL(fileURLWithPath: String(cString: made)).resolvingSymlinksInPath().path
        remoteFolders.append(path)
        return path
    }

    /// A repository with a default remote `origin` at a fresh folder, committed so clones get the setting.
    private func repoWithRemote() throws -> (TempRepo, String) {
        let repo = try makeRepo()
        let folder = try makeRemoteFolder()
        try configureRemote(repo, "origin", folder, isDefault: true)
        return (repo, folder)
    }

    /// `cairn remote add [-d] NAME URL` (the command's own tests are in RemoteConfigTests).
    private func configureRemote(_ repo: TempRepo, _ name: String, _ url: String, isDefault: Bool = false) throws {
        try repo.cairnArgs(["remote", "add"] + (isDefault ? ["-d"] : []) + [name, url]).assertSuccess()
    }

    /// A small directory, a small file and a chunked 3 MiB file, committed.
    private func sampleData(_ repo: TempRepo) throws -> [String: String] {
        for i in 0..<40 { try repo.write("data/part-\(i / 10)/f\(i).txt", "row \(i)\n") }
        try repo.write("notes.txt", "hello remote\n")
        _ = try repo.writeRandom("model.bin", size: 3 << 20, seed: 7)
        try repo.cairn("add", "data", "notes.txt", "model.bin").assertSuccess()
        try repo.commitEverything()
        var sums: [String: String] = [:]
        for file in repo.files(under: "data") + ["notes.txt", "model.bin"] { sums[file] = try repo.sha256(file) }
        return sums
    }

    func testSecondClonePullsExactlyThePushedData() throws {
        let (repo, folder) = try repoWithRemote()
        let sums = try sampleData(repo)
        try repo.cairn("push").assertSuccess().assertStdout(contains: "pushed")
        XCTAssertEqual(try String(contentsOfFile: folder + "/cairn-remote", encoding: .utf8), "cairn-remote 1\n")
        XCTAssertEqual(remotePackFiles(folder).count, 2, "small objects travel in one pack, the big file's manifest in a second")

        let copy = try gitClone(repo)
        XCTAssertFalse(copy.exists("model.bin"))
        try copy.cairn("pull").assertSuccess()
        for (file, sum) in sums { try assertContent(copy, file, sha256: sum) }
        try copy.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")
        try copy.cairn("fsck").assertSuccess()
    }

    func testPushingTwiceSendsNothingTheSecondTime() throws {
        let (repo, folder) = try repoWithRemote()
        _ = try sampleData(repo)
        try repo.cairn("push").assertSuccess()
        let before = remotePackFiles(folder)
        try repo.cairn("push").assertSuccess().assertStdoutLine("Everything is up to date on 'origin'.")
        XCTAssertEqual(remotePackFiles(folder), before)
        // A new version sends only what changed.
        try repo.write("notes.txt", "hello again\n")
        try repo.cairn("add", "notes.txt").assertSuccess()
        try repo.cairn("push").assertSuccess().assertStdout(contains: "pushed 1 object in 1 pack")
    }

    func testPushAndPullOfOnePath() throws {
        let (repo, _) = try repoWithRemote()
        let sums = try sampleData(repo)
        try repo.cairn("push", "notes.txt").assertSuccess().assertStdout(contains: "pushed 1 object")
        let copy = try gitClone(repo)
        try copy.cairn("pull", "notes.txt").assertSuccess()
        try assertContent(copy, "notes.txt", sha256: sums["notes.txt"]!)
        XCTAssertFalse(copy.exists("model.bin"))
        let missing = try copy.cairn("pull", "model.bin")
        missing.assertError(containing: "not available on 'origin'")
        XCTAssertFalse(copy.exists("model.bin"), "nothing is checked out when data is missing")
    }

    func testStatusRemoteShowsWhatEachSideLacks() throws {
        let (repo, _) = try repoWithRemote()
        _ = try sampleData(repo)
        try repo.cairn("status", "--remote").assertSuccess()
            .assertStdout(contains: "Not on remote 'origin'", "    model.bin", "    data", "    notes.txt")
        try repo.cairn("push", "model.bin").assertSuccess()
        let partial = try repo.cairn("status", "--remote", "--json").assertSuccess()
        let json = try JSONSerialization.jsonObject(with: Data(partial.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(json?["remote"] as? String, "origin")
        XCTAssertEqual((json?["not_on_remote"] as? [String])?.sorted(), ["data", "notes.txt"])
        XCTAssertEqual(json?["in_sync"] as? Int, 1)
        try repo.cairn("push").assertSuccess()
        try repo.cairn("status", "--remote", "-r", "origin").assertSuccess()
            .assertStdoutLine("Everything is in sync with 'origin'.")
        let copy = try gitClone(repo)
        try copy.cairn("status", "--remote").assertSuccess()
            .assertStdout(contains: "Not in the cache (cairn pull brings it):", "    model.bin")
    }

    func testTamperedObjectOnTheRemoteIsCaughtOnPull() throws {
        let (repo, folder) = try repoWithRemote()
        _ = try sampleData(repo)
        try repo.cairn("push").assertSuccess()
        guard let pack = remotePackFiles(folder).first else { return XCTFail("no pack on the remote") }
        // Flip one byte in the middle of the pack: some record no longer matches its hash.
        let path = folder + "/packs/" + pack
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count / 2] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let copy = try gitClone(repo)
        let pull = try copy.cairn("pull")
        pull.assertError(containing: "fails verification")
        XCTAssertTrue(pull.stderr.contains(pack.components(separatedBy: "/").last!), pull.transcript)
        XCTAssertFalse(copy.exists("model.bin"), "no data is checked out from a damaged remote")
        XCTAssertFalse(copy.exists("notes.txt"))
        let fsck = try copy.cairn("fsck")
        XCTAssertFalse(fsck.stdout.contains("corrupt"), "nothing damaged entered the cache\n\(fsck.transcript)")
        XCTAssertTrue(fsck.stdout.contains("missing"), fsck.transcript)
    }

    func testInterruptedPushCompletesOnTheNextRun() throws {
        let (repo, folder) = try repoWithRemote()
        _ = try repo.writeRandom("big.bin", size: 96 << 20, seed: 99)
        try repo.cairn("add", "big.bin").assertSuccess()
        try repo.commitEverything()
        let sum = try repo.sha256("big.bin")
        let push = try repo.startCairn("push", "-j", "1")
        // Kill it as soon as the first pack is on the remote, before its index (or the later packs) follow.
        let deadline = Date().addingTimeInterval(60)
        while remotePackFiles(folder).isEmpty && Date() < deadline { usleep(2_000) }
        kill(push.pid, SIGKILL)
        _ = push.wait()
        let indexes = (try? FileManager.default.contentsOfDirectory(atPath: folder + "/index")) ?? []
        XCTAssertLessThan(indexes.count, 6, "the push was interrupted before it sent everything")

        try repo.cairn("push").assertSuccess()
        let copy = try gitClone(repo)
        try copy.cairn("pull").assertSuccess()
        try assertContent(copy, "big.bin", sha256: sum)
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: repo.path(".cairn/cache/transfer"))) ?? []
        XCTAssertEqual(leftovers, [], "the next transfer removes the folders of killed ones")
    }

    func testPrePushHookSendsTheDataOfThePushedCommits() throws {
        let (repo, folder) = try repoWithRemote()
        let bare = try makeRemoteFolder()
        try repo.git("init", "-q", "--bare", bare).assertSuccess()
        try repo.cairn("install-hooks").assertSuccess()
        let sums = try sampleData(repo)
        let bin = (CairnBinary.path as NSString).deletingLastPathComponent
        try repo.shell("PATH='\(bin)':\"$PATH\" git push -q '\(bare)' HEAD:refs/heads/main").assertSuccess()
        XCTAssertFalse(remotePackFiles(folder).isEmpty, "the hook pushed the data")
        let copy = try makeRepo(initialized: false, git: false)
        try FileManager.default.removeItem(atPath: copy.root)
        try repo.git("clone", "-q", "-b", "main", bare, copy.root).assertSuccess()
        try copy.cairn("pull").assertSuccess()
        for (file, sum) in sums { try assertContent(copy, file, sha256: sum) }
    }

    func testFailuresAreOneLineErrors() throws {
        let repo = try makeRepo()
        try repo.write("a.txt", "a\n")
        try repo.cairn("add", "a.txt").assertSuccess()
        try repo.cairn("push").assertError(containing: "no default remote")
        try repo.cairn("push", "-r", "nope").assertError(containing: "remote 'nope'")
        let folder = try makeRemoteFolder()
        try configureRemote(repo, "gone", folder + "/missing")
        try repo.cairn("push", "-r", "gone").assertError(containing: "does not exist")
        try repo.cairn("push", "-j", "0", "-r", "gone").assertUsageError()
        // A remote written by a newer cairn is refused, not misread.
        try configureRemote(repo, "future", folder)
        try "cairn-remote 9\n".write(toFile: folder + "/cairn-remote", atomically: true, encoding: .utf8)
        try repo.cairn("push", "-r", "future").assertError(containing: "cairn-remote 9")
        // Data that is neither in the local cache nor on the remote cannot be pushed: named, exit 1.
        let other = try makeRemoteFolder()
        try configureRemote(repo, "origin", other, isDefault: true)
        try repo.remove(".cairn/cache")
        try repo.cairn("push").assertError(containing: "neither in the local cache nor on 'origin'")
    }

    /// Issue 8 item 10: a full LOCAL disk during fetch is reported as what it is (no space left), never as damage on
    /// the remote. The cache is put on a tiny tmpfs with cache.dir.
    func testFullLocalDiskDuringFetchIsNotBlamedOnTheRemote() throws {
        let repo = try makeRepo()
        let folder = try makeRemoteFolder()
        try configureRemote(repo, "origin", folder, isDefault: true)
        _ = try repo.writeRandom("big.bin", size: 2 << 20, seed: 7)
        try repo.cairn("add", "big.bin").assertSuccess()
        try repo.cairn("push").assertSuccess()
        let smallCache = repo.base + "/small-cache"
        try FileManager.default.createDirectory(atPath: smallCache, withIntermediateDirectories: true)
        guard mount("tmpfs", smallCache, "tmpfs", 0, "size=512k") == 0 else {
            if ProcessInfo.processInfo.environment["CI"] != nil { XCTFail("cannot mount a tmpfs under CI (errno \(errno))") }
            throw XCTSkip("cannot mount a tmpfs here (errno \(errno))")
        }
        defer { umount(smallCache) }
        try repo.write(".cairn/config.local", "[cache]\n\tdir = \(smallCache)\n")
        let fetch = try repo.cairn("fetch")
        fetch.assertError(containing: "No space left on device", oneLine: false)
        XCTAssertFalse(fetch.stderr.contains("fail verification"), fetch.transcript)
        XCTAssertFalse(fetch.stderr.contains("damaged"), fetch.transcript)
    }

    /// A full remote disk (a tiny tmpfs as the remote, when the test may mount one: root) is one line, exit 1,
    /// and leaves nothing half-done: no visible pack, and the next push to a roomier remote works.
    func testFullRemoteDiskIsAClearError() throws {
        let repo = try makeRepo()
        let folder = try makeRemoteFolder()
        guard mount("tmpfs", folder, "tmpfs", 0, "size=256k") == 0 else {
            throw XCTSkip("cannot mount a tmpfs here (errno \(errno))")
        }
        defer { umount(folder) }
        try configureRemote(repo, "small", folder, isDefault: true)
        _ = try repo.writeRandom("big.bin", size: 2 << 20, seed: 1)
        try repo.cairn("add", "big.bin").assertSuccess()
        let push = try repo.cairn("push")
        push.assertError(containing: "No space left on device")
        // A small pack (the manifests) may have been uploaded whole, index and all, before the big one failed.
        // What must hold: every visible index has its whole pack behind it (the pack goes up first), and the big
        // pack that failed is not visible.
        let indexes = ((try? FileManager.default.contentsOfDirectory(atPath: folder + "/index")) ?? [])
            .filter { $0.hasSuffix(".idx") }
        XCTAssertLessThanOrEqual(indexes.count, 1, "the big pack must not be visible: \(indexes)")
        for index in indexes {
            let hex = String(index.dropLast(4))
            let pack = folder + "/packs/\(hex.prefix(2))/\(hex).pack"
            let size = (try? FileManager.default.attributesOfItem(atPath: pack)[.size] as? Int) ?? 0
            XCTAssertGreaterThan(size, 0, "index \(index) is visible without its pack")
            XCTAssertLessThan(size, 1 << 20, "the visible pack is the small one, not the 2 MiB that did not fit")
        }
        let leftovers = (FileManager.default.enumerator(atPath: folder + "/packs")?.allObjects as? [String] ?? [])
            .filter { !$0.hasSuffix(".pack") && !FileManager.default.isDirectory(folder + "/packs/" + $0) }
        XCTAssertEqual(leftovers, [], "no temporary file is left on the remote")
        let roomy = try makeRemoteFolder()
        try configureRemote(repo, "roomy", roomy)
        try repo.cairn("push", "-r", "roomy").assertSuccess().assertStdout(contains: "pushed")
    }
}

private extension FileManager {
    func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}

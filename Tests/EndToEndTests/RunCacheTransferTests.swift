import Basics
import Foundation
import XCTest

/// `push/fetch/pull --run-cache` over a folder remote, through the built binary. Until `cairn repro` writes entries,
/// the tests write them as docs/formats.md "Run-cache (format 1)" describes: canonical JSON named by its SHA-256,
/// under `.cairn/cache/runs/<key[0..2]>/<key>/`, naming an output that `cairn add` put into the cache.
final class RunCacheTransferTests: EndToEndTestCase {
    private var remoteFolders: [String] = []

    override func tearDown() {
        for folder in remoteFolders { try? FileManager.default.removeItem(atPath: folder) }
        super.tearDown()
    }

    private func makeRemoteFolder() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/cairn-runs-remote-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw TestSetupError("mkdtemp failed") }
        let path = URL(fileURLWithPath: String(cString: made)).resolvingSymlinksInPath().path
        remoteFolders.append(path)
        return path
    }

    /// A repository with a run-cache entry (RunCacheEntrySupport) and a default folder remote.
    private func repoWithEntry() throws -> (repo: TempRepo, folder: String, entry: String, model: String) {
        let repo = try makeRepo()
        let folder = try makeRemoteFolder()
        try repo.cairnArgs(["remote", "add", "-d", "origin", folder]).assertSuccess()
        let (entry, model) = try addRunCacheEntry(repo)
        return (repo, folder, entry, model)
    }

    func testATeammatePullsTheRunCacheAndItsOutputs() throws {
        let (repo, folder, entry, _) = try repoWithEntry()
        try assertRunCacheRoundTrip(repo, entry: entry) {
            FileManager.default.fileExists(atPath: folder + "/" + entry)
        }
        try repo.cairn("push").assertSuccess().assertStdout(lacks: "run-cache")
    }

    func testAnEntryWhoseOutputIsNowhereIsNotSent() throws {
        let (repo, folder, _, _) = try repoWithEntry()
        let lost = try writeRunCacheEntry(repo, key: String(repeating: "cd", count: 32),
                                  model: "sha256:" + String(repeating: "1", count: 64), size: 5)
        try repo.cairn("push", "--run-cache").assertSuccess()
            .assertStdoutLine("run-cache: sent 1 run-cache entry and 1 object, 1 entry not sent (outputs not in the cache)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/" + lost))
    }

    func testDamagedEntriesOnTheRemoteAreSkippedWithAMessage() throws {
        let (repo, folder, entry, _) = try repoWithEntry()
        try repo.cairn("push", "--run-cache").assertSuccess()
        try "{\"run-cache\":1}\n".write(toFile: folder + "/" + entry, atomically: false, encoding: .utf8)
        try "not even json".write(toFile: folder + "/runs/ab/" + String(repeating: "ab", count: 32) + "/"
                                  + String(repeating: "e", count: 64), atomically: false, encoding: .utf8)
        let copy = try gitClone(repo)
        let result = try copy.cairn("fetch", "--run-cache").assertSuccess()
        result.assertStdoutLine("run-cache: 2 damaged entries skipped")
        result.assertStderr(contains: "content does not match its name (damaged)")
        XCTAssertFalse(copy.exists(".cairn/cache/" + entry))
    }
}

/// Run-cache entries written by hand (docs/formats.md "Run-cache (format 1)") and the round trip every remote kind
/// must pass.
extension EndToEndTestCase {
    /// Puts `model.bin` into the cache (added, pointer not committed: only the run-cache names it) and an entry for
    /// it; commits a file so the repository can be cloned. Returns the entry's path in the cache and the model id.
    func addRunCacheEntry(_ repo: TempRepo) throws -> (entry: String, model: String) {
        try repo.write("train.sh", "echo train\n")
        try repo.commitEverything("pipeline")
        try repo.write("model.bin", "weights from a long training run\n")
        try repo.cairn("add", "model.bin").assertSuccess()
        let model = "sha256:" + (try repo.sha256("model.bin"))
        try repo.remove("model.bin.cairn")
        try repo.remove("model.bin")
        let entry = try writeRunCacheEntry(repo, key: String(repeating: "ab", count: 32), model: model, size: 33)
        return (entry, model)
    }

    /// Writes an entry and returns its path relative to the cache (`runs/ab/<key>/<name>`).
    @discardableResult
    func writeRunCacheEntry(_ repo: TempRepo, key: String, model: String, size: Int) throws -> String {
        let text = #"{"cmd":"sh train.sh","deps":[{"id":"sha256:\#(String(repeating: "0", count: 64))","path":"train.sh","size":11,"type":"file"}],"dir":"","key":"\#(key)","outs":[{"id":"\#(model)","path":"model.bin","size":\#(size),"type":"file"}],"params":{},"run-cache":1}"# + "\n"
        let name = ObjectID.of(Array(text.utf8)).hex
        let relative = "runs/\(key.prefix(2))/\(key)/\(name)"
        try repo.write(".cairn/cache/" + relative, text)
        return relative
    }

    /// push --run-cache, then a clone's fetch --run-cache (entry only) and another clone's pull --run-cache (entry
    /// and output); second runs transfer nothing. `onRemote` says whether the entry is on the remote.
    func assertRunCacheRoundTrip(_ repo: TempRepo, entry: String, env: [String: String] = [:],
                                 onRemote: () throws -> Bool) throws {
        try repo.cairn("push", "--run-cache", env: env).assertSuccess()
            .assertStdoutLine("run-cache: sent 1 run-cache entry and 1 object")
        XCTAssertTrue(try onRemote(), "the entry is under runs/ on the remote")
        try repo.cairn("push", "--run-cache", env: env).assertSuccess().assertStdoutLine("run-cache: up to date")

        let fetcher = try gitClone(repo)
        try fetcher.cairn("fetch", "--run-cache", env: env).assertSuccess()
            .assertStdoutLine("run-cache: received 1 run-cache entry")
        XCTAssertEqual(try fetcher.readText(".cairn/cache/" + entry), try repo.readText(".cairn/cache/" + entry))
        try fetcher.cairn("fetch", "--run-cache", env: env).assertSuccess().assertStdoutLine("run-cache: up to date")

        let puller = try gitClone(repo)
        try puller.cairn("pull", "--run-cache", env: env).assertSuccess()
            .assertStdoutLine("run-cache: received 1 run-cache entry and 1 object")
        XCTAssertTrue(puller.exists(".cairn/cache/" + entry))
        try puller.cairn("pull", "--run-cache", env: env).assertSuccess().assertStdoutLine("run-cache: up to date")
    }
}

import Foundation
import XCTest

/// Issue 8 item 3: data the cache lacks is `not in cache`, never `modified`/`deleted`, whatever the work tree
/// holds; status points to `cairn pull` (tested by running it); re-adding over a version the clone never had
/// warns, and the warning's commands work.
final class StatusTruthTests: EndToEndTestCase {
    /// A committed file and directory, pushed (data and Git); returns the origin and the file's sha256.
    private func pushedOrigin() throws -> (repo: TempRepo, bare: String, sha: String) {
        let (repo, bare) = try teamOrigin()
        _ = try repo.writeRandom("data/a.bin", size: 50_000, seed: 31)
        try repo.write("data/set/one.txt", "one\n")
        try repo.write("data/set/two.txt", "two\n")
        try repo.cairn("add", "data/a.bin", "data/set").assertSuccess()
        try repo.commitEverything("data")
        try repo.cairn("push").assertSuccess()
        try repo.git("push", "-q", "origin", "HEAD:refs/heads/main").assertSuccess()
        return (repo, bare, try repo.sha256("data/a.bin"))
    }

    func testFreshCloneIsNotInCacheAndTheHintedPullWorks() throws {
        let (_, bare, sha) = try pushedOrigin()
        let copy = try cloneOf(bare)
        let status = try copy.cairn("status").assertSuccess()
        status.assertStdoutLine("data/a.bin: not in cache")
        status.assertStdoutLine("data/set: not in cache")
        status.assertStdout(lacks: "deleted")
        status.assertStdout(contains: "run `cairn pull` to fetch it from 'origin'")
        let json = try copy.cairn("status", "--json").assertSuccess()
        XCTAssertFalse(json.stdout.contains("\"deleted\""), json.transcript)

        try copy.cairn("pull").assertSuccess()
        try assertContent(copy, "data/a.bin", sha256: sha)
        try copy.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")
    }

    /// A work-tree file that exists but differs, and a tracked directory with a local file, in a clone that
    /// never pulled: still `not in cache` (a `modified` would invite the add that replaces an unseen version).
    func testDifferingWorkTreeCopyOfUncachedDataIsNotInCache() throws {
        let (_, bare, _) = try pushedOrigin()
        let copy = try cloneOf(bare)
        try copy.write("data/a.bin", "my own version\n")
        try copy.write("data/set/one.txt", "local\n")
        let status = try copy.cairn("status").assertSuccess()
        status.assertStdoutLine("data/a.bin: not in cache")
        status.assertStdoutLine("data/set: not in cache")
        status.assertStdout(lacks: ": modified")
        let json = try copy.cairn("status", "--json").assertSuccess()
        XCTAssertFalse(json.stdout.contains("\"state\":\"modified\""), json.transcript)
    }

    /// The hint without a remote names how to set one.
    func testHintWithoutRemoteSaysHowToAddOne() throws {
        let repo = try makeRepo()
        try repo.write("x.bin", "x\n")
        try repo.cairn("add", "x.bin").assertSuccess()
        try repo.remove(".cairn/cache")
        try repo.makeDirectory(".cairn/cache")
        try repo.write("x.bin", "changed\n")
        let status = try repo.cairn("status").assertSuccess()
        status.assertStdoutLine("x.bin: not in cache")
        status.assertStdout(contains: "cairn remote add -d NAME URL")
    }

    func testReAddingOverAnUnseenVersionWarnsAndTheHintWorks() throws {
        let (_, bare, sha) = try pushedOrigin()
        let copy = try cloneOf(bare)
        try copy.write("data/a.bin", "my own version\n")
        let add = try copy.cairn("add", "data/a.bin").assertSuccess()
        add.assertStderr(contains: "cairn: warning: data/a.bin: this replaces the version its pointer named")
        add.assertStderr(contains: "you never had that version")
        add.assertStderr(contains: "`cairn fetch --rev HEAD`")
        XCTAssertEqual(try copy.readText("data/a.bin"), "my own version\n", "the add goes on")
        // The hint, as typed.
        try copy.cairn("fetch", "--rev", "HEAD").assertSuccess()
        try copy.cairn("get", "--rev", "HEAD", "data/a.bin", "-o", "old.bin").assertSuccess()
        try assertContent(copy, "old.bin", sha256: sha)

        // Re-adding over a version that is in the cache says nothing.
        try copy.write("data/a.bin", "yet another\n")
        let again = try copy.cairn("add", "data/a.bin").assertSuccess()
        XCTAssertFalse(again.stderr.contains("replaces the version"), again.transcript)
    }
}

import Foundation
import XCTest

/// Issue 8, items 1, 2 and 7 over a folder remote, as a team works: two clones and a bare Git origin. Every
/// version a push names reaches the remote (the pre-push hook sends each commit of the pushed range, and
/// `--rev A..B` takes ranges), one pull fetches everything, and data that is gone everywhere is named by the
/// pre-push hook without blocking the Git push.
final class TeamTransferTests: EndToEndTestCase {
    private var folders: [String] = []

    override func tearDown() {
        for folder in folders { try? FileManager.default.removeItem(atPath: folder) }
        super.tearDown()
    }

    private func makeFolder() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/cairn-team-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw TestSetupError("mkdtemp failed") }
        let path = URL(fileURLWithPath: String(cString: made)).resolvingSymlinksInPath().path
        folders.append(path)
        return path
    }

    /// A repository with a default data remote (a folder, committed) and a bare Git origin; with `hooks`,
    /// cairn's hooks are installed.
    private func teamRepo(hooks: Bool) throws -> (repo: TempRepo, bare: String) {
        let repo = try makeRepo()
        try repo.cairn("remote", "add", "-d", "origin", try makeFolder()).assertSuccess()
        let bare = try makeFolder()
        try repo.git("init", "-q", "--bare", bare).assertSuccess()
        try repo.git("remote", "add", "origin", bare).assertSuccess()
        if hooks { try repo.cairn("install-hooks").assertSuccess() }
        return (repo, bare)
    }

    /// `git push` with the built cairn on PATH (as the hook finds it), asserted to succeed.
    @discardableResult
    private func gitPush(_ repo: TempRepo, _ refspec: String = "HEAD:refs/heads/main") throws -> CommandResult {
        let bin = (CairnBinary.path as NSString).deletingLastPathComponent
        let push = try repo.shell("PATH='\(bin)':\"$PATH\" git push -q origin \(refspec)")
        XCTAssertEqual(push.exitCode, 0, push.transcript)
        return push
    }

    /// A clone of the bare origin's `main`: pointers only, no data.
    private func teammate(_ bare: String) throws -> TempRepo {
        let copy = try makeRepo(initialized: false, git: false)
        try FileManager.default.removeItem(atPath: copy.root)
        try copy.git("clone", "-q", "-b", "main", bare, copy.root, cwd: copy.base).assertSuccess()
        return copy
    }

    /// Writes a new version of `model.bin`, adds and commits it; returns its sha256.
    private func commitVersion(_ repo: TempRepo, seed: UInt64) throws -> String {
        _ = try repo.writeRandom("model.bin", size: 200_000, seed: seed)
        try repo.cairn("add", "model.bin").assertSuccess()
        // `git add -A` as users type it: .cairn/remotes/ (the remote index cache) is git-ignored.
        try repo.git("add", "-A").assertSuccess()
        try repo.git("commit", "-qm", "version \(seed)").assertSuccess()
        return try repo.sha256("model.bin")
    }

    private func sha(_ repo: TempRepo, _ revision: String) throws -> String {
        try repo.git("rev-parse", revision).assertSuccess().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func testPrePushSendsEveryVersionOfThePushedRange() throws {
        let (repo, bare) = try teamRepo(hooks: true)
        let v1 = try commitVersion(repo, seed: 1)
        let v2 = try commitVersion(repo, seed: 2)
        try gitPush(repo)   // a new ref: every commit not on the remote's refs
        let copy = try teammate(bare)
        try copy.git("checkout", "-q", "HEAD~1").assertSuccess()
        try copy.cairn("pull").assertSuccess()
        try assertContent(copy, "model.bin", sha256: v1)
        try copy.git("checkout", "-q", "main").assertSuccess()
        try copy.cairn("pull").assertSuccess()
        try assertContent(copy, "model.bin", sha256: v2)

        // An update of an existing ref: every commit between the remote's old tip and the new one.
        let v3 = try commitVersion(repo, seed: 3)
        let v4 = try commitVersion(repo, seed: 4)
        try gitPush(repo)
        try copy.git("pull", "-q", "--ff-only").assertSuccess()
        try copy.git("checkout", "-q", "HEAD~1").assertSuccess()
        try copy.cairn("pull").assertSuccess()
        try assertContent(copy, "model.bin", sha256: v3)
        try copy.git("checkout", "-q", "main").assertSuccess()
        try copy.cairn("pull").assertSuccess()
        try assertContent(copy, "model.bin", sha256: v4)

        // Tags: an annotated one is followed to its commit; a tag of a blob names no data and stops nothing.
        try repo.git("tag", "-a", "v1", "-m", "one", "HEAD~1").assertSuccess()
        let blob = try repo.shell("echo x | git hash-object -w --stdin").assertSuccess().stdout
        try repo.git("tag", "blob-tag", blob.trimmingCharacters(in: .whitespacesAndNewlines)).assertSuccess()
        try gitPush(repo, "--tags")
    }

    /// A new branch sends the commits the remote's branches (as last fetched) lack, not the whole history.
    func testNewBranchSendsOnlyTheCommitsTheRemoteLacks() throws {
        let (repo, bare) = try teamRepo(hooks: true)
        _ = try commitVersion(repo, seed: 41)
        // Pushed without its data on purpose: the hook of a later push must not send it behind the user's back.
        let bin = (CairnBinary.path as NSString).deletingLastPathComponent
        try repo.shell("PATH='\(bin)':\"$PATH\" git push -q --no-verify origin HEAD:refs/heads/main").assertSuccess()
        try repo.git("checkout", "-q", "-b", "feature").assertSuccess()
        let v2 = try commitVersion(repo, seed: 42)
        let push = try gitPush(repo, "feature")
        XCTAssertTrue(push.stderr.contains("cairn: pre-push: pushed 1 object ("), push.transcript)
        let copy = try teammate(bare)
        try copy.cairn("pull").assertError(containing: "1 target not available on 'origin' (first: model.bin)")
        try copy.git("checkout", "-q", "feature").assertSuccess()
        try copy.cairn("pull").assertSuccess()
        try assertContent(copy, "model.bin", sha256: v2)
    }

    func testPushAndFetchTakeRevisionRanges() throws {
        let (repo, bare) = try teamRepo(hooks: false)
        _ = try commitVersion(repo, seed: 11)
        let v2 = try commitVersion(repo, seed: 12)
        let v3 = try commitVersion(repo, seed: 13)
        try gitPush(repo)
        // HEAD~2..HEAD is the last two commits: v2 and v3, not v1.
        try repo.cairn("push", "--rev", "HEAD~2..HEAD").assertSuccess().assertStdout(contains: "pushed 2 objects")
        let copy = try teammate(bare)
        try copy.git("checkout", "-q", "HEAD~2").assertSuccess()
        try copy.cairn("pull").assertError(containing: "1 target not available on 'origin' (first: model.bin)")
        try repo.cairn("push", "--rev", "HEAD~2").assertSuccess().assertStdout(contains: "pushed 1 object")

        // fetch takes the same ranges (an empty end is HEAD): afterwards both versions check out offline.
        try copy.git("checkout", "-q", "main").assertSuccess()
        try copy.cairn("fetch", "--rev", "main~2..").assertSuccess().assertStdout(contains: "fetched 2 objects")
        try copy.cairn("checkout").assertSuccess()
        try assertContent(copy, "model.bin", sha256: v3)
        try copy.git("checkout", "-q", "HEAD~1").assertSuccess()
        try copy.cairn("checkout").assertSuccess()
        try assertContent(copy, "model.bin", sha256: v2)
        try copy.cairn("pull", "--rev", "\(try sha(copy, "main~2"))..main").assertSuccess()

        try copy.cairn("fetch", "--rev", "main~2...main").assertError(containing: "three-dot range")
        try copy.cairn("fetch", "--rev", "nope..main").assertError(containing: "unknown revision 'nope'")
    }

    func testPrePushWarnsAboutDataThatIsNowhereButDoesNotBlock() throws {
        let (repo, bare) = try teamRepo(hooks: true)
        // v1 is on the data remote before gc drops it locally: nothing to warn about.
        _ = try commitVersion(repo, seed: 21)
        try repo.cairn("push").assertSuccess()
        _ = try commitVersion(repo, seed: 22)
        try repo.cairn("gc").assertSuccess()
        let quiet = try gitPush(repo)
        XCTAssertFalse(quiet.stderr.contains("warning"), quiet.transcript)
        let copy = try teammate(bare)
        try copy.git("checkout", "-q", "HEAD~1").assertSuccess()
        try copy.cairn("pull").assertSuccess()

        // v3 was never pushed, and gc dropped it: the hook names it, and Git pushes the commits anyway.
        _ = try commitVersion(repo, seed: 23)
        let v3Commit = try sha(repo, "HEAD")
        let v4 = try commitVersion(repo, seed: 24)
        try repo.cairn("gc").assertSuccess()
        let warned = try gitPush(repo)
        XCTAssertTrue(warned.stderr.contains("cairn: pre-push: warning: data of the pushed commits is neither in the "
                                             + "local cache nor on 'origin'"), warned.transcript)
        XCTAssertTrue(warned.stderr.contains("    model.bin at commit \(v3Commit.prefix(7))"), warned.transcript)
        XCTAssertEqual(warned.stderr.components(separatedBy: "model.bin at commit").count, 2,
                       "only the unavailable version is named\n\(warned.transcript)")
        XCTAssertEqual(try repo.git("ls-remote", bare, "refs/heads/main").stdout.prefix(40),
                       try sha(repo, "HEAD").prefix(40), "the Git push went through")
        // The hint works: status names what the commit lacks.
        try repo.cairn("status", "--remote", "--rev", v3Commit).assertSuccess()
            .assertStdoutLine("    model.bin at commit \(v3Commit.prefix(7))")
        try copy.git("checkout", "-q", "main").assertSuccess()
        try copy.git("pull", "-q", "--ff-only").assertSuccess()
        try copy.cairn("pull").assertSuccess()
        try assertContent(copy, "model.bin", sha256: v4)
    }

    func testOnePullFetchesAChunkedFileInsideADirectory() throws {
        let (repo, bare) = try teamRepo(hooks: false)
        let sums = try chunkedDirectoryAndLargeFile(repo)
        try repo.cairn("push").assertSuccess()
        try gitPush(repo)
        try assertOnePullBringsEverything(try teammate(bare), sums)
    }

    func testPushOfTagsWhoseDataIsOnTheRemoteSucceeds() throws {
        let (repo, bare) = try teamRepo(hooks: false)
        _ = try commitVersion(repo, seed: 31)
        try repo.git("tag", "v1").assertSuccess()
        try repo.cairn("push").assertSuccess()
        _ = try commitVersion(repo, seed: 32)
        // Each version in a pack of its own, so the teammate's pull below gets only the second.
        try repo.cairn("push", "--all-tags").assertSuccess().assertStdout(contains: "pushed 1 object")
        try gitPush(repo, "--tags HEAD:refs/heads/main")
        // A teammate who pulled only main has the tag's data on the remote, not here: nothing to send.
        let copy = try teammate(bare)
        try copy.cairn("pull").assertSuccess()
        try copy.cairn("push", "--all-tags").assertSuccess().assertStdoutLine("Everything is up to date on 'origin'.")

        // Data on neither side: no "up to date", one error whose hint lists it when typed.
        let empty = try makeFolder()
        try copy.cairn("remote", "add", "other", empty).assertSuccess()
        let push = try copy.cairn("push", "-r", "other", "--all-tags")
        push.assertError(containing: "1 target not pushed: their data is neither in the local cache nor on 'other' "
                         + "(first: model.bin at commit \(try sha(copy, "v1").prefix(7)); "
                         + "`cairn status --remote -r other --all-tags` lists them)")
        push.assertStdout(lacks: "up to date")
        try copy.cairn("status", "--remote", "-r", "other", "--all-tags").assertSuccess()
            .assertStdoutLine("Missing from the cache and from 'other':")
    }

    /// On a terminal, pull shows one fetch bar and one checkout bar, each ending at 100 %.
    func testPullProgressEndsAtOneHundredPercentOnATerminal() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
            throw XCTSkip("script(1) (util-linux) is needed to run cairn on a pseudo-terminal")
        }
        let (repo, bare) = try teamRepo(hooks: false)
        _ = try chunkedDirectoryAndLargeFile(repo)
        try repo.cairn("push").assertSuccess()
        try gitPush(repo)
        let copy = try teammate(bare)
        let bin = CairnBinary.path
        // script(1) runs the command on a pseudo-terminal and copies what it writes to stdout.
        let run = try copy.shell("env -u CAIRN_NO_PROGRESS script -qec '\(bin) pull' /dev/null")
        XCTAssertEqual(run.exitCode, 0, run.transcript)
        // What stays on screen of each line: its last frame. (Split by scalars: "\r\n" is one Character.)
        let lines = run.stdout.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.split(separator: "\r").map { String(String.UnicodeScalarView($0)) }
                .last { !$0.isEmpty && $0 != "\u{1B}[K" } ?? ""
        }
        let fetchBars = lines.filter { $0.contains("Fetching [") }
        XCTAssertEqual(fetchBars.count, 1, "one fetch bar for all rounds\n\(run.stdout)")
        XCTAssertTrue(fetchBars.first?.contains("] 100% ") ?? false, "the fetch bar ends at 100 %\n\(run.stdout)")
        let checkoutBars = lines.filter { $0.contains("checking out [") }
        XCTAssertEqual(checkoutBars.count, 1, run.stdout)
        XCTAssertTrue(checkoutBars.first?.contains("] 100% ") ?? false, "the checkout bar ends at 100 %\n\(run.stdout)")
    }
}

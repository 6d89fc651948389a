import Foundation
import XCTest

/// The Git hooks, driven by the real git CLI: data on disk follows branch switches, merges and detached
/// checkouts; pre-commit refuses unrecorded changes; install/uninstall chain with the user's own hooks.
final class Issue3HookTests: EndToEndTestCase {
    /// git with the built cairn first on PATH, as the installed hook scripts find it.
    @discardableResult
    private func git(_ repo: TempRepo, _ arguments: String) throws -> CommandResult {
        let bin = (CairnBinary.path as NSString).deletingLastPathComponent
        return try repo.shell("PATH='\(bin)':\"$PATH\" git \(arguments)")
    }

    private func commitAll(_ repo: TempRepo, _ message: String) throws {
        try git(repo, "add -A").assertSuccess()
        try git(repo, "commit -qm '\(message)'").assertSuccess()
    }

    private func hookedRepo() throws -> TempRepo {
        let repo = try makeRepo()
        try repo.cairn("install-hooks").assertSuccess().assertStdoutLine("post-checkout: installed")
        try repo.write("data/x.txt", "main 1\n")
        try repo.write("data/d/a.txt", "a main\n")
        try repo.cairn("add", "data/x.txt", "data/d").assertSuccess()
        try commitAll(repo, "main 1")
        return repo
    }

    func testDataFollowsSwitchMergeDetachedHeadAndTags() throws {
        let repo = try hookedRepo()
        try git(repo, "switch -q -c feature").assertSuccess()
        try repo.write("data/x.txt", "feature\n")
        try repo.write("data/d/b.txt", "b feature\n")
        try repo.cairn("add", "data/x.txt", "data/d").assertSuccess()
        try commitAll(repo, "feature")
        try git(repo, "tag feature-tag").assertSuccess()

        let back = try git(repo, "switch -q -")
        back.assertSuccess()
        XCTAssertTrue(back.stderr.contains("cairn: post-checkout: updated"), back.transcript)
        XCTAssertEqual(try repo.readText("data/x.txt"), "main 1\n")
        XCTAssertFalse(repo.exists("data/d/b.txt"))

        try git(repo, "checkout -q feature-tag").assertSuccess()   // detached HEAD at a tag
        XCTAssertEqual(try repo.readText("data/x.txt"), "feature\n")
        try git(repo, "checkout -q HEAD~1").assertSuccess()
        XCTAssertEqual(try repo.readText("data/x.txt"), "main 1\n")
        try git(repo, "switch -q master || git switch -q main").assertSuccess()
        XCTAssertEqual(try repo.readText("data/x.txt"), "main 1\n")

        try git(repo, "merge -q --no-edit feature").assertSuccess()   // fast-forward: post-merge
        XCTAssertEqual(try repo.readText("data/x.txt"), "feature\n")
        XCTAssertEqual(try repo.readText("data/d/b.txt"), "b feature\n")
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")

        // A file checkout (flag 0) of a pointer leaves the data alone: the user restores files, not branches.
        try git(repo, "checkout -q HEAD~1 -- data/x.txt.cairn").assertSuccess()
        XCTAssertEqual(try repo.readText("data/x.txt"), "feature\n")
    }

    /// A local edit that is not in the cache must survive a branch switch: the hook refuses to clobber it,
    /// says clearly that the data was not updated, and exits 0 so that git's own switch stands.
    func testPostCheckoutNeverClobbersAndNeverFailsTheSwitch() throws {
        let repo = try hookedRepo()
        try git(repo, "switch -q -c other").assertSuccess()
        try repo.write("data/x.txt", "other\n")
        try repo.cairn("add", "data/x.txt").assertSuccess()
        try commitAll(repo, "other")
        try repo.write("data/x.txt", "precious local edit\n")
        let switched = try git(repo, "switch -q -")
        switched.assertSuccess()
        XCTAssertTrue(switched.stderr.contains("the data was NOT updated"), switched.transcript)
        XCTAssertTrue(switched.stderr.contains("data/x.txt"), switched.transcript)
        XCTAssertEqual(try repo.readText("data/x.txt"), "precious local edit\n")
        let branch = try git(repo, "rev-parse --abbrev-ref HEAD").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertNotEqual(branch, "other", "git's switch itself must have happened")
    }

    func testRebaseSkipsTheHookUntilDoneAndStashKeepsLocalData() throws {
        let repo = try hookedRepo()
        try git(repo, "switch -q -c topic").assertSuccess()
        try repo.write("data/x.txt", "topic\n")
        try repo.cairn("add", "data/x.txt").assertSuccess()
        try commitAll(repo, "topic")
        try git(repo, "switch -q -").assertSuccess()
        try repo.write("data/d/a.txt", "a changed on main\n")
        try repo.cairn("add", "data/d").assertSuccess()
        try commitAll(repo, "data on main")
        try git(repo, "switch -q topic").assertSuccess()
        XCTAssertEqual(try repo.readText("data/d/a.txt"), "a main\n")
        let rebase = try git(repo, "rebase -q -")
        rebase.assertSuccess()
        XCTAssertFalse(rebase.stderr.contains("post-checkout: updated"), "no checkout during a rebase\n\(rebase.transcript)")
        XCTAssertTrue(rebase.stderr.contains("cairn: post-rewrite: updated 1 tracked path: data/d"), rebase.transcript)
        XCTAssertEqual(try repo.readText("data/d/a.txt"), "a changed on main\n", "main's data, under the rebased topic")
        XCTAssertEqual(try repo.readText("data/x.txt"), "topic\n")
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")

        // Stash puts the pointer back without any hook; the new data is kept, and status says so.
        try repo.write("data/x.txt", "work in progress\n")
        try repo.cairn("add", "data/x.txt").assertSuccess()
        try git(repo, "stash -q").assertSuccess()
        try repo.cairn("status").assertSuccess().assertStdoutLine("data/x.txt: modified")
        try git(repo, "stash pop -q").assertSuccess()
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")
    }

    func testPreCommitRefusesUnrecordedChangesAndMissingData() throws {
        let repo = try hookedRepo()
        // Issue 8 item 7: only the pointers being committed count; a commit of code.py with an unrelated
        // unrecorded edit of data/x.txt goes through.
        try repo.write("data/x.txt", "edited but not added\n")
        try repo.write("code.py", "print(1)\n")
        try git(repo, "add code.py").assertSuccess()
        try git(repo, "commit -qm 'code only'").assertSuccess()

        // A pointer being committed whose data changed again after `cairn add` is refused.
        try repo.cairn("add", "data/x.txt").assertSuccess()
        try repo.write("data/x.txt", "edited again after add\n")
        try git(repo, "add data/x.txt.cairn").assertSuccess()
        let refused = try git(repo, "commit -qm 'try'")
        XCTAssertEqual(refused.exitCode, 1, refused.transcript)
        XCTAssertTrue(refused.stderr.contains("data/x.txt: changed since its pointer was written; run `cairn add data/x.txt`"),
                      refused.transcript)
        try git(repo, "commit -qm 'escape hatch' --no-verify").assertSuccess()

        try repo.cairn("add", "data/x.txt").assertSuccess()
        try repo.remove(".cairn/cache")   // the object the staged pointer names is gone
        try repo.makeDirectory(".cairn/cache")
        try git(repo, "add -A").assertSuccess()
        let missing = try git(repo, "commit -qm 'missing data'")
        XCTAssertEqual(missing.exitCode, 1, missing.transcript)
        XCTAssertTrue(missing.stderr.contains("data/x.txt: its pointer names sha256:"), missing.transcript)
    }

    /// The commit records the staged pointer, so that is the one pre-commit checks: a staged pointer naming data
    /// that is not in the cache is refused even when the work tree's pointer has been put back to a good one.
    func testPreCommitChecksTheStagedPointerNotTheWorkTreeCopy() throws {
        let repo = try hookedRepo()
        let good = try repo.readText("data/x.txt.cairn")
        let fakeID = String(repeating: "ab", count: 32)
        let lines = good.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("id: ") ? "id: sha256:\(fakeID)" : String(line)
        }
        try repo.write("data/x.txt.cairn", lines.joined(separator: "\n"))
        try git(repo, "add data/x.txt.cairn").assertSuccess()
        try repo.write("data/x.txt.cairn", good)   // work tree copy is fine again; the staged one is not
        let refused = try git(repo, "commit -qm 'staged bad pointer'")
        XCTAssertEqual(refused.exitCode, 1, refused.transcript)
        XCTAssertTrue(refused.stderr.contains("sha256:\(fakeID)"), refused.transcript)
    }

    /// Without cairn on PATH the hooks use the binary that installed them (git config cairn.binary), and
    /// uninstall removes that setting again.
    func testHooksUseTheInstallingBinaryWhenCairnIsNotOnPath() throws {
        let repo = try hookedRepo()
        XCTAssertEqual(try repo.git("config", "--get", "cairn.binary").stdout.trimmingCharacters(in: .whitespacesAndNewlines),
                       (CairnBinary.path as NSString).resolvingSymlinksInPath)
        try repo.shell("git switch -q -c other").assertSuccess()
        try repo.write("data/x.txt", "other 1\n")
        try repo.cairn("add", "data/x.txt").assertSuccess()
        try repo.shell("git add -A && git commit -qm other").assertSuccess()
        let back = try repo.shell("PATH=/usr/bin:/bin git switch -q -")
        back.assertSuccess()
        XCTAssertFalse(back.stderr.contains("skipped"), back.transcript)
        XCTAssertEqual(try repo.readText("data/x.txt"), "main 1\n")
        try repo.cairn("uninstall-hooks").assertSuccess()
        XCTAssertNotEqual(try repo.git("config", "--get", "cairn.binary").exitCode, 0)
    }

    func testPostCommitBindsThePendingVersion() throws {
        let repo = try hookedRepo()
        try repo.write("data/x.txt", "main 2\n")
        try repo.cairn("add", "data/x.txt").assertSuccess()
        let commit = try git(repo, "commit -qam 'main 2'")
        commit.assertSuccess()
        let sqlite = try repo.shell("command -v sqlite3 >/dev/null && sqlite3 .cairn/lineage.db "
            + "'SELECT count(*) FROM versions WHERE commit_sha IS NULL; SELECT count(*) FROM commits WHERE indexed = 1'")
        if sqlite.exitCode == 0 { XCTAssertEqual(sqlite.stdoutLines, ["0", "2"], sqlite.transcript) }
        try repo.cairn("log", "data/x.txt").assertSuccess().assertStdout(lacks: "pending")
        let push = try git(repo, "push -q . HEAD:refs/heads/copy")
        push.assertSuccess()
        XCTAssertTrue(push.stderr.contains("cairn: pre-push: no default remote, so no data is pushed"), push.transcript)
    }

    func testInstallChainsWithUserHooksUnderCoreHooksPathAndUninstallRestoresThem() throws {
        let repo = try makeRepo()
        try git(repo, "config core.hooksPath .githooks").assertSuccess()
        let userHook = "#!/bin/sh\necho user-hook-ran >> \"$(git rev-parse --show-toplevel)/user-hook.log\"\n"
        try repo.write(".githooks/post-commit", userHook)
        try repo.chmod(".githooks/post-commit", 0o750)
        try repo.makeDirectory("sub")
        let install = try repo.cairn("install-hooks", cwd: "sub").assertSuccess()
        install.assertStdoutLine("post-commit: installed; your hook was kept as post-commit.cairn-user and runs first")
        XCTAssertEqual(try repo.readText(".githooks/post-commit.cairn-user"), userHook)
        try repo.cairn("install-hooks").assertSuccess().assertStdoutLine("post-commit: updated")

        try addFile(repo, "data/x.txt", text: "x\n")
        try commitAll(repo, "with hooks")
        XCTAssertEqual(try repo.readText("user-hook.log"), "user-hook-ran\n", "the user's hook still runs")

        try repo.cairn("uninstall-hooks").assertSuccess().assertStdoutLine("post-commit: removed; your hook is back")
        XCTAssertEqual(try repo.readText(".githooks/post-commit"), userHook)
        let attributes = try FileManager.default.attributesOfItem(atPath: repo.path(".githooks/post-commit"))
        XCTAssertEqual(attributes[.posixPermissions] as? Int, 0o750)
        XCTAssertFalse(repo.exists(".githooks/post-commit.cairn-user"))
        XCTAssertFalse(repo.exists(".githooks/pre-commit"))
        try repo.cairn("hook", "post-nothing").assertError(containing: "post-nothing: not a cairn hook")
    }
}

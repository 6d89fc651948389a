import Foundation
import XCTest

/// Issue 10 item 9: `cairn install-hooks` registers a Git merge driver that merges cairn.lock stage by stage; the
/// real `git merge` uses it (with cairn on PATH, as the driver line names it).
final class MergeLockDriverTests: EndToEndTestCase {
    static func id(_ n: Int) -> String { "sha256:" + String(repeating: "0", count: 63) + String(n % 10) }

    /// A lock with stages a, b, c whose outs have the given ids (and b's command).
    static func lock(a: Int, b: Int, c: Int, bCommand: String = "make b") -> String {
        """
        # cairn.lock: written by cairn repro, committed to Git; do not edit (docs/formats.md)
        format: 1
        stages:
          a:
            cmd: make a
            outs:
            - {path: a.txt, type: file, id: "\(id(a))", size: 1}
          b:
            cmd: \(bCommand)
            outs:
            - {path: b.txt, type: file, id: "\(id(b))", size: 1}
          c:
            cmd: make c
            outs:
            - {path: c.txt, type: file, id: "\(id(c))", size: 1}

        """
    }

    /// Runs git with the directory of the built cairn first on PATH, so the driver `cairn merge-lock …` is found.
    func gitWithCairn(_ repo: TempRepo, _ command: String) throws -> CommandResult {
        let bin = (CairnBinary.path as NSString).deletingLastPathComponent
        return try repo.shell("PATH='\(bin)':\"$PATH\" git \(command)")
    }

    func branchedRepo(base: String, ours: String, theirs: String) throws -> TempRepo {
        let repo = try makeRepo()
        try repo.cairn("install-hooks").assertSuccess()
            .assertStdoutLine("cairn.lock: merge driver registered (merge.cairn-lock in .git/config, .git/info/attributes)")
        try repo.write("models/cairn.lock", base)
        try repo.shell("git add -A && git commit --no-verify -qm base && git branch -q other").assertSuccess()
        try repo.write("models/cairn.lock", ours)
        try repo.shell("git commit --no-verify -qam ours && git checkout -q other").assertSuccess()
        try repo.write("models/cairn.lock", theirs)
        try repo.shell("git commit --no-verify -qam theirs && git checkout -q -").assertSuccess()
        return repo
    }

    func testStagesChangedOnDifferentBranchesMerge() throws {
        let repo = try branchedRepo(base: Self.lock(a: 1, b: 2, c: 3), ours: Self.lock(a: 4, b: 2, c: 3, bCommand: "make b2"),
                                    theirs: Self.lock(a: 1, b: 2, c: 5))
        try gitWithCairn(repo, "merge -q other -m merged").assertSuccess()
        XCTAssertEqual(try repo.readText("models/cairn.lock"), Self.lock(a: 4, b: 2, c: 5, bCommand: "make b2"))
        XCTAssertEqual(try repo.git("status", "--porcelain").stdout, "")
    }

    /// Without cairn on PATH (an IDE's bare environment) the driver finds the binary that installed it.
    func testDriverFindsCairnThroughGitConfigWithoutPath() throws {
        let repo = try branchedRepo(base: Self.lock(a: 1, b: 2, c: 3), ours: Self.lock(a: 4, b: 2, c: 3),
                                    theirs: Self.lock(a: 1, b: 2, c: 5))
        try repo.shell("PATH=/usr/bin:/bin git merge -q other -m merged").assertSuccess()
        XCTAssertEqual(try repo.readText("models/cairn.lock"), Self.lock(a: 4, b: 2, c: 5))
    }

    func testAStageChangedOnBothBranchesConflictsAloneAndTheRestMerges() throws {
        let repo = try branchedRepo(base: Self.lock(a: 1, b: 2, c: 3), ours: Self.lock(a: 4, b: 2, c: 7),
                                    theirs: Self.lock(a: 1, b: 6, c: 8))
        let merge = try gitWithCairn(repo, "merge other -m merged")
        XCTAssertEqual(merge.exitCode, 1, merge.transcript)
        XCTAssertTrue(merge.stdout.contains("CONFLICT (content): Merge conflict in models/cairn.lock"), merge.transcript)
        XCTAssertTrue(merge.stderr.contains("cairn: models/cairn.lock: conflict in the lock entries of 'c'"), merge.transcript)
        let text = try repo.readText("models/cairn.lock")
        let ours = Self.lock(a: 4, b: 6, c: 7).components(separatedBy: "  c:\n")
        XCTAssertEqual(text, ours[0] + "<<<<<<< ours\n  c:\n" + ours[1] + "=======\n  c:\n"
                       + Self.lock(a: 4, b: 6, c: 8).components(separatedBy: "  c:\n")[1] + ">>>>>>> theirs\n")
        XCTAssertEqual(try repo.git("diff", "--name-only", "--diff-filter=U").stdout, "models/cairn.lock\n")
        // Keeping one side gives a lock that reads back (the codec's own text).
        let resolved = text.components(separatedBy: "\n").filter { !$0.hasPrefix("<<<<<<<") && !$0.hasPrefix(">>>>>>>") }
            .joined(separator: "\n").components(separatedBy: "=======\n  c:\n")[0]
        XCTAssertEqual(resolved, Self.lock(a: 4, b: 6, c: 7))
    }

    func testMalformedVersionLeavesOursUntouchedAndConflicts() throws {
        let repo = try makeRepo()
        let ours = Self.lock(a: 1, b: 1, c: 1)
        try repo.write("base.lock", Self.lock(a: 1, b: 2, c: 3))
        try repo.write("ours.lock", ours)
        try repo.write("theirs.lock", "format: 2\nstages: {}\n")
        let result = try repo.cairn("merge-lock", "base.lock", "ours.lock", "theirs.lock", "cairn.lock")
        result.assertError(containing: "cairn.lock:1: format: format 2 is not supported by this cairn")
        XCTAssertEqual(try repo.readText("ours.lock"), ours)
        // A file the ancestor did not have (git passes an empty file) merges as an empty lock.
        try repo.write("empty.lock", "")
        let conflict = try repo.cairn("merge-lock", "empty.lock", "ours.lock", "base.lock")
        XCTAssertEqual(conflict.exitCode, 1, conflict.transcript)
        XCTAssertEqual(conflict.stderrLines, ["cairn: cairn.lock: conflict in the lock entries of 'b', 'c' (changed differently on both sides); keep one side of each, or resolve the rest and run `cairn repro` to record them again"])
        try repo.write("ours.lock", ours)
        try repo.cairn("merge-lock", "empty.lock", "ours.lock", "ours.lock").assertSuccess()
        XCTAssertEqual(try repo.readText("ours.lock"), ours)
    }

    func testUninstallRemovesTheDriver() throws {
        let repo = try makeRepo()
        try repo.write(".git/info/attributes", "*.bin binary\n")
        try repo.cairn("install-hooks").assertSuccess()
        try repo.cairn("install-hooks").assertSuccess()
        XCTAssertEqual(try repo.readText(".git/info/attributes"),
                       "*.bin binary\n# cairn: merge cairn.lock stage by stage (cairn install-hooks; uninstall-hooks removes it)\ncairn.lock merge=cairn-lock\n")
        XCTAssertEqual(try repo.git("config", "--get", "merge.cairn-lock.driver").stdout,
                       #"cairn_bin=$(command -v cairn 2>/dev/null || git config --get cairn.binary); exec "${cairn_bin:-cairn}" merge-lock %O %A %B %P"# + "\n")
        XCTAssertEqual(try repo.git("check-attr", "merge", "--", "sub/cairn.lock").stdout, "sub/cairn.lock: merge: cairn-lock\n")
        XCTAssertFalse(repo.exists(".gitattributes"))
        try repo.cairn("uninstall-hooks").assertSuccess().assertStdoutLine("cairn.lock: merge driver removed")
        XCTAssertEqual(try repo.readText(".git/info/attributes"), "*.bin binary\n")
        XCTAssertNotEqual(try repo.git("config", "--get", "merge.cairn-lock.driver").exitCode, 0)
    }
}

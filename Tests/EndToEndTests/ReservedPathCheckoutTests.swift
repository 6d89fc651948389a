import Foundation
import XCTest

/// Issue 9 item 1: a committed pointer or tree that names `.git` or `.cairn` (any case, any depth) can never make
/// cairn write into or delete anything under Git's or cairn's own folders, with or without --force.
final class ReservedPathCheckoutTests: EndToEndTestCase {
    /// An empty directory's tree id, from a real `cairn add` (so the object exists in the store).
    private func emptyTreeID(_ repo: TempRepo) throws -> String {
        try repo.makeDirectory("empty")
        let pointer = try add(repo, "empty")
        return try XCTUnwrap(pointer["id"])
    }

    private func hostilePointer(_ repo: TempRepo, at pointerPath: String, path: String, id: String) throws {
        try repo.write(pointerPath, "format: 1\npath: \(path)\ntype: directory\nid: \(id)\nsize: 0\nfiles: 0\n")
    }

    /// The reproduction from the issue: `.git.cairn` naming `.git`, empty tree; `checkout --force` used to empty .git.
    func testGitPointerCannotEmptyDotGit() throws {
        let repo = try makeRepo()
        try repo.write("README.md", "hello\n")
        try repo.commitEverything("first")
        let id = try emptyTreeID(repo)
        try hostilePointer(repo, at: ".git.cairn", path: ".git", id: id)
        let headBefore = try repo.git("rev-parse", "HEAD").assertSuccess().stdout
        for arguments in [["checkout", "--force"], ["checkout"], ["checkout", "--force", ".git"], ["pull"]] {
            let result = try repo.cairnArgs(arguments)
            XCTAssertEqual(result.exitCode, 1, result.transcript)
            result.assertNoCrash()
            XCTAssertTrue(result.stderr.contains(".git"), result.transcript)
        }
        XCTAssertEqual(try repo.git("rev-parse", "HEAD").assertSuccess().stdout, headBefore, ".git must be intact")
        XCTAssertTrue(repo.exists(".git/HEAD") && repo.exists(".git/config"))
        let status = try repo.cairn("status")
        XCTAssertEqual(status.exitCode, 1, status.transcript)
        XCTAssertTrue(status.stderr.contains(".git.cairn") && status.stderr.contains("reserved"), status.transcript)
        let fsck = try repo.cairn("fsck")
        XCTAssertEqual(fsck.exitCode, 1, fsck.transcript)
    }

    /// `.cairn.cairn` used to wipe the store; any case and any depth is refused the same way.
    func testCairnPointerCannotWipeTheStoreInAnyCaseOrDepth() throws {
        let repo = try makeRepo()
        _ = try addFile(repo, "data/keep.txt", text: "precious\n")
        let id = try emptyTreeID(repo)
        let packsBefore = repo.files(under: ".cairn/cache/packs")
        for (pointerPath, path) in [(".cairn.cairn", ".cairn"), (".Git.cairn", ".Git"), ("data/.GIT.cairn", ".GIT"),
                                    ("data/.CAIRN.cairn", ".CAIRN")] {
            try hostilePointer(repo, at: pointerPath, path: path, id: id)
            let result = try repo.cairn("checkout", "--force")
            XCTAssertEqual(result.exitCode, 1, result.transcript)
            XCTAssertTrue(result.stderr.contains("reserved"), result.transcript)
            try repo.remove(pointerPath)
        }
        XCTAssertEqual(repo.files(under: ".cairn/cache/packs"), packsBefore, "the store is untouched")
        try repo.remove("data/keep.txt")
        try repo.cairn("checkout", "data/keep.txt").assertSuccess()
        XCTAssertEqual(try repo.readText("data/keep.txt"), "precious\n")
    }

    /// A directory holding a nested repository: its `.git` is skipped (never stored), so no tree cairn writes
    /// names it, and checkout never creates one.
    func testNestedGitFolderIsNotStoredOrRestored() throws {
        let repo = try makeRepo()
        try repo.write("data/set/a.txt", "a\n")
        try repo.write("data/set/.git/config", "[core]\n")
        try repo.write("data/set/sub/.Cairn/x", "x\n")
        let result = try repo.cairn("add", "data/set").assertSuccess()
        XCTAssertTrue(result.stderr.contains("skipping data/set/.git"), result.transcript)
        try repo.remove("data/set")
        try repo.cairn("checkout").assertSuccess()
        XCTAssertEqual(try repo.readText("data/set/a.txt"), "a\n")
        XCTAssertFalse(repo.exists("data/set/.git"))
        XCTAssertFalse(repo.exists("data/set/sub/.Cairn"))
    }

    /// Names with control characters cannot be tracked: refused by add, naming the file with the character escaped.
    func testControlCharacterNamesAreRefusedAndPrintedEscaped() throws {
        let repo = try makeRepo()
        try repo.write("data/set/ok.txt", "ok\n")
        try repo.write("data/set/bell\u{7}.txt", "x\n")
        let result = try repo.cairn("add", "data/set")
        result.assertError(containing: "data/set/bell\\x07.txt: cannot be tracked")
        XCTAssertFalse(result.stderr.contains("\u{7}"), "the raw control character reached the terminal")
        XCTAssertFalse(repo.exists("data/set.cairn"))
    }
}

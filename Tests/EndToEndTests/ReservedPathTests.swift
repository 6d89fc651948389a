import Foundation
import XCTest

/// A committed pointer is written by someone else: one that names `.git` or `.cairn` (in any case, at any depth)
/// must be refused by every command, and checkout, even with --force, must never write into or delete anything
/// under them. Before the fix, `.git.cairn` naming the empty tree made `checkout --force` empty `.git`.
final class ReservedPathTests: EndToEndTestCase {
    /// The id of the empty tree, taken from a real `cairn add` of an empty directory (so the object is in the store).
    private func emptyTreeID(_ repo: TempRepo) throws -> String {
        try repo.makeDirectory("empty")
        let id = try XCTUnwrap(try add(repo, "empty")["id"])
        try repo.remove("empty.cairn")
        return id
    }

    private func hostilePointer(name: String, id: String) -> String {
        "format: 1\npath: \(name)\ntype: directory\nid: \(id)\nsize: 0\nfiles: 0\n"
    }

    /// Files under `relative`, to prove nothing in it was touched.
    /// The files under `relative`, without SQLite's `-wal`/`-shm` companions: a command that exits on an error
    /// may leave them next to state.db (SQLite folds them back on the next open); they are not a change to the store.
    private func snapshot(_ repo: TempRepo, _ relative: String) -> [String] {
        repo.files(under: relative).filter { !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }.sorted()
    }

    func testPointersNamingGitOrCairnAreRefusedAndCheckoutTouchesNothing() throws {
        let cases = [(".git.cairn", ".git"), (".cairn.cairn", ".cairn"), (".GIT.cairn", ".GIT"),
                     (".Cairn.cairn", ".Cairn"), ("sub/.git.cairn", ".git"), ("sub/.CAIRN.cairn", ".CAIRN")]
        for (pointerPath, name) in cases {
            let repo = try makeRepo()
            let id = try emptyTreeID(repo)
            try repo.write(pointerPath, hostilePointer(name: name, id: id))
            let git = snapshot(repo, ".git"), store = snapshot(repo, ".cairn")
            XCTAssertFalse(git.isEmpty); XCTAssertFalse(store.isEmpty)
            for arguments in [["status"], ["fsck"], ["checkout"], ["checkout", "--force"], ["checkout", "--force", pointerPath]] {
                let result = try repo.cairnArgs(arguments)
                result.assertError(containing: ["cairn: error: \(pointerPath): ", "reserved for Git and cairn"])
            }
            XCTAssertEqual(snapshot(repo, ".git"), git, "\(pointerPath): checkout changed .git")
            XCTAssertEqual(snapshot(repo, ".cairn"), store, "\(pointerPath): checkout changed .cairn")
        }
    }

    /// A reserved or escaping name one level down (in a directory that looks like Git's) is refused the same way.
    func testReservedDirectoryComponentIsRefused() throws {
        let repo = try makeRepo()
        let id = try emptyTreeID(repo)
        try repo.write(".Git/hooks.cairn", hostilePointer(name: "hooks", id: id))
        let result = try repo.cairn("checkout", "--force")
        result.assertError(containing: ["cairn: error: .Git/hooks.cairn: ", "reserved"])
        XCTAssertFalse(repo.exists(".Git/hooks"))
    }

    func testPointerPathWithAControlCharacterIsRefusedAndEscaped() throws {
        let repo = try makeRepo()
        let id = try emptyTreeID(repo)
        try repo.write("data/a\u{1b}b.cairn", "format: 1\npath: \"a\\eb\"\ntype: directory\nid: \(id)\nsize: 0\nfiles: 0\n")
        let result = try repo.cairn("status")
        result.assertError(containing: "control character")
        XCTAssertFalse(result.stderr.contains("\u{1b}"), "a control character reached the terminal\n\(result.transcript)")
    }
}

import Foundation
import XCTest

/// Issue 8 item 8: linked worktrees use the main work tree's cache; `cache.dir` points several clones at one
/// cache; `cache.shared group` makes it group-writable; gc keeps what any work tree that uses the cache needs.
final class SharedCacheTests: EndToEndTestCase {
    private func packCount(_ folder: String) -> Int {
        (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".pack") }.count
    }

    func testLinkedWorktreeUsesTheMainCacheAndGcKeepsItsData() throws {
        let repo = try makeRepo()
        let mainData = try addFile(repo, "data/main.txt", text: "main data\n")
        try repo.commitEverything("main data")
        try repo.git("branch", "side").assertSuccess()
        let worktree = repo.base + "/wt"
        try repo.git("worktree", "add", "-q", worktree, "side").assertSuccess()

        // The data is there without a pull: the worktree reads the main cache.
        try repo.cairnArgs(["checkout"], cwd: worktree).assertSuccess()
        XCTAssertEqual(try String(contentsOfFile: worktree + "/data/main.txt", encoding: .utf8), "main data\n")
        // What the worktree adds goes into the main cache (no second store), and main's gc keeps it although
        // no pointer in main's work tree names it.
        try "side data\n".write(toFile: worktree + "/data/side.txt", atomically: true, encoding: .utf8)
        try repo.cairnArgs(["add", "data/side.txt"], cwd: worktree).assertSuccess()
        XCTAssertEqual(packCount(worktree + "/.cairn/cache"), 0, "the worktree has no store of its own")
        try repo.cairn("gc").assertSuccess()
        try repo.cairnArgs(["fsck"], cwd: worktree).assertSuccess()
        try FileManager.default.removeItem(atPath: worktree + "/data/side.txt")
        try repo.cairnArgs(["checkout", "data/side.txt"], cwd: worktree).assertSuccess()
        XCTAssertEqual(try String(contentsOfFile: worktree + "/data/side.txt", encoding: .utf8), "side data\n")
        // gc in the worktree keeps what the main work tree needs.
        try repo.cairnArgs(["gc"], cwd: worktree).assertSuccess()
        try repo.cairn("fsck").assertSuccess()
        XCTAssertEqual(try repo.sha256("data/main.txt"), mainData.sha256Hex)

        // Once the worktree is gone, its data is garbage.
        try repo.git("worktree", "remove", "--force", worktree).assertSuccess()
        let gc = try repo.cairn("gc", "--dry-run").assertSuccess()
        XCTAssertTrue(gc.stdout.hasPrefix("would remove 1 object,"), "the removed worktree's data is collectable now\n\(gc.transcript)")
        try repo.cairn("fsck").assertSuccess()
    }

    func testCacheDirSharesOneCacheBetweenClones() throws {
        let first = try makeRepo()
        let shared = first.base + "/shared-cache"
        try first.write(".cairn/config.local", "[cache]\n\tdir = \(shared)\n")
        let pointer = try addFile(first, "data/a.txt", text: "shared bytes\n")
        try first.commitEverything("data")
        XCTAssertGreaterThan(packCount(shared), 0, "objects are in the shared cache")
        XCTAssertEqual(packCount(first.root + "/.cairn/cache"), 0)

        let second = try gitClone(first)
        try second.write(".cairn/config.local", "[cache]\n\tdir = \(shared)\n")
        try second.cairn("checkout").assertSuccess()     // no remote, no pull: the shared cache has it
        XCTAssertEqual(try second.readText("data/a.txt"), "shared bytes\n")

        // gc in the first clone keeps what only the second clone's work tree names.
        try second.write("data/b.txt", "only in the second clone\n")
        try second.cairn("add", "data/b.txt").assertSuccess()
        try first.cairn("gc").assertSuccess()
        try second.remove("data/b.txt")
        try second.cairn("checkout").assertSuccess()
        XCTAssertEqual(try second.readText("data/b.txt"), "only in the second clone\n")
        XCTAssertEqual(try first.sha256("data/a.txt"), pointer.sha256Hex)
    }

    func testCacheSharedGroupMakesTheCacheGroupWritable() throws {
        let repo = try makeRepo()
        let shared = repo.base + "/team-cache"
        try repo.write(".cairn/config.local", "[cache]\n\tdir = \(shared)\n\tshared = group\n")
        try addFile(repo, "data/a.txt", text: "team data\n")
        let all = FileManager.default.enumerator(atPath: shared)?.allObjects as? [String] ?? []
        let packs = all.filter { $0.hasSuffix(".pack") || $0.hasSuffix(".idx") }
        XCTAssertFalse(packs.isEmpty)
        for file in packs {
            let mode = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: shared + "/" + file)[.posixPermissions] as? Int)
            XCTAssertEqual(mode & 0o020, 0o020, "\(file) is not group-writable: \(String(mode, radix: 8))")
        }
        let rootMode = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: shared)[.posixPermissions] as? Int)
        XCTAssertEqual(rootMode & 0o2070, 0o2070, "the cache folder is group rwx and set-group-id: \(String(rootMode, radix: 8))")
    }

    func testBadCacheSettingsAreOneLineErrorsNamingTheFile() throws {
        let repo = try makeRepo()
        try repo.write(".cairn/config.local", "[cache]\n\tshared = everyone\n")
        try repo.cairn("status").assertError(containing: "config.local: cache.shared must be 'group'")
        try repo.write(".cairn/config.local", "[cache]\n\tdir = ../repo/objects\n")
        try repo.cairn("status").assertError(containing: "inside the work tree")
    }
}

import Foundation
import XCTest

/// Issue 9 item 3: damaged packs are kept, not deleted. For each damaged-store fixture: read-only commands still
/// find the intact file, fsck says `corrupt` (naming the pack) for what is really damaged and never `missing`
/// for what is not, the next writing command quarantines the pack (reported) instead of deleting it, and the
/// intact file stays restorable throughout.
final class DamagedPackTests: EndToEndTestCase {
    /// The reproduction from the issue: no index, one flipped byte inside the first record.
    func testFlippedByteInAPackWithoutIndexLosesOnlyTheDamagedFile() throws {
        let f = try DamagedStoreFixture.make(self, damage: .flippedByteWithoutIndex)
        let repo = f.repo

        let status = try repo.cairn("status")
        status.assertNoCrash()
        XCTAssertFalse(status.stdout.contains("\(f.second.path): not in cache"), "intact file reported lost\n\(status.transcript)")

        let fsck = try repo.cairn("fsck")
        XCTAssertEqual(fsck.exitCode, 1, fsck.transcript)
        XCTAssertTrue(fsck.stdoutLines.contains { $0.hasPrefix("corrupt sha256:\(f.first.sha256) used by \(f.first.path)")
            && $0.contains(Paths.basename(f.pack)) }, "fsck must say corrupt and name the pack\n\(fsck.transcript)")
        XCTAssertFalse(fsck.stdout.contains("missing sha256:"), fsck.transcript)
        XCTAssertFalse(fsck.stdout.contains(f.second.path), "the intact file was blamed\n\(fsck.transcript)")
        fsck.assertStderr(contains: "is a damaged pack")

        // The next writing command quarantines the pack, says so, and keeps the intact file's object.
        try repo.write("data/c.csv", "c\n")
        let add = try repo.cairn("add", "data/c.csv").assertSuccess()
        add.assertStderr(contains: "cairn: warning: moved the damaged pack \(f.pack) to .cairn/cache/quarantine/")
        XCTAssertFalse(repo.exists(f.pack))
        XCTAssertTrue(f.quarantined.contains(".cairn/cache/quarantine/" + Paths.basename(f.pack)),
                      "the damaged pack must be kept: \(f.quarantined)")
        XCTAssertTrue(f.quarantined.contains { $0.hasSuffix(".report") }, "\(f.quarantined)")

        try assertSecondFileRestorable(f)
        let after = try repo.cairn("fsck")
        XCTAssertEqual(after.exitCode, 1, after.transcript)
        XCTAssertEqual(after.stdoutLines.filter { $0.hasPrefix("corrupt ") || $0.hasPrefix("missing ") }.count, 1, after.transcript)
        after.assertStdout(contains: "corrupt sha256:\(f.first.sha256) used by \(f.first.path)", "quarantine/")
        // Checkout of the damaged file fails with one line whose hint works (here: no remote, so it says that).
        try repo.remove(f.first.path)
        let checkout = try repo.cairn("checkout", f.first.path)
        checkout.assertError(containing: "is corrupt", oneLine: false)
        checkout.assertStderr(contains: "cairn fsck --repair")
        let repair = try repo.cairn("fsck", "--repair")
        XCTAssertEqual(repair.exitCode, 1, "nothing to repair from: the damage remains\n\(repair.transcript)")
        repair.assertStderr(contains: "no remote to repair from")
    }

    func testTruncatedPackKeepsEveryRecord() throws {
        let f = try DamagedStoreFixture.make(self, damage: .truncatedPack)
        let repo = f.repo
        let fsck = try repo.cairn("fsck")
        fsck.assertNoCrash()
        XCTAssertEqual(fsck.exitCode, 0, "every record of a pack cut by one byte still verifies\n\(fsck.transcript)")
        fsck.assertStderr(contains: "is a damaged pack (truncated")
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")

        let gc = try repo.cairn("gc").assertSuccess()
        gc.assertStderr(contains: "moved the damaged pack \(f.pack)")
        XCTAssertEqual(f.quarantined.filter { $0.hasSuffix(".pack") }.count, 1, "\(f.quarantined)")
        try repo.cairn("fsck").assertSuccess().assertStdoutLine("checked 2 unique file contents: no problems")
        try assertSecondFileRestorable(f)
        try repo.remove(f.first.path)
        try repo.cairn("checkout").assertSuccess()
        try assertContent(repo, f.first.path, sha256: f.first.sha256)
    }

    func testRenamedPackIsQuarantinedWithItsObjectsKept() throws {
        let f = try DamagedStoreFixture.make(self, damage: .renamedPack)
        let repo = f.repo
        try repo.cairn("fsck").assertSuccess().assertStderr(contains: "does not match the pack's name")
        let add = try repo.cairn("add", "data/a.bin").assertSuccess()
        add.assertStderr(contains: "moved the damaged pack \(f.pack)")
        XCTAssertTrue(f.quarantined.contains(".cairn/cache/quarantine/" + Paths.basename(f.pack)), "\(f.quarantined)")
        try repo.cairn("fsck").assertSuccess()
        try assertSecondFileRestorable(f)
        try repo.remove(f.first.path)
        try repo.cairn("checkout").assertSuccess()
        try assertContent(repo, f.first.path, sha256: f.first.sha256)
    }

    /// A pack whose index is missing but which is whole gets the index rebuilt, and the user is told.
    func testRebuiltIndexIsReported() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "x\n")
        let index = try XCTUnwrap(repo.files(under: DamagedStoreFixture.packs).first { $0.hasSuffix(".idx") })
        try repo.remove(index)
        try repo.cairn("fsck").assertSuccess().assertStderr(contains: "has no index")
        let repair = try repo.cairn("fsck", "--repair").assertSuccess()
        repair.assertStderr(contains: "cairn: warning: rebuilt the missing index of \(index.dropLast(4)).pack (1 object)")
        XCTAssertTrue(repo.exists(index))
        XCTAssertTrue(repo.files(under: ".cairn/cache/quarantine").isEmpty)
        let clean = try repo.cairn("fsck").assertSuccess()
        XCTAssertEqual(clean.stderr, "", clean.transcript)
    }

    func testDamagedIndexIsRebuiltAndReported() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "x\n")
        let index = try XCTUnwrap(repo.files(under: DamagedStoreFixture.packs).first { $0.hasSuffix(".idx") })
        try repo.flipByte(index, atFraction: 0.3)
        try repo.cairn("fsck").assertSuccess().assertStderr(contains: "has an unusable index")
        try repo.remove("data/x.csv")
        let checkout = try repo.cairn("checkout").assertSuccess()
        checkout.assertStderr(contains: "cairn: warning: rebuilt the damaged index of \(index.dropLast(4)).pack (1 object)")
        XCTAssertEqual(try repo.readText("data/x.csv"), "x\n")
        let clean = try repo.cairn("fsck").assertSuccess()
        XCTAssertEqual(clean.stderr, "", clean.transcript)
    }

    private func assertSecondFileRestorable(_ f: DamagedStoreFixture, file: StaticString = #filePath, line: UInt = #line) throws {
        try f.repo.remove(f.second.path)
        try f.repo.cairn("checkout", f.second.path).assertSuccess(file: file, line: line)
        try assertContent(f.repo, f.second.path, sha256: f.second.sha256, file: file, line: line)
    }
}

private enum Paths {
    static func basename(_ path: String) -> String { String(path.split(separator: "/").last ?? "") }
}

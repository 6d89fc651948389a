import Basics
import Foundation
import XCTest

/// A command that dies in the middle (a crash, an OOM kill, a closed laptop), at a named crash point so the test
/// cannot pass by the command finishing first: the next commands must work normally and leave no debris.
final class CrashRecoveryTests: EndToEndTestCase {
    private let bigSize = 200 << 20

    /// Temp files cairn may leave while working; after a normal command none may remain.
    private func tempDebris(_ repo: TempRepo) -> [String] {
        repo.files(under: ".cairn/cache/tmp") + repo.files(under: ".cairn/tmp")
    }

    /// Runs `cairn <arguments>` with crash point `point` armed and asserts that it died exactly there (exit 86
    /// and the marker line), so a test cannot pass because the command finished before the "crash".
    @discardableResult
    private func crash(_ repo: TempRepo, at point: CrashPoint, hit: Int = 1, _ arguments: [String],
                       file: StaticString = #filePath, line: UInt = #line) throws -> CommandResult {
        let result = try repo.cairnArgs(arguments, env: ["CAIRN_CRASH_AT": "\(point.rawValue):\(hit)"])
        XCTAssertEqual(result.exitCode, CrashPoint.exitStatus, "did not die at \(point.rawValue)\n\(result.transcript)",
                       file: file, line: line)
        XCTAssertTrue(result.stderr.contains("cairn: crash point \(point.rawValue)"), result.transcript, file: file, line: line)
        return result
    }

    func testKilledAddLeavesTheRepositoryUsable() throws {
        let repo = try makeRepo()
        try repo.writeSparse("data/big.bin", size: bigSize, seed: 61)
        // Die once the file's records are in the pack, before the pack has an index or the pointer exists.
        try crash(repo, at: .afterPackAppend, ["add", "data/big.bin"])

        // Either no pointer, or a complete, valid one: never a torn pointer file.
        if repo.exists("data/big.bin.cairn") {
            let pointer = try repo.pointer("data/big.bin.cairn")
            XCTAssertEqual(pointer["size"], "\(bigSize)", "torn pointer after kill -9:\n\(pointer.raw)")
        }
        let status = try repo.cairn("status")
        status.assertSuccess()

        let result = try repo.cairn("add", "data/big.bin").assertSuccess()
        result.assertStdout(contains: "data/big.bin")
        XCTAssertEqual(try repo.pointer("data/big.bin.cairn").sha256Hex, try repo.sha256("data/big.bin"))
        XCTAssertEqual(tempDebris(repo), [], "temp files from the killed add were left behind")
        try repo.cairn("fsck").assertSuccess()
        XCTAssertEqual(try repo.readText("data/.gitignore"), "/big.bin\n")
    }

    func testKilledCheckoutNeverLeavesAPartialFile() throws {
        let repo = try makeRepo()
        try repo.writeSparse("data/big.bin", size: 64 << 20, stride: 1 << 20, seed: 62)
        let hash = try repo.sha256("data/big.bin")
        try add(repo, "data/big.bin")
        try repo.remove("data/big.bin")

        // Die right after the first file of the checkout was written.
        try crash(repo, at: .midCheckout, ["checkout"])
        if repo.exists("data/big.bin") {
            XCTAssertEqual(try repo.sha256("data/big.bin"), hash, "a killed checkout left a partial data file")
        }

        try repo.cairn("checkout").assertSuccess()
        try assertContent(repo, "data/big.bin", sha256: hash)
        XCTAssertEqual(repo.files(under: "data").filter { !["data/big.bin", "data/big.bin.cairn", "data/.gitignore"].contains($0) },
                       [], "temp files of the killed checkout are still in the work tree")
        XCTAssertEqual(tempDebris(repo), [], "temp files of the killed checkout are still in .cairn")
        XCTAssertEqual(try repo.git("status", "--porcelain", "--untracked-files=all", "data").stdoutLines.sorted(),
                       ["?? data/.gitignore", "?? data/big.bin.cairn"], "Git sees debris of the killed checkout")
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")
    }

    /// After a killed add, the lock is free at once (flock dies with its holder): no waiting, no stale lock.
    func testKilledCommandDoesNotLeaveAStaleLock() throws {
        let repo = try makeRepo()
        try repo.writeSparse("data/big.bin", size: bigSize, seed: 63)
        try crash(repo, at: .beforeIndexRename, ["add", "data/big.bin"])
        try repo.write("data/small.csv", "1\n")
        let start = Date()
        let result = try repo.cairn("add", "data/small.csv", env: ["CAIRN_LOCK_TIMEOUT": "2"]).assertSuccess()
        XCTAssertFalse(result.stderr.contains("waiting for the repository lock"), result.transcript)
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
    }

    /// A file rewritten while `cairn add` reads it: whatever cairn records, the pointer's id must be the hash of
    /// exactly the bytes it stored (one pass for hashing and storing), so fsck and checkout stay consistent.
    func testFileChangingDuringAddIsRecordedConsistently() throws {
        let repo = try makeRepo()
        try repo.writeRandom("data/live.bin", size: 16 << 20, seed: 64)
        // Keep scribbling over the file for about a second, longer than the add takes.
        let writer = try repo.startShell(
            "i=0; while [ $i -lt 60 ]; do printf \"$i\" | dd of=data/live.bin bs=1 seek=$((i * 65536 + 4096)) conv=notrunc status=none; i=$((i+1)); sleep 0.01; done")
        let result = try repo.cairn("add", "data/live.bin")
        _ = writer.wait()
        result.assertNoCrash()
        guard result.exitCode == 0 else { return }  // refusing a file that changed under it is fine too
        let pointer = try repo.pointer("data/live.bin.cairn")
        try repo.cairn("fsck").assertSuccess()
        try repo.remove("data/live.bin")
        try repo.cairn("checkout").assertSuccess()
        XCTAssertEqual(try repo.sha256("data/live.bin"), pointer.sha256Hex,
                       "the stored bytes do not hash to the id in the pointer")
    }

    /// gc rewrites packs that hold both live and dead objects. Killed at any moment, it must leave every live
    /// object readable (new pack written before the old one is deleted).
    func testKilledGcNeverLosesLiveData() throws {
        let repo = try makeRepo()
        try repo.writeRandom("data/set/keep.bin", size: 8 << 20, seed: 65)
        try repo.writeRandom("data/set/drop.bin", size: 8 << 20, seed: 66)
        try add(repo, "data/set")
        try repo.remove("data/set/drop.bin")
        try add(repo, "data/set")
        let hash = try repo.sha256("data/set/keep.bin")
        let pristine = repo.base + "/cairn-before-gc"
        try FileManager.default.copyItem(atPath: repo.path(".cairn"), toPath: pristine)

        // Every place gc can die: while copying live records, before the new index is published, and after
        // the new pack is complete but before the old ones are deleted.
        let points: [(CrashPoint, Int)] = [(.afterPackAppend, 1), (.beforeIndexRename, 1), (.midGC, 1)]
        for (point, hit) in points {
            try repo.remove(".cairn")
            try FileManager.default.copyItem(atPath: pristine, toPath: repo.path(".cairn"))
            try crash(repo, at: point, hit: hit, ["gc"])
            let fsck = try repo.cairn("fsck")
            XCTAssertEqual(fsck.exitCode, 0, "live data damaged by a gc that died at \(point.rawValue)\n\(fsck.transcript)")
        }
        try repo.cairn("gc").assertSuccess()
        try repo.remove("data/set")
        try repo.cairn("checkout").assertSuccess()
        try assertContent(repo, "data/set/keep.bin", sha256: hash)
        XCTAssertEqual(tempDebris(repo), [])
    }
}

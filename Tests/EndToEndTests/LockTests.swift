import Foundation
import XCTest

/// Two cairn commands at once: the second waits for the repository lock instead of failing (DVC #10465).
final class LockTests: EndToEndTestCase {
    /// Holds an exclusive flock on `.cairn/lock` for `seconds` from a helper process, with the helper's pid
    /// written into the file the way cairn records the holder. Returns once the lock is really held.
    private func holdLock(_ repo: TempRepo, seconds: Int) throws -> (process: RunningProcess, pid: Int32) {
        let lock = repo.path(".cairn/lock")
        // `exec` keeps the shell's pid for flock, so $$ is the pid of the process holding the lock.
        let holder = try repo.startShell("echo $$ > '\(lock)'; exec flock -x '\(lock)' sleep \(seconds)")
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            // flock -n fails (exit 1) while someone else holds the lock.
            if try repo.shell("flock -n -x '\(lock)' true").exitCode == 1 { return (holder, holder.pid) }
            usleep(20_000)
        }
        _ = holder.wait()
        throw TestSetupError("the helper process never took the lock")
    }

    func testSecondCommandWaitsForTheLockAndThenSucceeds() throws {
        let repo = try makeRepo()
        try repo.write("data/x.csv", "1\n")
        let holder = try holdLock(repo, seconds: 3)
        let start = Date()
        let result = try repo.cairn("add", "data/x.csv")
        let waited = Date().timeIntervalSince(start)
        _ = holder.process.wait()

        result.assertSuccess()
        XCTAssertGreaterThanOrEqual(waited, 1.5, "add should have waited for the lock\n\(result.transcript)")
        result.assertStderr(contains: "cairn: waiting for the repository lock held by pid \(holder.pid)...")
        XCTAssertTrue(repo.exists("data/x.csv.cairn"))
    }

    func testLockTimeoutFailsNamingTheHolder() throws {
        let repo = try makeRepo()
        try repo.write("data/x.csv", "1\n")
        // The holder outlives the 1 s timeout and then ends by itself (killing flock would orphan its `sleep`,
        // which inherits the locked descriptor).
        let holder = try holdLock(repo, seconds: 3)
        let start = Date()
        let result = try repo.cairn("add", "data/x.csv", env: ["CAIRN_LOCK_TIMEOUT": "1"])
        let waited = Date().timeIntervalSince(start)
        _ = holder.process.wait()

        result.assertError(containing: ["cairn: error: timed out after 1 s waiting for the repository lock",
                                        "held by pid \(holder.pid)"], oneLine: false)
        XCTAssertLessThan(waited, 2.8, "CAIRN_LOCK_TIMEOUT=1 was not honoured")
        XCTAssertFalse(repo.exists("data/x.csv.cairn"), "a command that never got the lock must not write")
    }

    /// Read-only commands should not block behind a writer forever either: status must finish once the lock
    /// is released (whether it takes a shared lock or none).
    func testStatusCompletesWhileAnotherCommandHoldsTheLock() throws {
        let repo = try makeRepo()
        try addFile(repo, "data/x.csv", text: "1\n")
        let holder = try holdLock(repo, seconds: 1)
        let result = try repo.cairn("status")
        _ = holder.process.wait()
        result.assertSuccess().assertStdoutLine("Everything is up to date.")
    }

    /// Two real cairn processes adding different files at the same time both succeed, and both pointers are valid.
    func testConcurrentAddsBothSucceed() throws {
        let repo = try makeRepo()
        try repo.writeRandom("data/a.bin", size: 2 << 20, seed: 51)
        try repo.writeRandom("data/b.bin", size: 2 << 20, seed: 52)
        let first = try repo.startCairn("add", "data/a.bin")
        let second = try repo.startCairn("add", "data/b.bin")
        first.wait().assertSuccess()
        second.wait().assertSuccess()
        XCTAssertEqual(try repo.pointer("data/a.bin.cairn").sha256Hex, try repo.sha256("data/a.bin"))
        XCTAssertEqual(try repo.pointer("data/b.bin.cairn").sha256Hex, try repo.sha256("data/b.bin"))
        XCTAssertEqual(Set(try repo.readText("data/.gitignore").split(separator: "\n")), ["/a.bin", "/b.bin"],
                       "concurrent adds lost a .gitignore entry")
        try repo.cairn("fsck").assertSuccess()
    }

    /// gc racing an add must never collect the objects the add is about to reference.
    func testGcRacingAnAddKeepsTheNewData() throws {
        let repo = try makeRepo()
        try repo.writeRandom("data/new.bin", size: 12 << 20, seed: 53)
        let hash = try repo.sha256("data/new.bin")
        let adding = try repo.startCairn("add", "data/new.bin")
        usleep(100_000)
        let collecting = try repo.startCairn("gc")
        adding.wait().assertSuccess()
        collecting.wait().assertSuccess()
        try repo.cairn("fsck").assertSuccess()
        try repo.remove("data/new.bin")
        try repo.cairn("checkout").assertSuccess()
        try assertContent(repo, "data/new.bin", sha256: hash)
    }
}

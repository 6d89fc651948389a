import XCTest
import Foundation
import Basics
@testable import ObjectStore

/// A process that is storing and committing dies at a crash point (`CAIRN_CRASH_AT`), then check the store is usable: after a sweep, every
/// object whose commit returned is readable and verifies, and nothing in the store is corrupt.
final class CrashTests: XCTestCase {
    /// Where each round's writer dies: mid-pack, before an index is published, and later mid-pack.
    private let crashPoints = ["after-pack-append:8", "before-index-rename:6", "after-pack-append:13"]

    func testKillDuringWritesLeavesAUsableStore() throws {
        let root = try makeTemporaryDirectory(self)
        let cache = Paths.join(root, "cache")
        for round in 0..<3 {
            let child = Process()
            child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
            child.arguments = ["ObjectStoreTests.CrashWriter/testWriteUntilKilled"]
            // A named crash point, not a kill after a random sleep: the writer dies at a known place, and the
            // round fails if it never got there.
            let point = crashPoints[round]
            child.environment = ["CAIRN_CRASH_DIR": root, "CAIRN_CRASH_ROUND": "\(round)",
                                 "CAIRN_CRASH_AT": point]
            child.standardOutput = FileHandle.nullDevice
            child.standardError = FileHandle.nullDevice
            try child.run()
            let log = Paths.join(root, "committed-\(round)")
            // The writer never stops by itself: one that misses its point is stopped and fails the round.
            let deadline = Date().addingTimeInterval(60)
            while child.isRunning && Date() < deadline { usleep(10_000) }
            if child.isRunning { kill(child.processIdentifier, SIGKILL) }
            child.waitUntilExit()
            XCTAssertEqual(child.terminationReason, .exit, "round \(round): \(point) was never reached")
            XCTAssertEqual(child.terminationStatus, CrashPoint.exitStatus, "the writer did not die at \(point)")

            let store = try ObjectStore.forTests(cache)
            try store.sweepTemporaryFiles()
            XCTAssertEqual(try FS.listDirectory(Paths.join(cache, "tmp")).count, 0)
            XCTAssertEqual(store.verifyAll(), [], "round \(round)")
            let committed = try FS.readString(log).split(separator: "\n").compactMap { ObjectID(hex: $0) }
            XCTAssertGreaterThanOrEqual(committed.count, 3, "the writer made progress in round \(round)")
            for id in committed { XCTAssertEqual(store.verifyFile(id), [], "committed \(id.short) must survive") }
        }
    }
}

/// The child side of CrashTests: runs only when started by it.
final class CrashWriter: XCTestCase {
    func testWriteUntilKilled() throws {
        let env = ProcessInfo.processInfo.environment
        guard let root = env["CAIRN_CRASH_DIR"], let round = env["CAIRN_CRASH_ROUND"] else {
            throw XCTSkip("started by CrashTests only")
        }
        let store = try ObjectStore.forTests(Paths.join(root, "cache"), packTargetSize: 100_000)
        let log = Paths.join(root, "committed-\(round)")
        let fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        var i: UInt64 = 0
        while true {
            let path = Paths.join(root, "input-\(round)")
            try writeFile(path, csvLikeBytes(Int(i % 5) * 20_000 + 1000, seed: i + 1000 * (UInt64(round) ?? 0)))
            let id = try store.storeFile(path: path).id
            if i % 3 == 0 {
                try store.commit()
                // Only now may the id be recorded (like a pointer file).
                _ = Array("\(id.hex)\n".utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                fsync(fd)
            }
            i += 1
        }
    }
}

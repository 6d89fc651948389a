import XCTest
import Foundation
import Basics
@testable import ObjectStore

/// kill -9 a process that is storing and committing, then check the store is usable: after a sweep, every
/// object whose commit returned is readable and verifies, and nothing in the store is corrupt.
final class CrashTests: XCTestCase {
    func testKillDuringWritesLeavesAUsableStore() throws {
        let root = try makeTemporaryDirectory(self)
        let cache = Paths.join(root, "cache")
        for round in 0..<3 {
            let child = Process()
            child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
            child.arguments = ["ObjectStoreTests.CrashWriter/testWriteUntilKilled"]
            child.environment = ["CAIRN_CRASH_DIR": root, "CAIRN_CRASH_ROUND": "\(round)"]
            child.standardOutput = FileHandle.nullDevice
            child.standardError = FileHandle.nullDevice
            try child.run()
            // Wait until the writer has committed something, then kill it mid-flight.
            let log = Paths.join(root, "committed-\(round)")
            let deadline = Date().addingTimeInterval(20)
            while (try? FS.readString(log))?.split(separator: "\n").count ?? 0 < 3 && Date() < deadline && child.isRunning {
                usleep(10_000)
            }
            usleep(UInt32.random(in: 0..<50_000))
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()

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

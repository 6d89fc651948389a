import Foundation
import XCTest
@testable import Basics

final class ObjectIDTests: XCTestCase {
    func testMatchesSha256sumOfKnownInputs() {
        XCTAssertEqual(ObjectID.empty.hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(ObjectID.of(Array("abc".utf8)).hex,
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testHexRoundTripAndOrdering() {
        let a = ObjectID(hex: String(repeating: "0", count: 63) + "1")!
        let b = ObjectID(hex: "1" + String(repeating: "0", count: 63))!
        XCTAssertLessThan(a, b)
        XCTAssertEqual(ObjectID(hex: b.hex), b)
        XCTAssertEqual(ObjectID(prefixed: "sha256:" + a.hex.uppercased()), a)
        XCTAssertNil(ObjectID(hex: "xyz"))
        XCTAssertNil(ObjectID(hex: String(repeating: "g", count: 64)))
        XCTAssertNil(ObjectID(prefixed: "md5:" + a.hex))
    }

    func testStreamingHashEqualsOneShot() throws {
        let path = FS.currentDirectory() + "/.tmp-hash-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FS.removeFile(path) }
        let data = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try FS.writeAtomically(path, data)
        let (id, size) = try ContentHasher.hashFile(path)
        XCTAssertEqual(id, ObjectID.of(data))
        XCTAssertEqual(size, 3_000_000)
    }
}

final class PathsTests: XCTestCase {
    func testUnsafeRelativePaths() {
        XCTAssertNil(Paths.unsafeReason("a/b c/d.csv"))
        XCTAssertNotNil(Paths.unsafeReason("../x"))
        XCTAssertNotNil(Paths.unsafeReason("a/../../x"))
        XCTAssertNotNil(Paths.unsafeReason("/abs"))
        XCTAssertNotNil(Paths.unsafeReason("a//b"))
        XCTAssertNotNil(Paths.unsafeReason(""))
        XCTAssertNotNil(Paths.unsafeReason("./a"))
        for reserved in [".git", ".GIT", "a/.git/b", ".cairn", "x/.CaIrN", "a/b\u{7}c", "a\u{1b}"] {
            XCTAssertNotNil(Paths.unsafeReason(reserved), reserved)
        }
        XCTAssertNil(Paths.unsafeReason(".gitignore"))
        XCTAssertNil(Paths.unsafeReason("x.git/.cairnrc"))
        XCTAssertEqual(Paths.quoted("a\nb\u{1b}[2J\u{9b}c"), "a\\nb\\x1b[2J\\u9bc")
        XCTAssertEqual(Paths.quoted("café ok"), "café ok")
        XCTAssertNotEqual(PathKey("caf\u{E9}"), PathKey("cafe\u{301}"), "String == would call these equal")
        XCTAssertEqual(Set([PathKey("caf\u{E9}"), PathKey("cafe\u{301}"), PathKey("caf\u{E9}")]).count, 2)
    }

    func testAbsoluteAndRelative() {
        XCTAssertEqual(Paths.absolute("../b/./c", cwd: "/r/a"), "/r/b/c")
        XCTAssertEqual(Paths.absolute("/../..", cwd: "/r"), "/")
        XCTAssertEqual(Paths.relative("/r/a", to: "/r"), "a")
        XCTAssertNil(Paths.relative("/rx/a", to: "/r"))
        XCTAssertEqual(Paths.relative("/r", to: "/r"), "")
    }
}

final class FileLockTests: XCTestCase {
    func testSecondExclusiveLockTimesOutNamingTheHolder() throws {
        let path = FS.currentDirectory() + "/.tmp-lock-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FS.removeFile(path) }
        let held = try FileLock(path: path, mode: .exclusive)
        var notices: [String] = []
        XCTAssertThrowsError(try FileLock(path: path, mode: .exclusive, timeout: 0.3, noticeAfter: 0.1) { notices.append($0) }) {
            XCTAssertTrue("\($0)".contains("pid \(getpid())"), "\($0)")
        }
        XCTAssertEqual(notices.count, 1)
        withExtendedLifetime(held) {}
    }

    func testSharedLocksCoexist() throws {
        let path = FS.currentDirectory() + "/.tmp-lock-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FS.removeFile(path) }
        let a = try FileLock(path: path, mode: .shared)
        let b = try FileLock(path: path, mode: .shared, timeout: 0.2)
        withExtendedLifetime((a, b)) {}
    }
}

final class ParallelTests: XCTestCase {
    func testVisitsEveryIndexOnceAndRethrows() throws {
        let seen = Locked([Int]())
        try Parallel.forEach(1000, workers: 4) { i in seen.withLock { $0.append(i) } }
        XCTAssertEqual(seen.snapshot.sorted(), Array(0..<1000))
        struct Boom: Error {}
        XCTAssertThrowsError(try Parallel.forEach(100) { i in if i == 50 { throw Boom() } })
    }
}

/// Library code reports through the diagnostics sink; progress always ends at its total.
final class DiagnosticsTests: XCTestCase {
    final class Recorder: DiagnosticsSink, @unchecked Sendable {
        let updates = Locked<[ProgressUpdate]>([])
        func report(_ kind: DiagnosticKind, _ message: String) {}
        var showsProgress: Bool { true }
        func progress(_ update: ProgressUpdate) { updates.withLock { $0.append(update) } }
    }

    func testProgressFinishesOnceShowingWhereTheWorkEnded() throws {
        let recorder = Recorder()
        let progress = Progress("fetching", total: 1000, unit: .bytes, sink: recorder)
        progress.advance(by: 400)          // first advance always reports (no report yet)
        progress.finish()
        progress.finish()
        let updates = recorder.updates.snapshot
        XCTAssertEqual(updates.map(\.finished), [false, true], "one in-flight update, one final")
        XCTAssertEqual(updates.last?.done, 400, "a bar that stopped short does not claim 100 %")
    }

    func testNothingIsReportedWhenTheSinkShowsNoProgress() throws {
        let collecting = CollectingDiagnostics()
        let progress = Progress("x", total: 10, unit: .files, sink: collecting)
        progress.advance(by: 10)
        progress.finish()
        Diagnostics.install(collecting)
        defer { Diagnostics.install(SilentDiagnostics()) }
        Diagnostics.warning("disk nearly full")
        Diagnostics.notice("waiting for the lock")
        XCTAssertEqual(collecting.messages(.warning), ["disk nearly full"])
        XCTAssertEqual(collecting.messages(.notice), ["waiting for the lock"])
    }

    func testCountedAgreesWithItsNoun() {
        XCTAssertEqual(Counted.of(1, "object"), "1 object")
        XCTAssertEqual(Counted.of(0, "object"), "0 objects")
        XCTAssertEqual(Counted.of(UInt64(2), "pack"), "2 packs")
    }
}

/// Issue 8 item 10: writeAtomically's failure path closes its descriptor once and leaves nothing behind.
final class AtomicWriteFailureTests: XCTestCase {
    private func openDescriptorCount() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
    }

    func testFailedRenameLeavesNoTempFileAndNoOpenDescriptor() throws {
        let dir = NSTemporaryDirectory() + "/cairn-atomic-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/target/inside", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let before = openDescriptorCount()
        // rename(2) of a file over a non-empty directory fails (EISDIR).
        XCTAssertThrowsError(try FS.writeAtomically(dir + "/target", "data")) { error in
            let cairn = error as? CairnError
            XCTAssertTrue(cairn?.message.contains("rename") ?? false, "\(error)")
            XCTAssertTrue(cairn?.isLocalIO ?? false, "a failed rename is a local I/O failure: \(error)")
        }
        XCTAssertEqual(openDescriptorCount(), before, "the temp file's descriptor must be closed")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".cairn-tmp-") }
        XCTAssertEqual(leftovers, [], "the temp file must be removed")
    }

    func testErrorKindsTellAFullDiskFromOtherFailures() {
        XCTAssertEqual(CairnError.posix("write", "/x", errno: ENOSPC).kind, .noSpace)
        XCTAssertEqual(CairnError.posix("write", "/x", errno: EDQUOT).kind, .noSpace)
        XCTAssertEqual(CairnError.posix("open", "/x", errno: EIO).kind, .localIO(errno: EIO))
        XCTAssertEqual(CairnError("pack fails verification").kind, .failure)
        XCTAssertFalse(CairnError("pack fails verification").isLocalIO)
        XCTAssertEqual(CairnError.bug("x").kind, .bug)
    }

    func testMutexSerialisesManyThreads() throws {
        let counter = Locked(0)
        try Parallel.forEach(10_000, workers: 8) { _ in counter.withLock { $0 += 1 } }
        XCTAssertEqual(counter.snapshot, 10_000)
    }
}

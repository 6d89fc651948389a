import Foundation
import XCTest
import Basics
@testable import ObjectStore

final class StoreMaintenanceTests: XCTestCase {
    var root = ""
    var cache = ""
    var store: ObjectStore!

    override func setUpWithError() throws {
        root = try makeTemporaryDirectory(self)
        cache = Paths.join(root, "cache")
        store = try ObjectStore.forTests(cache)
    }

    func storeFile(_ bytes: [UInt8], name: String) throws -> ObjectID {
        let path = Paths.join(root, name)
        try writeFile(path, bytes)
        return try store.storeFile(path: path).id
    }

    func testGarbageCollectionKeepsReachableObjects() throws {
        let keptFile = try storeFile(csvLikeBytes(4000, seed: 1), name: "kept")
        let keptLarge = try storeFile(csvLikeBytes(300_000, seed: 2), name: "keptLarge")
        let underTree = try storeFile(csvLikeBytes(5000, seed: 3), name: "underTree")
        let underSubtree = try storeFile(csvLikeBytes(200_000, seed: 4), name: "underSubtree")
        let deadSmall = try storeFile(csvLikeBytes(6000, seed: 5), name: "dead")
        let deadLarge = try storeFile(pseudoRandomBytes(200_000, seed: 6), name: "deadLarge")
        let subtree = try store.storeTree(Tree(entries: [
            TreeEntry(name: "s.csv", kind: .file, id: underSubtree, size: 200_000)]))
        let tree = try store.storeTree(Tree(entries: [
            TreeEntry(name: "sub", kind: .directory, id: subtree, size: 200_000, fileCount: 1),
            TreeEntry(name: "t.csv", kind: .file, id: underTree, size: 5000)]))
        let deadTree = try store.storeTree(Tree(entries: [TreeEntry(name: "x", kind: .file, id: deadSmall, size: 6000)]))
        try store.commit()
        let deadChunks = try XCTUnwrap(try store.readManifest(deadLarge)).chunks.map(\.id)
        let keptChunks = try XCTUnwrap(try store.readManifest(keptLarge)).chunks.map(\.id)
        let sizeBefore = store.totalStoredBytes
        let countBefore = store.objectCount

        let roots: Set<ObjectID> = [keptFile, keptLarge, tree, ObjectID.of([9, 9, 9])]
        let preview = try store.collectGarbage(keeping: roots, dryRun: true)
        XCTAssertEqual(store.totalStoredBytes, sizeBefore, "a dry run changes nothing")
        XCTAssertEqual(store.objectCount, countBefore)
        XCTAssertEqual(preview.removedObjects, 3 + deadChunks.count)

        let report = try store.collectGarbage(keeping: roots, dryRun: false)
        XCTAssertEqual(report, preview, "the dry run predicts the real run")
        XCTAssertEqual(report.rewrittenPacks, 1)
        XCTAssertGreaterThan(report.removedBytes, 200_000)
        XCTAssertLessThan(store.totalStoredBytes, sizeBefore)
        XCTAssertEqual(sizeBefore - store.totalStoredBytes, report.removedBytes, "removed bytes are the records dropped")

        let reopened = try ObjectStore.forTests(cache)
        for id in [keptFile, keptLarge, tree, subtree, underTree, underSubtree] + keptChunks {
            XCTAssertTrue(reopened.hasObject(id), "\(id.short) must be kept")
        }
        for id in [deadSmall, deadLarge, deadTree] + deadChunks {
            XCTAssertFalse(reopened.hasObject(id), "\(id.short) must be removed")
        }
        XCTAssertEqual(reopened.verifyFile(keptLarge), [])
        XCTAssertEqual(reopened.verifyFile(underSubtree), [])
        XCTAssertEqual(reopened.verifyAll(), [])
        XCTAssertEqual(try reopened.collectGarbage(keeping: roots, dryRun: false), GarbageReport(), "nothing left to do")
    }

    /// A gc killed after writing its new pack but before deleting the old one leaves both. The next gc writes
    /// the same pack again (packs are named by content) and must not then delete it as one of the old packs.
    func testGarbageCollectionAfterAKilledGcKeepsTheRewrittenPack() throws {
        let kept = try storeFile(csvLikeBytes(5000, seed: 21), name: "kept")
        let dead = try storeFile(csvLikeBytes(6000, seed: 22), name: "dead")
        try store.commit()
        let before = Paths.join(root, "before")
        try FileManager.default.copyItem(atPath: cache, toPath: before)
        _ = try store.collectGarbage(keeping: [kept], dryRun: false)
        let rewritten = try XCTUnwrap(store.packPaths.first)
        let rewrittenBytes = try FS.readAll(rewritten)
        // The killed gc's state: the old pack and index, plus the new pack without its index.
        try FileManager.default.removeItem(atPath: cache)
        try FileManager.default.copyItem(atPath: before, toPath: cache)
        try FS.writeAtomically(Paths.join(cache, "packs/" + Paths.basename(rewritten)), rewrittenBytes)
        let reopened = try ObjectStore.forTests(cache)
        try reopened.sweepTemporaryFiles()
        _ = try reopened.collectGarbage(keeping: [kept], dryRun: false)
        XCTAssertEqual(try ObjectStore.forTests(cache).verifyFile(kept), [])
        XCTAssertFalse(try ObjectStore.forTests(cache).hasObject(dead))
    }

    func testGarbageCollectionOfEverything() throws {
        _ = try storeFile(csvLikeBytes(4000, seed: 7), name: "a")
        try store.commit()
        let report = try store.collectGarbage(keeping: [], dryRun: false)
        XCTAssertEqual(report.removedObjects, 1)
        XCTAssertEqual(store.packPaths, [])
        XCTAssertEqual(store.totalStoredBytes, 0)
    }

    func testGarbageCollectionRefusesWhenAKeptTreeIsUnreadable() throws {
        let file = try storeFile(csvLikeBytes(4000, seed: 8), name: "a")
        let tree = try store.storeTree(Tree(entries: [TreeEntry(name: "a", kind: .file, id: file, size: 4000)]))
        try store.commit()
        try store.corrupt(tree)
        XCTAssertThrowsMessage(try store.collectGarbage(keeping: [tree], dryRun: false), contains: "is corrupt")
        XCTAssertTrue(store.hasObject(file), "nothing is deleted when liveness is unknown")
    }

    func testSweepRemovesTemporaryFilesAndAbandonedPacks() throws {
        do {
            // A writer that dies before commit leaves its pack in tmp/.
            let crashed = try ObjectStore.forTests(cache)
            let path = Paths.join(root, "lost")
            try writeFile(path, csvLikeBytes(5000, seed: 9))
            _ = try crashed.storeFile(path: path)
        }
        try writeFile(Paths.join(cache, "tmp/junk.idx"), [1, 2, 3])
        let tmp = Paths.join(cache, "tmp")
        XCTAssertEqual(try FS.listDirectory(tmp).count, 2)
        try store.sweepTemporaryFiles()
        XCTAssertEqual(try FS.listDirectory(tmp).count, 0)
    }

    func testSweepKeepsTheActivePackOfThisStore() throws {
        let id = try storeFile(csvLikeBytes(5000, seed: 10), name: "a")
        try store.sweepTemporaryFiles()
        try store.commit()
        XCTAssertEqual(try ObjectStore.forTests(cache).verifyFile(id), [])
    }

    func testSweepRebuildsAMissingIndex() throws {
        let small = try storeFile(csvLikeBytes(5000, seed: 11), name: "a")
        let large = try storeFile(csvLikeBytes(400_000, seed: 12), name: "b")
        try store.commit()
        let pack = try XCTUnwrap(store.packPaths.first)
        let index = String(pack.dropLast(5)) + ".idx"
        let originalIndex = try FS.readAll(index)
        try FS.removeFile(index)
        let reopened = try ObjectStore.forTests(cache)
        XCTAssertTrue(reopened.hasObject(small), "a pack without an index is scanned in memory")
        XCTAssertFalse(FS.exists(index), "opening the store writes nothing; only the sweep does")
        try reopened.sweepTemporaryFiles()
        XCTAssertEqual(try FS.readAll(index), originalIndex, "the rebuilt index is the original one")
        XCTAssertEqual(reopened.verifyFile(small), [])
        XCTAssertEqual(reopened.verifyFile(large), [])
        XCTAssertTrue(try ObjectStore.forTests(cache).hasFile(large))
    }

    func testSweepRebuildsADamagedIndex() throws {
        let id = try storeFile(csvLikeBytes(5000, seed: 13), name: "a")
        try store.commit()
        let index = String(try XCTUnwrap(store.packPaths.first).dropLast(5)) + ".idx"
        try flipByte(index, at: 20)
        let reopened = try ObjectStore.forTests(cache)
        XCTAssertTrue(reopened.hasObject(id), "a damaged index is not trusted: the pack is scanned instead")
        try reopened.sweepTemporaryFiles()
        XCTAssertEqual(reopened.verifyFile(id), [])
    }

    func testSweepQuarantinesACorruptPackWithoutIndexAndKeepsItsGoodObjects() throws {
        let id = try storeFile(csvLikeBytes(5000, seed: 14), name: "a")
        let other = try storeFile(csvLikeBytes(5000, seed: 114), name: "b")
        try store.commit()
        let pack = try XCTUnwrap(store.packPaths.first)
        try store.corrupt(id)
        try FS.removeFile(String(pack.dropLast(5)) + ".idx")
        let reopened = try ObjectStore.forTests(cache)
        XCTAssertTrue(reopened.hasObject(other), "the good record of a pack without index is read before any repair")
        XCTAssertEqual(reopened.verifyFile(id).map(\.kind), [.corrupt], "damaged, not missing")
        var notices: [String] = []
        let actions = try reopened.sweepTemporaryFiles { notices.append($0) }
        XCTAssertTrue(actions.contains { $0.contains("moved the damaged pack") }, "\(actions)")
        XCTAssertEqual(notices.count, 1, "\(notices)")
        XCTAssertFalse(FS.exists(pack))
        let quarantined = Paths.join(cache, "quarantine/" + Paths.basename(pack))
        XCTAssertTrue(FS.exists(quarantined), "the damaged pack is kept")
        XCTAssertTrue(FS.exists(quarantined + ".report"))
        XCTAssertEqual(reopened.verifyFile(other), [])
        let again = try ObjectStore.forTests(cache)
        XCTAssertEqual(again.verifyFile(other), [], "the good object was copied into a new pack")
        let problems = again.verifyFile(id)
        XCTAssertEqual(problems.map(\.kind), [.corrupt], "the report keeps it known as damaged")
        XCTAssertTrue(problems.first?.detail.contains(quarantined) == true, "\(problems)")
        XCTAssertEqual(try again.sweepTemporaryFiles(), [], "nothing left to repair")
    }

    func testSweepSurvivesAbsurdSizesInARecordHeader() throws {
        for (index, rawLength) in [UInt64.max, 1 << 40, 5001].enumerated() {
            let id = try storeFile(csvLikeBytes(5000, seed: 20 + UInt64(index)), name: "a\(index)")
            try store.commit()
            let location = try XCTUnwrap(store.lookup(id))
            XCTAssertEqual(location.entry.codec, .zstd)
            let pack = location.pack.path
            let fd = open(pack, O_RDWR)
            var value = rawLength.littleEndian
            XCTAssertEqual(pwrite(fd, &value, 8, off_t(location.entry.offset + 8)), 8)
            close(fd)
            try FS.removeFile(String(pack.dropLast(5)) + ".idx")
            let actions = try ObjectStore.forTests(cache).sweepTemporaryFiles()
            XCTAssertTrue(actions.contains { $0.contains("moved the damaged pack") }, "\(actions)")
            XCTAssertFalse(FS.exists(pack))
            XCTAssertTrue(FS.exists(Paths.join(cache, "quarantine/" + Paths.basename(pack))), "kept, not deleted")
        }
    }

    /// A record whose header is damaged hides where the next record starts: the scanner finds it again.
    func testScannerFindsTheRecordsAfterADamagedHeader() throws {
        let ids = try (0..<3).map { try storeFile(csvLikeBytes(3000, seed: 40 + UInt64($0)), name: "h\($0)") }
        try store.commit()
        let pack = try XCTUnwrap(store.packPaths.first)
        let victim = try XCTUnwrap(store.lookup(ids[1]))
        try flipByte(pack, at: victim.entry.offset)          // the kind byte: the header no longer parses
        let scan = try PackScanner.scan(try PackFile.open(pack), expectedID: nil)
        XCTAssertFalse(scan.isIntact)
        XCTAssertEqual(Set(scan.entries.map(\.id)), [ids[0], ids[2]], "\(scan.problems)")
    }

    /// A damaged length in the middle of a pack looks like a record running past the end: the scanner must
    /// not take that for truncation and give up on the records after it.
    func testScannerKeepsTheRecordsAfterADamagedLength() throws {
        let ids = try (0..<3).map { try storeFile(csvLikeBytes(3000, seed: 45 + UInt64($0)), name: "l\($0)") }
        try store.commit()
        let pack = try XCTUnwrap(store.packPaths.first)
        let victim = try XCTUnwrap(store.lookup(ids[1]))
        let fd = open(pack, O_RDWR)
        var huge = UInt32(0xFFFF_FFF0).littleEndian
        XCTAssertEqual(pwrite(fd, &huge, 4, off_t(victim.entry.offset + 4)), 4)
        close(fd)
        let scan = try PackScanner.scan(try PackFile.open(pack), expectedID: nil)
        XCTAssertEqual(Set(scan.entries.map(\.id)), [ids[0], ids[2]], "\(scan.problems)")
        XCTAssertFalse(scan.problems.contains { $0.contains("truncated") }, "\(scan.problems)")
    }

    /// A pack cut inside its last record: every earlier record is kept, the cut one is named.
    func testScannerNamesTheRecordATruncationCut() throws {
        let ids = try (0..<2).map { try storeFile(pseudoRandomBytes(3000, seed: 48 + UInt64($0)), name: "t\($0)") }
        try store.commit()
        let pack = try XCTUnwrap(store.packPaths.first)
        let last = try XCTUnwrap(ids.map { try XCTUnwrap(store.lookup($0)) }.max { $0.entry.offset < $1.entry.offset })
        XCTAssertEqual(truncate(pack, off_t(last.entry.offset + 100)), 0)
        let scan = try PackScanner.scan(try PackFile.open(pack), expectedID: nil)
        XCTAssertEqual(scan.entries.map(\.id), ids.filter { $0 != last.entry.id })
        XCTAssertEqual(scan.damaged.map(\.id), [last.entry.id])
    }

    func testGarbageCollectionNeverDeletesADamagedPack() throws {
        let dead = try storeFile(csvLikeBytes(5000, seed: 50), name: "dead")
        let damaged = try storeFile(csvLikeBytes(5000, seed: 51), name: "damaged")
        try store.commit()
        let pack = try XCTUnwrap(store.packPaths.first)
        try store.corrupt(damaged)
        try FS.removeFile(String(pack.dropLast(5)) + ".idx")
        let reopened = try ObjectStore.forTests(cache)
        _ = try reopened.collectGarbage(keeping: [], dryRun: false)
        XCTAssertTrue(FS.exists(pack), "gc must not delete a damaged pack: \(dead.short) may be found nowhere else")
    }

    /// A loaded pack (valid index) with a record that fails: quarantined on request, good objects kept.
    func testQuarantinePacksHoldingFailingObjects() throws {
        let bad = try storeFile(csvLikeBytes(5000, seed: 60), name: "bad")
        let good = try storeFile(csvLikeBytes(5000, seed: 61), name: "good")
        try store.commit()
        try store.corrupt(bad)
        XCTAssertEqual(store.failingObjects(reachableFrom: [bad, good]), [bad])
        let actions = try store.quarantinePacks(holding: [bad])
        XCTAssertEqual(actions.count, 1, "\(actions)")
        XCTAssertFalse(store.hasObject(bad))
        XCTAssertEqual(store.verifyFile(bad).map(\.kind), [.corrupt])
        XCTAssertEqual(try ObjectStore.forTests(cache).verifyFile(good), [])
    }

    /// Killed after moving a pack to quarantine but before copying its good records out: the sweep finishes.
    func testSweepFinishesAnInterruptedQuarantine() throws {
        let good = try storeFile(csvLikeBytes(5000, seed: 70), name: "good")
        try store.commit()
        let pack = try XCTUnwrap(store.packPaths.first)
        try FS.makeDirectories(Paths.join(cache, "quarantine"))
        try FS.rename(pack, Paths.join(cache, "quarantine/" + Paths.basename(pack)))
        try FS.removeFile(String(pack.dropLast(5)) + ".idx")
        let reopened = try ObjectStore.forTests(cache)
        XCTAssertFalse(reopened.hasObject(good))
        let actions = try reopened.sweepTemporaryFiles()
        XCTAssertTrue(actions.contains { $0.contains("quarantined pack") }, "\(actions)")
        XCTAssertEqual(try ObjectStore.forTests(cache).verifyFile(good), [])
    }

    func testSweepRemovesAnIndexWhosePackIsGone() throws {
        _ = try storeFile(csvLikeBytes(5000, seed: 15), name: "a")
        try store.commit()
        let pack = try XCTUnwrap(store.packPaths.first)
        try FS.removeFile(pack)
        let reopened = try ObjectStore.forTests(cache)
        try reopened.sweepTemporaryFiles()
        XCTAssertFalse(FS.exists(String(pack.dropLast(5)) + ".idx"))
    }

    func testIndexLoadIsFastForManyObjects() throws {
        // 100k index entries (synthetic, one pack): opening must stay well under 100 ms (release; generous here).
        let entries = (0..<100_000).map { i in
            IndexEntry(id: ObjectID.of(withUnsafeBytes(of: i) { Array($0) }), offset: 8, storedLength: 0, rawLength: 0,
                       kind: .blob, codec: .raw)
        }
        let packID = ObjectID.of([1])
        let packs = Paths.join(cache, "packs")
        try writeFile(Paths.join(packs, packID.hex + ".pack"), [UInt8](repeating: 0, count: 8 + 48 + 40))
        try PackWriter.writeIndex(entries, packID: packID, packsDirectory: packs, temporaryDirectory: Paths.join(cache, "tmp"))
        let start = Date()
        let reopened = try ObjectStore.forTests(cache)
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertEqual(reopened.objectCount, 100_000)
        XCTAssertLessThan(elapsed, 1.0)
        print("INDEXLOAD \(elapsed)")
    }
}

final class StoreSweepNamingTests: XCTestCase {
    func testSweepQuarantinesAPackNotNamedByItsHash() throws {
        let root = try makeTemporaryDirectory(self)
        let cache = Paths.join(root, "cache")
        let store = try ObjectStore.forTests(cache)
        try writeFile(Paths.join(root, "a"), csvLikeBytes(3000, seed: 1))
        _ = try store.storeFile(path: Paths.join(root, "a"))
        try store.commit()
        let pack = try XCTUnwrap(store.packPaths.first)
        // A whole, valid pack under a wrong name is not trusted either.
        try FS.rename(pack, Paths.join(cache, "packs/renamed.pack"))
        let reopened = try ObjectStore.forTests(cache)
        let actions = try reopened.sweepTemporaryFiles()
        XCTAssertTrue(actions.contains { $0.contains("not named by its hash") }, "\(actions)")
        XCTAssertFalse(FS.exists(Paths.join(cache, "packs/renamed.pack")))
        XCTAssertTrue(FS.exists(Paths.join(cache, "quarantine/renamed.pack")), "kept, not deleted")
        XCTAssertEqual(reopened.verifyAll(), [])
        XCTAssertEqual(try ObjectStore.forTests(cache).objectCount, 1, "its object was kept")
    }
}

import XCTest
import Basics
@testable import ObjectStore

final class StoreRoundTripTests: XCTestCase {
    var root = ""
    var store: ObjectStore!

    override func setUpWithError() throws {
        root = try makeTemporaryDirectory(self)
        store = try ObjectStore.forTests(Paths.join(root, "cache"))
    }

    /// Stores `bytes` as a file, materializes it back and checks content, id and size.
    @discardableResult
    func roundTrip(_ bytes: [UInt8], name: String = "in") throws -> ObjectID {
        let path = Paths.join(root, name)
        try writeFile(path, bytes)
        let (id, size) = try store.storeFile(path: path)
        XCTAssertEqual(id, ObjectID.of(bytes), "the id is the SHA-256 of the whole content")
        XCTAssertEqual(size, UInt64(bytes.count))
        XCTAssertTrue(store.hasFile(id))
        let out = Paths.join(root, name + ".out")
        try store.materialize(id, to: out, executable: false)
        XCTAssertEqual(try FS.readAll(out), bytes)
        XCTAssertEqual(store.verifyFile(id), [])
        return id
    }

    func testEmptyFile() throws {
        let id = try roundTrip([])
        XCTAssertEqual(id, ObjectID.empty)
        XCTAssertEqual(store.lookup(id)?.entry.kind, .blob)
    }

    func testSmallFileIsOneCompressedBlob() throws {
        let id = try roundTrip(csvLikeBytes(5000, seed: 1))
        let entry = try XCTUnwrap(store.lookup(id)?.entry)
        XCTAssertEqual(entry.kind, .blob)
        XCTAssertEqual(entry.codec, .zstd)
    }

    func testIncompressibleDataIsStoredRaw() throws {
        let id = try roundTrip(pseudoRandomBytes(9000, seed: 2))
        XCTAssertEqual(store.lookup(id)?.entry.codec, .raw)
    }

    func testSizesAroundTheChunkThreshold() throws {
        let max = smallChunking.maxSize
        let below = try roundTrip(pseudoRandomBytes(max - 1, seed: 3), name: "below")
        XCTAssertEqual(store.lookup(below)?.entry.kind, .blob)
        // Exactly maxSize of uniform bytes makes a single chunk: stored as one blob under the file id.
        let exact = try roundTrip([UInt8](repeating: 7, count: max), name: "exact")
        XCTAssertEqual(store.lookup(exact)?.entry.kind, .blob)
        let exactRandom = try roundTrip(pseudoRandomBytes(max, seed: 4), name: "exactRandom")
        XCTAssertTrue([.blob, .manifest].contains(store.lookup(exactRandom)?.entry.kind))
        let above = try roundTrip(pseudoRandomBytes(max + 1, seed: 5), name: "above")
        XCTAssertEqual(store.lookup(above)?.entry.kind, .manifest)
    }

    func testLargeFileIsChunked() throws {
        let bytes = csvLikeBytes(3 << 20, seed: 6)
        let id = try roundTrip(bytes)
        let manifest = try XCTUnwrap(try store.readManifest(id))
        XCTAssertGreaterThan(manifest.chunks.count, 100)
        XCTAssertEqual(manifest.totalSize, UInt64(bytes.count))
        XCTAssertEqual(manifest.chunks.map { Int($0.length) }, Chunker(smallChunking).chunkLengths(bytes),
                       "the pipeline must cut where the chunker cuts a whole buffer")
        XCTAssertLessThan(store.totalStoredBytes, UInt64(bytes.count) / 2, "CSV-like data must compress")
    }

    func testLargeFileWithTheStandardChunker() throws {
        let standard = try ObjectStore(directory: Paths.join(root, "standard"))
        let bytes = pseudoRandomBytes(3 << 20, seed: 7)
        let path = Paths.join(root, "big")
        try writeFile(path, bytes)
        let (id, _) = try standard.storeFile(path: path)
        XCTAssertEqual(id, ObjectID.of(bytes))
        try standard.materialize(id, to: path + ".out", executable: false)
        XCTAssertEqual(try FS.readAll(path + ".out"), bytes)
    }

    func testDeduplication() throws {
        let bytes = csvLikeBytes(2 << 20, seed: 8)
        try roundTrip(bytes, name: "a")
        try store.commit()
        let before = store.totalStoredBytes
        try roundTrip(bytes, name: "b")
        try store.commit()
        XCTAssertEqual(store.totalStoredBytes, before, "storing the same file again adds no bytes")
        // Duplicates within one run (same chunk repeated inside a file) are stored once.
        // Uniform content is cut at maxSize into identical chunks: one chunk blob, the tail, the manifest.
        let repeated = [UInt8](repeating: 1, count: 6 * smallChunking.maxSize + 100)
        let countBefore = store.objectCount
        let id = try roundTrip(repeated, name: "rep")
        XCTAssertEqual(try store.readManifest(id)?.chunks.count, 7)
        XCTAssertEqual(store.objectCount - countBefore, 3)
    }

    func testEditInTheMiddleStoresFewNewChunks() throws {
        var bytes = csvLikeBytes(2 << 20, seed: 10)
        try roundTrip(bytes, name: "v1")
        let objectsBefore = store.objectCount
        bytes.insert(contentsOf: Array("inserted row\n".utf8), at: bytes.count / 2)
        try roundTrip(bytes, name: "v2")
        XCTAssertLessThanOrEqual(store.objectCount - objectsBefore, 4, "chunks + manifest")
    }

    func testExecutableBitAndOverwrite() throws {
        let path = Paths.join(root, "tool")
        try writeFile(path, Array("#!/bin/sh\necho hi\n".utf8))
        let (id, _) = try store.storeFile(path: path)
        let out = Paths.join(root, "out")
        try writeFile(out, Array("old content".utf8))
        try store.materialize(id, to: out, executable: true)
        XCTAssertEqual(try FS.stat(out)?.mode ?? 0 & 0o777, (try FS.stat(out)?.mode ?? 0))
        XCTAssertEqual((try FS.stat(out)?.mode ?? 0) & 0o777, 0o755)
        XCTAssertEqual(try FS.readString(out), "#!/bin/sh\necho hi\n")
        try store.materialize(id, to: out, executable: false)
        XCTAssertEqual((try FS.stat(out)?.mode ?? 0) & 0o777, 0o644)
        XCTAssertFalse(try FS.listDirectory(root).contains { $0.name.contains("cairn-tmp") }, "no temp file left")
    }

    func testTreesRoundTrip() throws {
        let file = try roundTrip(Array("data".utf8))
        let sub = Tree(entries: [TreeEntry(name: "a.txt", kind: .file, id: file, size: 4)])
        let subID = try store.storeTree(sub)
        XCTAssertEqual(subID, sub.id)
        let top = Tree(entries: [TreeEntry(name: "dir", kind: .directory, id: subID, size: 4, fileCount: 1)])
        let topID = try store.storeTree(top)
        XCTAssertEqual(try store.readTree(topID), top)
        XCTAssertEqual(try store.readTree(subID), sub)
        XCTAssertThrowsMessage(try store.readTree(file), contains: "is a blob, not a tree")
        XCTAssertThrowsMessage(try store.materialize(topID, to: Paths.join(root, "x"), executable: false),
                               contains: "is a tree, not a file")
        XCTAssertThrowsMessage(try store.storeTree(Tree(entries: [TreeEntry(name: "..", kind: .file, id: file, size: 4)])),
                               contains: "'..'")
        XCTAssertFalse(store.hasFile(topID))
        XCTAssertTrue(store.hasObject(topID))
    }

    func testReopenSeesCommittedObjectsOnly() throws {
        let committed = try roundTrip(csvLikeBytes(100_000, seed: 11), name: "c")
        try store.commit()
        let uncommitted = try roundTrip(csvLikeBytes(1000, seed: 12), name: "u")
        let reopened = try ObjectStore.forTests(store.directory)
        XCTAssertTrue(reopened.hasFile(committed))
        XCTAssertFalse(reopened.hasObject(uncommitted), "objects are durable (and visible to others) after commit")
        try reopened.materialize(committed, to: Paths.join(root, "again"), executable: false)
        XCTAssertEqual(reopened.verifyFile(committed), [])
    }

    func testPackRollover() throws {
        let small = try ObjectStore.forTests(Paths.join(root, "rolling"), packTargetSize: 50_000)
        var ids: [ObjectID] = []
        for i in 0..<20 {
            let path = Paths.join(root, "f\(i)")
            try writeFile(path, pseudoRandomBytes(10_000, seed: UInt64(100 + i)))
            ids.append(try small.storeFile(path: path).id)
        }
        try small.commit()
        XCTAssertGreaterThanOrEqual(small.packPaths.count, 3)
        let reopened = try ObjectStore.forTests(small.directory)
        for id in ids { XCTAssertEqual(reopened.verifyFile(id), []) }
        XCTAssertEqual(reopened.verifyAll(), [])
    }

    func testRefusesUnknownFormatVersion() throws {
        try FS.writeAtomically(Paths.join(root, "cache/format"), "cairn-store 99\n")
        XCTAssertThrowsMessage(try ObjectStore(directory: Paths.join(root, "cache")), contains: "unsupported store format")
    }
}

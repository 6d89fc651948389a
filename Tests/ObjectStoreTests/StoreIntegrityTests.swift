import XCTest
import Basics
@testable import ObjectStore

final class StoreIntegrityTests: XCTestCase {
    var root = ""
    var store: ObjectStore!

    override func setUpWithError() throws {
        root = try makeTemporaryDirectory(self)
        store = try ObjectStore.forTests(Paths.join(root, "cache"))
    }

    func store(_ bytes: [UInt8], name: String) throws -> ObjectID {
        let path = Paths.join(root, name)
        try writeFile(path, bytes)
        let id = try store.storeFile(path: path).id
        try store.commit()
        return id
    }

    /// Materializing must fail and leave the destination exactly as it was, with no temp file beside it.
    func assertMaterializeFailsCleanly(_ id: ObjectID, contains text: String, file: StaticString = #filePath,
                                       line: UInt = #line) throws {
        let destination = Paths.join(root, "dest")
        try writeFile(destination, Array("precious".utf8))
        XCTAssertThrowsMessage(try store.materialize(id, to: destination, executable: false), contains: text,
                               file: file, line: line)
        XCTAssertEqual(try FS.readString(destination), "precious", file: file, line: line)
        XCTAssertFalse(try FS.listDirectory(root).contains { $0.name.contains("cairn-tmp") }, file: file, line: line)
    }

    func testCorruptSmallFile() throws {
        let id = try store(csvLikeBytes(8000, seed: 1), name: "small")
        try store.corrupt(id)
        let problems = store.verifyFile(id)
        XCTAssertEqual(problems.map(\.id), [id])
        XCTAssertEqual(problems.first?.kind, .corrupt)
        XCTAssertTrue(problems.first?.detail.contains("object sha256:\(id.hex) is corrupt (") ?? false)
        XCTAssertTrue(problems.first?.detail.contains(".pack") ?? false, "the error names the pack")
        try assertMaterializeFailsCleanly(id, contains: "object sha256:\(id.hex) is corrupt")
        XCTAssertEqual(store.verifyAll().map(\.id), [id])
    }

    func testCorruptRawRecordIsCaughtByHash() throws {
        let id = try store(pseudoRandomBytes(5000, seed: 2), name: "raw")
        XCTAssertEqual(store.lookup(id)?.entry.codec, .raw)
        try store.corrupt(id)
        try assertMaterializeFailsCleanly(id, contains: "content does not match its hash")
    }

    func testCorruptRecordHeader() throws {
        let id = try store(csvLikeBytes(3000, seed: 3), name: "h")
        try store.corrupt(id, inHeader: true)
        try assertMaterializeFailsCleanly(id, contains: "record header does not match the index")
    }

    func testCorruptChunkOfLargeFile() throws {
        let id = try store(csvLikeBytes(1 << 20, seed: 4), name: "large")
        let manifest = try XCTUnwrap(try store.readManifest(id))
        let victim = manifest.chunks[manifest.chunks.count / 2].id
        try store.corrupt(victim)
        let problems = store.verifyFile(id)
        XCTAssertEqual(problems.map(\.id), [victim])
        XCTAssertEqual(problems.first?.kind, .corrupt)
        try assertMaterializeFailsCleanly(id, contains: "object sha256:\(victim.hex) is corrupt")
    }

    func testCorruptManifest() throws {
        let id = try store(csvLikeBytes(1 << 20, seed: 5), name: "large")
        try store.corrupt(id)
        XCTAssertEqual(store.verifyFile(id).map(\.kind), [.corrupt])
        try assertMaterializeFailsCleanly(id, contains: "object sha256:\(id.hex) is corrupt")
    }

    func testMissingObject() throws {
        let id = ObjectID.of(Array("never stored".utf8))
        XCTAssertFalse(store.hasObject(id))
        XCTAssertFalse(store.hasFile(id))
        XCTAssertEqual(store.verifyFile(id),
                       [ObjectProblem(id: id, kind: .missing, detail: "object sha256:\(id.hex) is not in the cache")])
        try assertMaterializeFailsCleanly(id, contains: "object sha256:\(id.hex) is not in the cache")
        XCTAssertThrowsMessage(try store.readTree(id), contains: "is not in the cache")
    }

    func testMissingChunk() throws {
        let id = try store(csvLikeBytes(1 << 20, seed: 6), name: "large")
        let chunk = try XCTUnwrap(try store.readManifest(id)?.chunks.first?.id)
        store.mutex.withLock { store.locations[chunk] = nil }
        XCTAssertTrue(store.hasFile(id), "hasFile does not check chunks")
        XCTAssertEqual(store.verifyFile(id).map(\.kind), [.missing])
        XCTAssertEqual(store.verifyFile(id).map(\.id), [chunk])
        try assertMaterializeFailsCleanly(id, contains: "object sha256:\(chunk.hex) is not in the cache")
    }

    func testTruncatedPackIsReportedNotCrashed() throws {
        let id = try store(csvLikeBytes(20_000, seed: 7), name: "t")
        let pack = try XCTUnwrap(store.lookup(id)?.pack.path)
        XCTAssertEqual(truncate(pack, 20), 0)
        XCTAssertEqual(store.verifyFile(id).map(\.kind), [.corrupt])
        try assertMaterializeFailsCleanly(id, contains: "pack is truncated")
        // A store opened afterwards rejects the index whose records point past the end, and sweep drops the pack.
        let reopened = try ObjectStore.forTests(store.directory)
        XCTAssertFalse(reopened.hasObject(id))
        try reopened.sweepTemporaryFiles()
        XCTAssertEqual(reopened.packPaths, [])
    }

    func testConcurrentStoreFile() throws {
        let inputs: [[UInt8]] = (0..<64).map { i in
            i % 16 == 0 ? csvLikeBytes(300_000 + i, seed: UInt64(i)) : csvLikeBytes(2000 + i % 8, seed: UInt64(i % 8))
        }
        let paths = inputs.indices.map { Paths.join(root, "c\($0)") }
        for (path, bytes) in zip(paths, inputs) { try writeFile(path, bytes) }
        let results = Locked([ObjectID?](repeating: nil, count: inputs.count))
        let store = self.store!
        try Parallel.forEach(inputs.count, workers: 8) { i in
            let id = try store.storeFile(path: paths[i]).id
            results.withLock { $0[i] = id }
        }
        try store.commit()
        let reopened = try ObjectStore.forTests(store.directory)
        for (i, id) in results.snapshot.enumerated() {
            XCTAssertEqual(id, ObjectID.of(inputs[i]))
            guard let id else { continue }
            XCTAssertEqual(reopened.verifyFile(id), [])
        }
        XCTAssertEqual(reopened.verifyAll(), [])
        XCTAssertEqual(reopened.objectCount, store.objectCount, "every object stored once, all durable")
    }

    func testConcurrentLargeFilesFromPoolThreads() throws {
        // Callers on dispatch pool threads block while their chunks run on the pool: this must not starve it.
        let inputs = (0..<6).map { csvLikeBytes(400_000, seed: 100 + UInt64($0)) }
        let paths = inputs.indices.map { Paths.join(root, "big\($0)") }
        for (path, bytes) in zip(paths, inputs) { try writeFile(path, bytes) }
        let store = self.store!
        for workers in [1, 2, Parallel.workers] {
            try Parallel.forEach(inputs.count, workers: workers) { i in
                let id = try store.storeFile(path: paths[i]).id
                XCTAssertEqual(id, ObjectID.of(inputs[i]))
            }
        }
        try store.commit()
        for bytes in inputs { XCTAssertEqual(store.verifyFile(ObjectID.of(bytes)), []) }
    }
}

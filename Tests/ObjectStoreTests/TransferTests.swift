import Basics
import XCTest
@testable import ObjectStore

/// Export to remote packs and verified import (issue 4): what one store sends, another receives exactly, and
/// nothing unverified ever becomes readable.
final class TransferTests: XCTestCase {
    private var root = ""
    private var sender: ObjectStore!
    private var receiver: ObjectStore!

    override func setUpWithError() throws {
        root = try makeTemporaryDirectory(self)
        sender = try ObjectStore.forTests(Paths.join(root, "sender"))
        receiver = try ObjectStore.forTests(Paths.join(root, "receiver"))
    }

    /// Stores a chunked file and a small one and returns their ids.
    private func storeSample() throws -> (big: ObjectID, small: ObjectID) {
        let bigPath = Paths.join(root, "big.bin"), smallPath = Paths.join(root, "small.txt")
        try writeFile(bigPath, csvLikeBytes(3 << 20, seed: 5))
        try writeFile(smallPath, Array("small\n".utf8))
        let big = try sender.storeFile(path: bigPath).id
        let small = try sender.storeFile(path: smallPath).id
        try sender.commit()
        return (big, small)
    }

    private func export(_ roots: [ObjectID], targetSize: UInt64 = 1 << 20) throws -> [ExportedPack] {
        let (present, missing) = try sender.closure(of: roots)
        XCTAssertTrue(missing.isEmpty)
        var packs: [ExportedPack] = []
        try sender.exportPacks(present, to: Paths.join(root, "out"), targetSize: targetSize) { packs.append($0) }
        return packs
    }

    /// Imports every pack like fetch does, then the manifests once their chunks are in.
    private func importAll(_ packs: [ExportedPack], want: Set<ObjectID>) throws {
        var manifests: [ObjectID: [UInt8]] = [:]
        for pack in packs {
            let imported = try receiver.importPack(at: pack.packPath, expectedID: pack.id, label: "test",
                                                   wantsManifest: { want.contains($0) })
            manifests.merge(imported.manifests) { a, _ in a }
        }
        for (id, raw) in manifests { try receiver.importManifest(id, raw: raw, label: "test") }
        try receiver.commit()
    }

    func testExportedPacksImportIntoAnotherStoreExactly() throws {
        let (big, small) = try storeSample()
        let packs = try export([big, small])
        XCTAssertGreaterThan(packs.count, 2, "1 MiB packs: the chunks spread over several")
        XCTAssertEqual(packs.filter { pack in
            (try? ObjectStore.decodePackIndex(FS.readAll(pack.indexPath), path: pack.indexPath).ids.contains(big)) == true
        }.count, 1, "the manifest travels once")
        try importAll(packs, want: [big, small])
        XCTAssertTrue(receiver.hasFile(big) && receiver.hasFile(small))
        XCTAssertEqual(receiver.verifyFile(big), [])
        let out = Paths.join(root, "restored.bin")
        try receiver.materialize(big, to: out, executable: false)
        XCTAssertEqual(try FS.readAll(out), csvLikeBytes(3 << 20, seed: 5))
        XCTAssertEqual(try receiver.closure(of: [big, small]).missing, [])
    }

    func testExportIsDeterministicSoAResumedPushRebuildsTheSamePacks() throws {
        let (big, small) = try storeSample()
        let first = try export([big, small]).map(\.id)
        try FS.makeDirectories(Paths.join(root, "out"))
        let second = try export([small, big]).map(\.id)
        XCTAssertEqual(first, second)
    }

    func testManifestPacksHoldOnlyManifests() throws {
        let (big, small) = try storeSample()
        let packs = try export([big, small])
        let last = try XCTUnwrap(packs.last)
        XCTAssertEqual(try ObjectStore.decodePackIndex(FS.readAll(last.indexPath), path: last.indexPath).ids, [big])
    }

    func testADamagedPackIsRejectedAndNothingOfItIsStored() throws {
        let (big, small) = try storeSample()
        let packs = try export([big, small])
        let damaged = try XCTUnwrap(packs.first)
        try flipByte(damaged.packPath, at: UInt64(FS.stat(damaged.packPath)?.size ?? 0) / 2)
        XCTAssertThrowsMessage(try receiver.importPack(at: damaged.packPath, expectedID: damaged.id,
                                                       label: "remote test: packs/x.pack", wantsManifest: { _ in true }),
                               contains: "remote test: packs/x.pack: fails verification")
        let ids = try ObjectStore.decodePackIndex(FS.readAll(damaged.indexPath), path: "idx").ids
        XCTAssertFalse(ids.contains { receiver.hasObject($0) })
    }

    func testAManifestThatDoesNotHashToItsFileIsRefused() throws {
        let (big, small) = try storeSample()
        try importAll(try export([big, small]), want: [])   // chunks only, no manifest
        XCTAssertFalse(receiver.hasObject(big))
        // The right manifest filed under another file's id must not be accepted.
        let raw = try sender.read(big).bytes
        let other = ObjectID.of(Array("some other file".utf8))
        XCTAssertThrowsMessage(try receiver.importManifest(other, raw: raw, label: "remote test"),
                               contains: "fails verification")
        XCTAssertThrowsMessage(try receiver.importManifest(big, raw: Array(raw.dropLast(3)), label: "remote test"),
                               contains: "fails verification")
        XCTAssertFalse(receiver.hasObject(other) || receiver.hasObject(big))
        try receiver.importManifest(big, raw: raw, label: "remote test")
        XCTAssertEqual(receiver.verifyFile(big), [])
    }
}

/// Staged manifests (pull): proven by the checkout that writes the file, never stored unproven.
final class StagingTests: XCTestCase {
    func testAStagedManifestIsProvenByWritingTheFileAndAWrongOneWritesNothing() throws {
        let root = try makeTemporaryDirectory(self)
        let sender = try ObjectStore.forTests(Paths.join(root, "sender"))
        let receiver = try ObjectStore.forTests(Paths.join(root, "receiver"))
        let source = Paths.join(root, "big.bin")
        let content = csvLikeBytes(3 << 20, seed: 8)
        try writeFile(source, content)
        let big = try sender.storeFile(path: source).id
        try sender.commit()
        var packs: [ExportedPack] = []
        let (present, _) = try sender.closure(of: [big])
        try sender.exportPacks(present, to: Paths.join(root, "out"), targetSize: 1 << 20) { packs.append($0) }
        var raw: [UInt8] = []
        for pack in packs {
            let imported = try receiver.importPack(at: pack.packPath, expectedID: pack.id, label: "test",
                                                   wantsManifest: { _ in true })
            if let manifest = imported.manifests[big] { raw = manifest }
        }
        XCTAssertFalse(raw.isEmpty)

        // Filed under the wrong id: staging accepts it (chunks present), writing the file refuses it.
        let wrong = ObjectID.of(Array("not this file".utf8))
        try receiver.stageManifest(wrong, raw: raw, label: "remote test")
        XCTAssertTrue(receiver.hasFile(wrong))
        let target = Paths.join(root, "out.bin")
        XCTAssertThrowsMessage(try receiver.materialize(wrong, to: target, executable: false),
                               contains: "remote test: object sha256:\(wrong.hex) fails verification")
        XCTAssertFalse(FS.exists(target), "nothing unproven reaches the work tree")
        XCTAssertFalse(receiver.hasFile(wrong), "a rejected manifest is dropped")

        try receiver.stageManifest(big, raw: raw, label: "remote test")
        XCTAssertFalse(receiver.hasObject(big), "staged is not stored")
        try receiver.materialize(big, to: target, executable: false)
        XCTAssertEqual(try FS.readAll(target), content)
        XCTAssertTrue(receiver.hasObject(big), "proven by the write, then stored")
        XCTAssertEqual(try receiver.proveStagedManifests(), [])
        try receiver.commit()
        XCTAssertEqual(receiver.verifyFile(big), [])

        // What no checkout wrote is proven afterwards.
        try receiver.stageManifest(wrong, raw: raw, label: "remote test")
        XCTAssertEqual(try receiver.proveStagedManifests().count, 1)
        XCTAssertFalse(receiver.hasFile(wrong))
    }
}

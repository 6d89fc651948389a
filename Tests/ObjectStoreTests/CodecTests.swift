import XCTest
import Basics
@testable import ObjectStore

final class TreeCodecTests: XCTestCase {
    let idA = ObjectID.of(Array("a".utf8)), idB = ObjectID.of(Array("b".utf8))

    func sampleTree() -> Tree {
        Tree(entries: [
            TreeEntry(name: "zeta.csv", kind: .file, id: idA, size: 10),
            TreeEntry(name: "run.sh", kind: .executable, id: idB, size: 3),
            TreeEntry(name: "images", kind: .directory, id: idB, size: 1234, fileCount: 17),
            TreeEntry(name: "Ärger", kind: .file, id: idA, size: 0),
        ])
    }

    func testRoundTripAndSortedByUTF8Bytes() throws {
        let tree = sampleTree()
        XCTAssertEqual(tree.entries.map(\.name), ["images", "run.sh", "zeta.csv", "Ärger"])
        let decoded = try Tree.decode(tree.encode())
        XCTAssertEqual(decoded, tree)
        XCTAssertEqual(decoded.encode(), tree.encode())
        XCTAssertEqual(tree.fileCount, 20)
        XCTAssertEqual(tree.totalSize, 1247)
        XCTAssertEqual(Tree(entries: tree.entries.reversed()).id, tree.id, "order of construction must not matter")
        XCTAssertEqual(try Tree.decode(Tree(entries: []).encode()).entries.count, 0)
    }

    /// Builds an encoding by hand so malformed inputs can be produced.
    func encode(_ entries: [(kind: UInt8, name: [UInt8], fileCount: UInt64)], magic: UInt32 = Magic.tree,
                version: UInt32 = 1) -> [UInt8] {
        var w = ByteWriter()
        w.u32(magic); w.u32(version); w.u32(UInt32(entries.count))
        for e in entries {
            w.u8(e.kind); w.u32(UInt32(e.name.count)); w.raw(e.name); w.id(idA); w.u64(5); w.u64(e.fileCount)
        }
        return w.bytes
    }

    func testHandEncodingMatchesEncoder() throws {
        let bytes = encode([(1, Array("a".utf8), 1), (3, Array("b".utf8), 4)])
        let tree = try Tree.decode(bytes)
        XCTAssertEqual(tree.encode(), bytes)
    }

    func testRejectsMalformedInput() {
        let good = encode([(1, Array("a".utf8), 1)])
        XCTAssertThrowsMessage(try Tree.decode(encode([(1, Array("a".utf8), 1)], magic: 1)), contains: "bad magic")
        XCTAssertThrowsMessage(try Tree.decode(encode([(1, Array("a".utf8), 1)], version: 2)), contains: "unsupported version 2")
        for cut in [0, 5, 11, 20, good.count - 1] {
            XCTAssertThrowsMessage(try Tree.decode(Array(good.prefix(cut))), contains: "truncated")
        }
        XCTAssertThrowsMessage(try Tree.decode(good + [0]), contains: "unexpected bytes")
        XCTAssertThrowsMessage(try Tree.decode(encode([(1, Array("b".utf8), 1), (1, Array("a".utf8), 1)])), contains: "not sorted")
        XCTAssertThrowsMessage(try Tree.decode(encode([(1, Array("a".utf8), 1), (3, Array("a".utf8), 2)])), contains: "duplicate")
        XCTAssertThrowsMessage(try Tree.decode(encode([(1, [], 1)])), contains: "empty entry name")
        XCTAssertThrowsMessage(try Tree.decode(encode([(1, Array(".".utf8), 1)])), contains: "entry '.' is not a name")
        XCTAssertThrowsMessage(try Tree.decode(encode([(1, Array("..".utf8), 1)])), contains: "entry '..' goes outside")
        // A tree from a remote or a damaged store must never name Git's or cairn's own directories (any case).
        for reserved in [".git", ".GIT", ".cairn", ".Cairn"] {
            XCTAssertThrowsMessage(try Tree.decode(encode([(3, Array(reserved.utf8), 0)])), contains: "reserved for Git and cairn")
        }
        XCTAssertThrowsMessage(try Tree.decode(encode([(1, Array("a\u{1b}b".utf8), 1)])), contains: "control character")
        XCTAssertThrowsMessage(try Tree.decode(encode([(1, Array("a\nb".utf8), 1)])), contains: "control character")
        XCTAssertThrowsMessage(try Tree.decode(encode([(1, Array("a/b".utf8), 1)])), contains: "contains '/'")
        XCTAssertThrowsMessage(try Tree.decode(encode([(1, [97, 0], 1)])), contains: "NUL")
        XCTAssertThrowsMessage(try Tree.decode(encode([(1, [0xFF, 0xFE], 1)])), contains: "UTF-8")
        XCTAssertThrowsMessage(try Tree.decode(encode([(9, Array("a".utf8), 1)])), contains: "unknown entry kind 9")
        XCTAssertThrowsMessage(try Tree.decode(encode([(1, Array("a".utf8), 2)])), contains: "fileCount")
        // A count far larger than the bytes present must not allocate or crash.
        var huge = good
        huge[8] = 0xFF; huge[9] = 0xFF; huge[10] = 0xFF; huge[11] = 0x7F
        XCTAssertThrowsMessage(try Tree.decode(huge), contains: "truncated")
    }

    /// NFC and NFD spellings of one word are different bytes: two entries, not a duplicate.
    func testNormalizationTwinsAreTwoEntries() throws {
        let tree = Tree(entries: [TreeEntry(name: "caf\u{E9}", kind: .file, id: idA, size: 1),
                                  TreeEntry(name: "cafe\u{301}", kind: .file, id: idB, size: 2)])
        XCTAssertNoThrow(try tree.validate())
        XCTAssertEqual(try Tree.decode(tree.encode()).entries.map { Array($0.name.utf8) },
                       [Array("cafe\u{301}".utf8), Array("caf\u{E9}".utf8)])
    }

    func testValidateRejectsBadNamesAndDuplicates() {
        XCTAssertThrowsMessage(try Tree(entries: [TreeEntry(name: "x/y", kind: .file, id: idA, size: 1)]).validate(),
                               contains: "'/'")
        XCTAssertThrowsMessage(try Tree(entries: [TreeEntry(name: "x", kind: .file, id: idA, size: 1),
                                                  TreeEntry(name: "x", kind: .file, id: idB, size: 1)]).validate(),
                               contains: "duplicate")
        XCTAssertNoThrow(try sampleTree().validate())
    }
}

final class ManifestCodecTests: XCTestCase {
    let manifest = ChunkManifest(chunks: [
        .init(id: ObjectID.of([1]), length: 100), .init(id: ObjectID.of([2]), length: 7),
    ])

    func testRoundTrip() throws {
        let bytes = manifest.encode()
        XCTAssertEqual(bytes.count, 24 + 2 * 36 + 32)
        XCTAssertEqual(try ChunkManifest.decode(bytes), manifest)
        XCTAssertEqual(manifest.totalSize, 107)
    }

    func testRejectsMalformedInput() {
        let bytes = manifest.encode()
        XCTAssertThrowsMessage(try ChunkManifest.decode(Array(bytes.prefix(40))), contains: "truncated")
        for offset in [0, 5, 10, 30, bytes.count - 1] {
            var bad = bytes
            bad[offset] ^= 1
            XCTAssertThrowsError(try ChunkManifest.decode(bad), "flipping byte \(offset) must be detected")
        }
        var badVersion = bytes
        badVersion[4] = 9
        XCTAssertThrowsMessage(try ChunkManifest.decode(badVersion), contains: "unsupported version 9")
        XCTAssertThrowsMessage(try ChunkManifest.decode(bytes + [0]), contains: "checksum")
    }
}

/// Issue 9 item 1: a tree read from the store or a remote can never name Git's or cairn's own folders.
final class TreeNameRuleTests: XCTestCase {
    private func encodedTree(named name: String) -> [UInt8] {
        // Encode with a harmless name, then patch the bytes: Tree(entries:) itself validates.
        let harmless = String(repeating: "a", count: name.utf8.count)
        let tree = Tree(entries: [TreeEntry(name: harmless, kind: .file, id: ObjectID.of([1]), size: 1, fileCount: 1)])
        var bytes = tree.encode()
        let range = try! XCTUnwrap(bytes.firstRange(of: Array(harmless.utf8)))
        bytes.replaceSubrange(range, with: Array(name.utf8))
        return bytes
    }

    func testReservedAndControlNamesAreRefusedWhenDecoding() {
        XCTAssertNoThrow(try Tree.decode(encodedTree(named: "data.csv")))
        for name in [".git", ".GIT", ".Cairn", ".cairn", "a\u{1}b", "x\u{7f}"] {
            XCTAssertThrowsError(try Tree.decode(encodedTree(named: name)), "accepted \(name.debugDescription)") { error in
                XCTAssertTrue("\(error)".hasPrefix("tree: entry"), "\(error)")
            }
        }
        // Near misses are ordinary names.
        for name in [".github", ".gitignore", ".cairnrc", "git"] {
            XCTAssertNoThrow(try Tree.decode(encodedTree(named: name)), name)
        }
    }
}

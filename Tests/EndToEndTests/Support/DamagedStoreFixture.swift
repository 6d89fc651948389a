import Foundation
import XCTest

/// Deliberately damaged stores, built from a real repository (as restic keeps broken repositories for its
/// tests): two incompressible files added together, so both live in one pack, then one kind of damage.
/// `first` is the file whose record comes first in the pack (the one a flipped byte at offset 200 hits),
/// `second` the one that must survive every kind of damage.
struct DamagedStoreFixture {
    enum Damage: String, CaseIterable {
        /// The pack's index deleted and the byte at offset 200 (inside the first record) flipped.
        case flippedByteWithoutIndex
        /// The pack cut short by one byte (its index kept).
        case truncatedPack
        /// An intact pack (and its index) renamed, so its name no longer is its hash.
        case renamedPack
    }

    let repo: TempRepo
    let first: (path: String, sha256: String)
    let second: (path: String, sha256: String)
    /// The pack, repo-relative, before it was damaged (for renamedPack: its new name).
    let pack: String

    static let packs = ".cairn/cache/packs"

    static func make(_ test: EndToEndTestCase, damage: Damage) throws -> DamagedStoreFixture {
        let repo = try test.makeRepo()
        try repo.writeRandom("data/a.bin", size: 3000, seed: 91)
        try repo.writeRandom("data/b.bin", size: 3000, seed: 92)
        try repo.cairn("add", "data/a.bin", "data/b.bin").assertSuccess()
        try repo.commitEverything("two files in one pack")
        let packs = repo.files(under: DamagedStoreFixture.packs).filter { $0.hasSuffix(".pack") }
        guard packs.count == 1, let original = packs.first else {
            throw TestSetupError("expected one pack, found \(packs)")
        }
        // The first record's header holds its object id at bytes 24..<56 (8-byte pack header, 16 header bytes).
        let bytes = try repo.read(original)
        let firstID = bytes[24..<56].map { String(format: "%02x", $0) }.joined()
        let aID = try repo.sha256("data/a.bin"), bID = try repo.sha256("data/b.bin")
        guard firstID == aID || firstID == bID else { throw TestSetupError("first record is neither file") }
        let files = [("data/a.bin", aID), ("data/b.bin", bID)]
        let (firstFile, secondFile) = firstID == aID ? (files[0], files[1]) : (files[1], files[0])
        let index = String(original.dropLast(5)) + ".idx"
        var pack = original
        switch damage {
        case .flippedByteWithoutIndex:
            try repo.remove(index)
            var damaged = bytes
            damaged[200] ^= 0xFF
            try repo.write(original, bytes: damaged)
        case .truncatedPack:
            try repo.write(original, bytes: Array(bytes.dropLast()))
        case .renamedPack:
            let other = String(repeating: "ab", count: 32)
            pack = "\(DamagedStoreFixture.packs)/\(other).pack"
            try FileManager.default.moveItem(atPath: repo.path(original), toPath: repo.path(pack))
            try FileManager.default.moveItem(atPath: repo.path(index), toPath: repo.path("\(DamagedStoreFixture.packs)/\(other).idx"))
        }
        return DamagedStoreFixture(repo: repo, first: (firstFile.0, firstFile.1), second: (secondFile.0, secondFile.1),
                                   pack: pack)
    }

    /// Files under .cairn/cache/quarantine/, repo-relative.
    var quarantined: [String] { repo.files(under: ".cairn/cache/quarantine") }
}

import Foundation
import XCTest

/// What the store promises users (README): compression, deduplication across files and versions, and many small
/// files handled as one unit.
final class StorageTests: EndToEndTestCase {
    /// Total bytes of the files under .cairn/cache.
    private func cacheBytes(_ repo: TempRepo) -> Int {
        repo.files(under: ".cairn/cache").reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: repo.path(file))[.size] as? Int) ?? 0)
        }
    }

    func testCompressibleDataIsStoredCompressed() throws {
        let repo = try makeRepo()
        try repo.write("data/log.csv", bytes: SeededBytes.repeatedText(count: 8 << 20))
        try add(repo, "data/log.csv")
        XCTAssertLessThan(cacheBytes(repo), 1 << 20, "8 MiB of repeated text should shrink to well under 1 MiB")
    }

    func testIdenticalContentIsStoredOnce() throws {
        let repo = try makeRepo()
        let bytes = SeededBytes.make(count: 3 << 20, seed: 81)
        try repo.write("a/copy.bin", bytes: bytes)
        try add(repo, "a/copy.bin")
        let afterOne = cacheBytes(repo)
        try repo.write("b/copy.bin", bytes: bytes)
        try repo.write("c/set/copy.bin", bytes: bytes)
        try repo.cairn("add", "b/copy.bin", "c/set").assertSuccess()
        XCTAssertLessThan(cacheBytes(repo) - afterOne, 64 << 10, "a second copy of the same 3 MiB was stored again")
    }

    /// Content-defined chunking: inserting a few bytes near the start of a large file must not store it again.
    func testSmallInsertionStoresOnlyNearbyChunks() throws {
        let repo = try makeRepo()
        var bytes = SeededBytes.make(count: 6 << 20, seed: 82)
        try repo.write("data/big.bin", bytes: bytes)
        try add(repo, "data/big.bin")
        let before = cacheBytes(repo)
        bytes.insert(contentsOf: Array("inserted row\n".utf8), at: 1 << 20)
        try repo.write("data/big.bin", bytes: bytes)
        try add(repo, "data/big.bin")
        XCTAssertLessThan(cacheBytes(repo) - before, 1 << 20,
                          "an insertion of 13 bytes stored more than 1 MiB of a 6 MiB file again")
        try repo.remove("data/big.bin")
        try repo.cairn("checkout").assertSuccess()
        XCTAssertEqual(try repo.read("data/big.bin").count, bytes.count)
    }

    func testManySmallFilesRoundTrip() throws {
        let repo = try makeRepo()
        let count = 1500
        for index in 0..<count {
            try repo.write("data/many/d\(index % 30)/f\(index).txt", "row \(index), value \(index * 7919 % 1000)\n")
        }
        let pointer = try add(repo, "data/many")
        XCTAssertEqual(pointer["files"], "\(count)")
        XCTAssertLessThan(repo.files(under: ".cairn/cache").count, 100,
                          "small files should be packed, not stored one file per object")
        try repo.cairn("status").assertSuccess().assertStdoutLine("Everything is up to date.")
        try repo.remove("data/many")
        try repo.cairn("checkout").assertSuccess()
        XCTAssertEqual(repo.files(under: "data/many").count, count)
        XCTAssertEqual(try repo.readText("data/many/d7/f1237.txt"), "row 1237, value \(1237 * 7919 % 1000)\n")
        try repo.write("data/many/d3/f3.txt", "edited\n")
        let status = try repo.cairn("status").assertSuccess()
        XCTAssertEqual(status.stdoutLines, ["data/many: modified", "    modified: data/many/d3/f3.txt"], status.transcript)
    }
}

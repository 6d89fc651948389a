import XCTest

/// Multi-chunk content must round-trip byte for byte: random (incompressible, no dedup) plus repeated text
/// (compressible, identical chunks).
final class LargeFileTests: EndToEndTestCase {
    func testLargeMixedFileRoundTripsExactly() throws {
        let repo = try makeRepo()
        let bytes = SeededBytes.make(count: 8 << 20, seed: 21) + SeededBytes.repeatedText(count: 8 << 20)
        try repo.write("data/big.bin", bytes: bytes)
        let hash = try repo.sha256("data/big.bin")

        let result = try repo.cairn("add", "data/big.bin").assertSuccess()
        result.assertStdoutLine("added data/big.bin (16.0 MiB)")
        let pointer = try repo.pointer("data/big.bin.cairn")
        XCTAssertEqual(pointer.sha256Hex, hash)
        XCTAssertEqual(pointer["size"], "\(16 << 20)")

        try repo.remove("data/big.bin")
        try repo.cairn("checkout").assertSuccess().assertStdout(contains: "restored data/big.bin")
        try assertContent(repo, "data/big.bin", sha256: hash)
        try repo.cairn("fsck").assertSuccess()
    }

    /// One changed byte in the middle of a large file: the new version round-trips, and so does the old one
    /// (chunks shared between versions must not be confused).
    func testSmallEditInALargeFileKeepsBothVersions() throws {
        let repo = try makeRepo()
        var bytes = SeededBytes.make(count: 6 << 20, seed: 22)
        try repo.write("data/big.bin", bytes: bytes)
        let v1 = try add(repo, "data/big.bin")
        bytes[3 << 20] ^= 0x5A
        try repo.write("data/big.bin", bytes: bytes)
        let v2 = try add(repo, "data/big.bin")
        XCTAssertNotEqual(v1["id"], v2["id"])
        let v2Hash = try repo.sha256("data/big.bin")

        try repo.write("data/big.bin.cairn", v1.raw)
        try repo.cairn("checkout").assertSuccess()
        XCTAssertEqual(try repo.sha256("data/big.bin"), v1.sha256Hex)
        try repo.write("data/big.bin.cairn", v2.raw)
        try repo.cairn("checkout").assertSuccess()
        XCTAssertEqual(try repo.sha256("data/big.bin"), v2Hash)
    }
}

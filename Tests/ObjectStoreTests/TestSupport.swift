import XCTest
import Basics
@testable import ObjectStore

/// Small chunking parameters so chunked files, many chunks and pack rollover happen with test-sized data.
let smallChunking = Chunker.Parameters(minSize: 1 << 10, averageSize: 4 << 10, maxSize: 16 << 10)

/// A fresh directory under /tmp, removed when the test ends.
func makeTemporaryDirectory(_ test: XCTestCase) throws -> String {
    let path = "/tmp/cairn-os-test-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    try FS.makeDirectories(path)
    test.addTeardownBlock { _ = try? FileManager.default.removeItem(atPath: path) }
    return path
}

/// Deterministic pseudo-random bytes (xorshift), so failures reproduce.
func pseudoRandomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed | 1
    var out = [UInt8]()
    out.reserveCapacity(count)
    while out.count < count {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        withUnsafeBytes(of: state) { out.append(contentsOf: $0.prefix(count - out.count)) }
    }
    return out
}

/// Compressible text-like bytes (numbers and commas), like the CSVs cairn users store.
func csvLikeBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed | 1
    var out = [UInt8]()
    out.reserveCapacity(count + 32)
    var row = 0
    while out.count < count {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        out.append(contentsOf: Array("\(row),\(state % 100_000),\(state % 7),x\n".utf8))
        row += 1
    }
    return Array(out.prefix(count))
}

func writeFile(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws {
    try FS.writeAtomically(path, bytes, mode: mode)
}

extension ObjectStore {
    /// A store with small chunks for tests.
    static func forTests(_ directory: String, packTargetSize: UInt64 = 64 << 20) throws -> ObjectStore {
        try ObjectStore(directory: directory, compressionLevel: 1, chunking: smallChunking, packTargetSize: packTargetSize)
    }

    /// The packs (not indexes) currently in packs/.
    var packPaths: [String] {
        ((try? FS.listDirectory(packsDirectory)) ?? []).map(\.name).filter { $0.hasSuffix(".pack") }.sorted()
            .map { Paths.join(packsDirectory, $0) }
    }
}

/// Flips one byte of a file in place.
func flipByte(_ path: String, at offset: Int) throws {
    var bytes = try FS.readAll(path)
    bytes[offset] ^= 0xFF
    try FS.writeAtomically(path, bytes)
}

func XCTAssertThrowsMessage<T>(_ expression: @autoclosure () throws -> T, contains text: String,
                               file: StaticString = #filePath, line: UInt = #line) {
    do {
        _ = try expression()
        XCTFail("expected an error containing '\(text)'", file: file, line: line)
    } catch {
        XCTAssertTrue("\(error)".contains(text), "'\(error)' does not contain '\(text)'", file: file, line: line)
    }
}

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
    var state = (seed &+ 1) &* 0x9E37_79B9_7F4A_7C15 | 1
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
    var state = (seed &+ 1) &* 0x9E37_79B9_7F4A_7C15 | 1
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

/// Flips one byte of a file in place (same inode, so descriptors the store holds open see it).
func flipByte(_ path: String, at offset: UInt64) throws {
    let fd = open(path, O_RDWR)
    guard fd >= 0 else { throw CairnError.posix("open", path, errno: errno) }
    defer { close(fd) }
    var byte: UInt8 = 0
    guard pread(fd, &byte, 1, off_t(offset)) == 1 else { throw CairnError("\(path): no byte at \(offset)") }
    byte ^= 0xFF
    guard pwrite(fd, &byte, 1, off_t(offset)) == 1 else { throw CairnError("\(path): pwrite failed") }
}

extension ObjectStore {
    /// Corrupts the stored bytes of an object (or its header when `inHeader`).
    func corrupt(_ id: ObjectID, inHeader: Bool = false) throws {
        guard let location = lookup(id) else { throw CairnError("test: \(id.short) not stored") }
        let offset = location.entry.offset + (inHeader ? 4 : UInt64(RecordHeader.size) + UInt64(location.entry.storedLength) / 2)
        try flipByte(location.pack.path, at: offset)
    }
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

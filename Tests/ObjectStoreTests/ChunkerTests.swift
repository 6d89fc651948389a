import XCTest
@testable import ObjectStore

final class ChunkerTests: XCTestCase {
    let chunker = Chunker(smallChunking)

    func testBoundariesAreDeterministicAndCoverInput() {
        let data = pseudoRandomBytes(1 << 20, seed: 1)
        let a = chunker.chunkLengths(data)
        let b = Chunker(smallChunking).chunkLengths(data)
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.reduce(0, +), data.count)
        XCTAssertGreaterThan(a.count, 100)
    }

    func testMinAndMaxAreRespected() {
        let data = pseudoRandomBytes(2 << 20, seed: 2)
        let lengths = chunker.chunkLengths(data)
        for length in lengths.dropLast() {
            XCTAssertGreaterThanOrEqual(length, smallChunking.minSize)
            XCTAssertLessThanOrEqual(length, smallChunking.maxSize)
        }
        let average = Double(data.count) / Double(lengths.count)
        XCTAssertGreaterThan(average, Double(smallChunking.averageSize) * 0.6)
        XCTAssertLessThan(average, Double(smallChunking.averageSize) * 2.0)
    }

    func testUniformInputIsCutAtMaxSize() {
        let data = [UInt8](repeating: 0, count: 100_000)
        let lengths = chunker.chunkLengths(data)
        XCTAssertEqual(Array(lengths.dropLast()), Array(repeating: smallChunking.maxSize, count: lengths.count - 1))
        XCTAssertEqual(lengths.reduce(0, +), data.count)
    }

    func testInsertionChangesOnlyNearbyChunks() {
        let original = pseudoRandomBytes(1 << 20, seed: 3)
        var edited = original
        edited.insert(contentsOf: pseudoRandomBytes(777, seed: 4), at: original.count / 2)
        func chunks(_ data: [UInt8]) -> [ArraySlice<UInt8>] {
            var out: [ArraySlice<UInt8>] = []
            var start = 0
            for n in chunker.chunkLengths(data) { out.append(data[start..<start + n]); start += n }
            return out
        }
        let before = chunks(original), after = chunks(edited)
        let beforeSet = Set(before.map { Array($0) })
        let changed = after.filter { !beforeSet.contains(Array($0)) }
        XCTAssertGreaterThan(changed.count, 0)
        XCTAssertLessThanOrEqual(changed.count, 3, "an insertion must only change the chunks around it")
        XCTAssertGreaterThanOrEqual(after.count - changed.count, before.count - 3)
    }

    func testEmptyAndTinyInput() {
        XCTAssertEqual(chunker.chunkLengths([UInt8]()), [])
        XCTAssertEqual(chunker.chunkLengths([42]), [1])
        XCTAssertEqual(chunker.chunkLengths(pseudoRandomBytes(smallChunking.minSize, seed: 5)), [smallChunking.minSize])
    }

    func testCutPointNeedsOnlyMaxSizeBytes() {
        // The store cuts with exactly maxSize bytes visible: more bytes behind must not move the cut.
        let data = pseudoRandomBytes(200_000, seed: 6)
        data.withUnsafeBytes { all in
            let limited = chunker.cutPoint(UnsafeRawBufferPointer(rebasing: all[0..<smallChunking.maxSize]))
            XCTAssertEqual(limited, chunker.cutPoint(all))
        }
    }

    func testGearTableIsTheDocumentedOne() {
        // splitmix64 from seed 0x6361_6972_6e00_0001; these values are part of the format.
        XCTAssertEqual(GearTable.values.count, 256)
        XCTAssertEqual(Set(GearTable.values).count, 256)
        XCTAssertEqual(GearTable.values[0], 0x1e9c_f89e_8b86_244c)
        XCTAssertEqual(GearTable.values[1], 0xc461_31d4_9dfa_c135)
        XCTAssertEqual(GearTable.values[2], 0xa46d_ee6f_f36c_5503)
        XCTAssertEqual(Chunker.maxSize, 1 << 20)
    }
}

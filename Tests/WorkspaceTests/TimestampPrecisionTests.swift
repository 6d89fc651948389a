import Basics
import Lineage
import XCTest
@testable import Workspace

final class TimestampPrecisionTests: XCTestCase {
    func testFileSystemTypeOfRootAndProc() {
        XCTAssertEqual(TimestampPrecision.fileSystemType(of: "/proc/self"), "proc")
        XCTAssertNotNil(TimestampPrecision.fileSystemType(of: "/"))
    }

    func testUnknownFileSystemsKeepTheConservativeMargin() {
        XCTAssertEqual(TimestampPrecision.racyMargin(forDirectory: "/proc"), StatCache.racyMarginNs)
    }

    func testWholeSecondMtimeMeansCoarseTimestamps() {
        func entry(mtime: Int64) -> StatCacheEntry {
            StatCacheEntry(stat: FileStat(inode: 1, size: 1, mtimeNs: mtime, ctimeNs: mtime, mode: 0o100644),
                           id: .empty, observedNs: mtime + 500_000_000)
        }
        let fine = entry(mtime: 1_700_000_000_123_456_789)
        XCTAssertEqual(TimestampPrecision.margin(for: fine, directoryMargin: TimestampPrecision.localMarginNs),
                       TimestampPrecision.localMarginNs)
        // Observed 0.5 s after a nanosecond mtime on a local file system: trusted.
        XCTAssertNotNil(FileIdentifier.cachedID(in: ["f": fine], "f", stat: fine.stat,
                                                marginNs: TimestampPrecision.localMarginNs))
        // The same with a whole-second mtime: the file system may round, so not trusted yet.
        let coarse = entry(mtime: 1_700_000_000_000_000_000)
        XCTAssertNil(FileIdentifier.cachedID(in: ["f": coarse], "f", stat: coarse.stat,
                                             marginNs: TimestampPrecision.localMarginNs))
    }
}

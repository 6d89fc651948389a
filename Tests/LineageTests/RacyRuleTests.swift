import Basics
import XCTest
import Lineage

/// The racy-git rule: trust a cached id only for an identical stat whose mtime is clearly in the past of
/// the moment the file was observed.
final class RacyRuleTests: XCTestCase {
    private let observed: Int64 = 1_750_000_000_000_000_000
    private let second: Int64 = 1_000_000_000

    private func entry(mtimeNs: Int64) -> StatCacheEntry {
        let stat = FileStat(inode: 42, size: 1234, mtimeNs: mtimeNs, ctimeNs: mtimeNs + 10, mode: 0o100644)
        return StatCacheEntry(stat: stat, id: ObjectID.of(Array("x".utf8)), observedNs: observed)
    }

    func testOldMtimeWithEqualStatIsTrusted() {
        let old = entry(mtimeNs: observed - 5 * second)
        XCTAssertTrue(StatCache.trusted(old, current: old.stat))
        let justOldEnough = entry(mtimeNs: observed - second - 1)
        XCTAssertTrue(StatCache.trusted(justOldEnough, current: justOldEnough.stat))
    }

    func testEqualStatButRecentMtimeIsNotTrusted() {
        for mtime in [observed - second, observed - second / 2, observed, observed + 3 * second] {
            let racy = entry(mtimeNs: mtime)
            XCTAssertFalse(StatCache.trusted(racy, current: racy.stat), "mtime \(mtime - observed) ns from observation")
        }
    }

    func testAnyDifferingStatFieldIsNotTrusted() {
        let cached = entry(mtimeNs: observed - 10 * second)
        var variants: [FileStat] = []
        var s = cached.stat; s.inode += 1; variants.append(s)
        s = cached.stat; s.size += 1; variants.append(s)
        s = cached.stat; s.mtimeNs += 1; variants.append(s)
        s = cached.stat; s.ctimeNs += 1; variants.append(s)
        s = cached.stat; s.mode = 0o100755; variants.append(s)
        for current in variants {
            XCTAssertFalse(StatCache.trusted(cached, current: current), "\(current) vs \(cached.stat)")
        }
    }

    func testMarginIsAdjustableAndDefaultsToOneSecond() {
        XCTAssertEqual(StatCache.racyMarginNs, second)
        let recent = entry(mtimeNs: observed - 2_000)
        XCTAssertFalse(StatCache.trusted(recent, current: recent.stat))
        XCTAssertTrue(StatCache.trusted(recent, current: recent.stat, marginNs: 1_000))
    }

    func testBogusObservationTimeDoesNotTrap() {
        var weird = entry(mtimeNs: Int64.min)
        weird.observedNs = Int64.min + 5
        XCTAssertFalse(StatCache.trusted(weird, current: weird.stat))
    }

    /// End to end with a real file: recorded right after writing it, it is racy; observed later, trusted.
    func testRealFileJustWrittenIsRacyThenTrusted() throws {
        let directory = try TemporaryDirectory("racy")
        let file = directory.file("f.txt")
        try FS.writeAtomically(file, "hello")
        let observedNow = FS.nowNs()
        guard let stat = try FS.lstat(file) else { return XCTFail("file vanished") }
        let fresh = StatCacheEntry(stat: stat, id: ObjectID.of(Array("hello".utf8)), observedNs: observedNow)
        XCTAssertFalse(StatCache.trusted(fresh, current: stat))
        let later = StatCacheEntry(stat: stat, id: fresh.id, observedNs: stat.mtimeNs + 2 * second)
        XCTAssertTrue(StatCache.trusted(later, current: stat))
    }
}

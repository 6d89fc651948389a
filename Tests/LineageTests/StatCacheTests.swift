import Basics
import Foundation
import XCTest
import Lineage

final class StatCacheTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private var statePath: String { directory.file("state.db") }

    override func setUpWithError() throws { directory = try TemporaryDirectory("statecache") }
    override func tearDown() { directory = nil }

    static func stat(_ n: Int, mtimeNs: Int64 = 1_700_000_000_000_000_000) -> FileStat {
        FileStat(inode: UInt64(1000 + n), size: UInt64(n * 10), mtimeNs: mtimeNs + Int64(n),
                 ctimeNs: mtimeNs + Int64(n) + 5, mode: 0o100644)
    }

    static func id(_ n: Int) -> ObjectID { ObjectID.of(Array("content \(n)".utf8)) }

    static func item(_ path: String, _ n: Int, observedNs: Int64 = 1_800_000_000_000_000_000)
        -> (path: String, stat: FileStat, id: ObjectID, observedNs: Int64) {
        (path, stat(n), id(n), observedNs)
    }

    func testFreshFileHasCurrentSchemaVersion() throws {
        XCTAssertFalse(FS.exists(statePath))
        _ = try StatCache(path: statePath)
        XCTAssertTrue(FS.exists(statePath))
        XCTAssertEqual(StatCache.schemaVersion, 1)
        XCTAssertEqual(try Database(path: statePath).userVersion(), StatCache.schemaVersion)
    }

    func testRecordLookupAndLoadAllRoundTrip() throws {
        let cache = try StatCache(path: statePath)
        let huge = FileStat(inode: UInt64.max, size: UInt64.max - 1, mtimeNs: -5, ctimeNs: Int64.max, mode: 0o100755)
        try cache.record([Self.item("a.csv", 1), Self.item("dir/ü b.bin", 2), ("big", huge, Self.id(3), 42)])

        XCTAssertEqual(try cache.lookup("a.csv"), StatCacheEntry(stat: Self.stat(1), id: Self.id(1),
                                                                 observedNs: 1_800_000_000_000_000_000))
        XCTAssertEqual(try cache.lookup("big"), StatCacheEntry(stat: huge, id: Self.id(3), observedNs: 42))
        XCTAssertNil(try cache.lookup("missing"))
        XCTAssertNil(try cache.lookup("dir"), "a directory prefix is not an entry")

        // A second process (here: a second instance) reads what the first wrote.
        let all = try StatCache(path: statePath).loadAll()
        XCTAssertEqual(Set(all.keys), ["a.csv", "dir/ü b.bin", "big"])
        XCTAssertEqual(all["dir/ü b.bin"]?.id, Self.id(2))
        XCTAssertEqual(all["dir/ü b.bin"]?.stat, Self.stat(2))
        XCTAssertEqual(all["big"]?.stat, huge)
    }

    func testRecordReplacesAnExistingEntry() throws {
        let cache = try StatCache(path: statePath)
        try cache.record([Self.item("a", 1), Self.item("b", 2)])
        try cache.record([("a", Self.stat(9), Self.id(9), 77)])
        XCTAssertEqual(try cache.lookup("a"), StatCacheEntry(stat: Self.stat(9), id: Self.id(9), observedNs: 77))
        XCTAssertEqual(try cache.lookup("b")?.id, Self.id(2))
        XCTAssertEqual(try cache.loadAll().count, 2)
    }

    func testRemoveUnderPrefixKeepsSiblingsThatShareTheName() throws {
        let cache = try StatCache(path: statePath)
        let paths = ["data", "data/a", "data/sub/b", "data2", "data2/c", "data.csv", "data-x/d", "dat", "other/data/e"]
        try cache.record(paths.enumerated().map { Self.item($0.element, $0.offset) })

        try cache.remove(pathsUnder: "data")
        XCTAssertEqual(Set(try cache.loadAll().keys), ["data2", "data2/c", "data.csv", "data-x/d", "dat", "other/data/e"])

        try cache.remove(pathsUnder: "other/data/")   // a trailing slash names the same directory
        XCTAssertNil(try cache.lookup("other/data/e"))

        try cache.remove(pathsUnder: "data2/c")       // a single file
        XCTAssertEqual(Set(try cache.loadAll().keys), ["data2", "data.csv", "data-x/d", "dat"])

        try cache.remove(pathsUnder: "")              // the repository root: everything
        XCTAssertTrue(try cache.loadAll().isEmpty)
    }

    func testNewerSchemaIsRefusedAndFileKept() throws {
        let database = try Database(path: statePath)
        try database.setUserVersion(StatCache.schemaVersion + 1)
        XCTAssertThrowsError(try StatCache(path: statePath)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(self.statePath): stat cache schema version 2 is newer"), "\(error)")
        }
        XCTAssertEqual(try database.userVersion(), StatCache.schemaVersion + 1, "a newer file must not be replaced")
    }

    func testGarbageFileIsRecreatedWithAWarning() throws {
        try FS.writeAtomically(statePath, String(repeating: "garbage, not SQLite\n", count: 500))
        let warnings = Locked<[String]>([])
        let cache = try StatCache(path: statePath, warn: { line in warnings.withLock { $0.append(line) } })
        XCTAssertEqual(warnings.snapshot.count, 1)
        XCTAssertTrue(warnings.snapshot.first?.hasPrefix("cairn: warning: \(statePath) was damaged") ?? false,
                      "\(warnings.snapshot)")
        XCTAssertTrue(try cache.loadAll().isEmpty)
        try cache.record([Self.item("a", 1)])
        XCTAssertEqual(try StatCache(path: statePath).lookup("a")?.id, Self.id(1))
    }

    func testDamagedPagesFoundLaterAreRecreated() throws {
        do {  // the cache closes (and checkpoints its WAL into the file) at the end of this scope
            let cache = try StatCache(path: statePath)
            try cache.record((0..<3000).map { Self.item("dir/file-\($0)", $0) })
        }
        // Keep the header page (the schema version still reads fine) and smash the table's pages.
        var bytes = try FS.readAll(statePath)
        XCTAssertGreaterThan(bytes.count, 64 * 1024)
        for i in 8192..<(bytes.count - 4096) { bytes[i] = UInt8(truncatingIfNeeded: i &* 131) }
        try FS.writeAtomically(statePath, bytes)

        let warnings = Locked<[String]>([])
        let cache = try StatCache(path: statePath, warn: { line in warnings.withLock { $0.append(line) } })
        XCTAssertTrue(try cache.loadAll().isEmpty, "a damaged cache must read as empty, not fail")
        XCTAssertEqual(warnings.snapshot.count, 1, "\(warnings.snapshot)")
        try cache.record([Self.item("after", 5)])
        XCTAssertEqual(try cache.lookup("after")?.id, Self.id(5))
        XCTAssertEqual(Database.checkHealth(path: statePath), .healthy)
    }

    func testHundredThousandEntriesRecordAndLoad() throws {
        let count = 100_000
        let items = (0..<count).map { Self.item("dataset/part-\($0 % 100)/sample-\($0).jpg", $0) }
        let cache = try StatCache(path: statePath)
        let recordStart = FS.nowNs()
        try cache.record(items)
        let loadStart = FS.nowNs()
        let all = try cache.loadAll()
        let end = FS.nowNs()
        print("stat cache: record \(count) in \((loadStart - recordStart) / 1_000_000) ms, "
            + "loadAll in \((end - loadStart) / 1_000_000) ms")
        XCTAssertEqual(all.count, count)
        XCTAssertEqual(all["dataset/part-7/sample-99907.jpg"]?.id, Self.id(99907))
        XCTAssertEqual(all["dataset/part-7/sample-99907.jpg"]?.stat, Self.stat(99907))
        try cache.remove(pathsUnder: "dataset/part-7")
        XCTAssertEqual(try cache.loadAll().count, count - count / 100)
    }

    /// Another connection (as another cairn process would) holds the write lock for a while: recording
    /// waits for it (busy timeout) instead of failing, and the busy file is not mistaken for a damaged one.
    func testWriterWaitsForAnotherConnectionsTransaction() throws {
        let cache = try StatCache(path: statePath, warn: { XCTFail("unexpected warning: \($0)") })
        try cache.record([Self.item("before", 1)])
        let locked = DispatchSemaphore(value: 0)
        let committed = Locked(false)
        let path = statePath
        let holder = Thread {
            guard let other = try? Database(path: path),
                  (try? other.execute("BEGIN IMMEDIATE; DELETE FROM stat_cache WHERE path = 'before'")) != nil
            else { locked.signal(); return }
            locked.signal()
            usleep(300_000)
            committed.withLock { $0 = true }
            try? other.execute("COMMIT")
        }
        holder.start()
        locked.wait()
        try cache.record([Self.item("after", 2)])
        XCTAssertTrue(committed.snapshot, "record must have waited for the other transaction")
        XCTAssertNil(try cache.lookup("before"))
        XCTAssertEqual(try cache.lookup("after")?.id, Self.id(2))
    }

    func testConcurrentUseFromThreadsAndConnections() throws {
        let first = try StatCache(path: statePath)
        let second = try StatCache(path: statePath)
        try Parallel.forEach(40, workers: 4) { i in
            let cache = i % 2 == 0 ? first : second
            try cache.record((0..<50).map { Self.item("w\(i)/f\($0)", $0) })
            _ = try cache.lookup("w\(i)/f0")
        }
        XCTAssertEqual(try first.loadAll().count, 40 * 50)
    }
}

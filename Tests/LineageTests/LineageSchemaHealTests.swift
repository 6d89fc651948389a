import Basics
import Foundation
import Lineage
import XCTest

/// Issue 9 item 6: a lineage.db that opens but does not have the schema its version promises is recreated
/// (it is an index of Git), with one notice; a healthy one is left alone.
final class LineageSchemaHealTests: XCTestCase {
    private typealias S = LineageSamples

    private func openCollecting(_ path: String) throws -> (LineageStore, [String]) {
        let warnings = Locked<[String]>([])
        let store = try LineageStore(path: path, warn: { message in warnings.withLock { $0.append(message) } })
        return (store, warnings.snapshot)
    }

    private func damage(_ path: String, _ sql: String) throws {
        let database = try Database(path: path)
        try database.execute(sql)
    }

    func testDroppedTablesAreRecreatedWithOneNotice() throws {
        let directory = try TemporaryDirectory("lineage-heal")
        let path = directory.file("lineage.db")
        do {
            let (store, warnings) = try openCollecting(path)
            XCTAssertEqual(warnings, [])
            try store.indexCommit(S.commit(1, time: 100), versions: [S.version("a.csv", 1)])
        }
        try damage(path, "DROP TABLE run_io; DROP TABLE versions")
        let (healed, warnings) = try openCollecting(path)
        XCTAssertTrue(healed.wasRecreated)
        XCTAssertEqual(warnings.count, 1, "\(warnings)")
        XCTAssertTrue(warnings.first?.contains("missing table run_io, table versions") == true, "\(warnings)")
        XCTAssertEqual(try healed.counts().commits, 0, "recreated empty, to be re-indexed from Git")
        try healed.indexCommit(S.commit(1, time: 100), versions: [S.version("a.csv", 1)])
        XCTAssertEqual(try healed.counts().versions, 1)
        let (again, none) = try openCollecting(path)
        XCTAssertFalse(again.wasRecreated)
        XCTAssertEqual(none, [], "a healthy file is opened without a word")
    }

    func testAChangedTableOrTablesWithoutAVersionAreRecreated() throws {
        let directory = try TemporaryDirectory("lineage-heal")
        let path = directory.file("lineage.db")
        _ = try openCollecting(path)
        try damage(path, "ALTER TABLE versions ADD COLUMN junk TEXT")
        let (changed, warnings) = try openCollecting(path)
        XCTAssertTrue(changed.wasRecreated)
        XCTAssertTrue(warnings.first?.contains("different table versions") == true, "\(warnings)")

        let other = directory.file("other.db")
        try damage(other, "CREATE TABLE commits (x)")
        let (unversioned, notes) = try openCollecting(other)
        XCTAssertTrue(unversioned.wasRecreated)
        XCTAssertTrue(notes.first?.contains("no lineage schema version") == true, "\(notes)")
    }

    func testANewerSchemaIsStillRefusedNotRecreated() throws {
        let directory = try TemporaryDirectory("lineage-heal")
        let path = directory.file("lineage.db")
        _ = try openCollecting(path)
        try Database(path: path).setUserVersion(LineageStore.schemaVersion + 1)
        XCTAssertThrowsError(try LineageStore(path: path)) { error in
            XCTAssertTrue("\(error)".contains("newer than this cairn supports"), "\(error)")
        }
    }
}

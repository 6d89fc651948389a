import Basics
import XCTest
import Lineage

final class SchemaMigrationTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory("migrate") }
    override func tearDown() { directory = nil }

    private let steps = [
        SchemaMigration(version: 1, sql: "CREATE TABLE runs (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"),
        SchemaMigration(version: 2) { database in
            try database.execute("ALTER TABLE runs ADD COLUMN started_ns INTEGER NOT NULL DEFAULT 0")
            try database.execute("INSERT INTO runs (name) VALUES ('seeded by step 2')")
        },
    ]

    func testFreshFileGetsEveryStep() throws {
        let database = try Database(path: directory.file("l.db"))
        XCTAssertEqual(try database.userVersion(), 0)
        try database.migrate(steps, name: "lineage")
        XCTAssertEqual(try database.userVersion(), 2)
        XCTAssertEqual(try database.scalarInt("SELECT count(*) FROM runs WHERE started_ns = 0"), 1)
    }

    func testReopeningDoesNotReapplySteps() throws {
        try Database(path: directory.file("l.db")).migrate(steps, name: "lineage")
        let reopened = try Database(path: directory.file("l.db"))
        try reopened.migrate(steps, name: "lineage")
        XCTAssertEqual(try reopened.userVersion(), 2)
        XCTAssertEqual(try reopened.scalarInt("SELECT count(*) FROM runs"), 1, "step 2 ran twice")
    }

    func testOlderFileIsUpgradedStepByStep() throws {
        try Database(path: directory.file("l.db")).migrate(Array(steps.prefix(1)), name: "lineage")
        let database = try Database(path: directory.file("l.db"))
        XCTAssertEqual(try database.userVersion(), 1)
        try database.migrate(steps, name: "lineage")
        XCTAssertEqual(try database.userVersion(), 2)
        XCTAssertEqual(try database.scalarInt("SELECT count(*) FROM runs"), 1)
    }

    func testNewerFileIsRefusedAndLeftAlone() throws {
        let path = directory.file("l.db")
        let newer = try Database(path: path)
        try newer.execute("CREATE TABLE future (x)")
        try newer.setUserVersion(7)
        XCTAssertThrowsError(try Database(path: path).migrate(steps, name: "lineage")) { error in
            XCTAssertEqual("\(error)", "\(path): lineage schema version 7 is newer than this cairn supports (2); "
                + "upgrade cairn to use this file")
        }
        XCTAssertEqual(try newer.userVersion(), 7)
        XCTAssertNil(try? newer.scalarInt("SELECT count(*) FROM runs"), "no step may run on a newer file")
    }

    func testFailingStepRollsBackAndNamesTheVersion() throws {
        let broken = [steps[0], SchemaMigration(version: 2, sql: "ALTER TABLE nope ADD COLUMN x")]
        let database = try Database(path: directory.file("l.db"))
        XCTAssertThrowsError(try database.migrate(broken, name: "lineage")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix(database.path + ": upgrading the lineage schema to version 2 failed"), text)
            XCTAssertTrue(text.contains("no such table: nope"), text)
        }
        XCTAssertEqual(try database.userVersion(), 0, "the version bump belongs to the failed transaction")
        XCTAssertNil(try? database.scalarInt("SELECT count(*) FROM runs"), "step 1 must be rolled back too")
    }

    func testMisnumberedStepsAreABug() throws {
        let database = try Database(path: directory.file("l.db"))
        let gap = [steps[0], SchemaMigration(version: 3, sql: "SELECT 1")]
        XCTAssertThrowsError(try database.migrate(gap, name: "lineage")) { error in
            XCTAssertTrue("\(error)".contains("this is a bug"), "\(error)")
        }
    }
}

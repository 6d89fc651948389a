import Basics
import XCTest
import Lineage

final class DatabaseTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory("db") }
    override func tearDown() { directory = nil }

    private func openDatabase(_ name: String = "test.db") throws -> Database {
        try Database(path: directory.file(name))
    }

    func testOpensInWALModeWithForeignKeys() throws {
        let database = try openDatabase()
        XCTAssertEqual(try database.scalarText("PRAGMA journal_mode"), "wal")
        XCTAssertEqual(try database.scalarInt("PRAGMA foreign_keys"), 1)
        XCTAssertEqual(try database.scalarInt("PRAGMA busy_timeout"), Int64(Database.defaultBusyTimeoutMs))
        XCTAssertTrue(FS.exists(directory.file("test.db")))
    }

    func testBindAndReadEveryColumnKind() throws {
        let database = try openDatabase()
        try database.execute("CREATE TABLE t (i INTEGER, s TEXT, b BLOB, n TEXT)")
        let insert = try database.prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4)")
        try insert.bind(Int64.min, at: 1)
        try insert.bind("données é/ü 🚀", at: 2)
        try insert.bind(bytes: [0, 1, 2, 255], at: 3)
        try insert.bindNull(at: 4)
        try insert.run()
        insert.reset()
        try insert.bind(7, at: 1)
        try insert.bind("", at: 2)
        try insert.bind(bytes: [], at: 3)
        try insert.bind("x", at: 4)
        try insert.run()

        let select = try database.prepare("SELECT i, s, b, n FROM t ORDER BY i")
        XCTAssertTrue(try select.step())
        XCTAssertEqual(select.int64(0), Int64.min)
        XCTAssertEqual(select.text(1), "données é/ü 🚀")
        XCTAssertEqual(select.blob(2), [0, 1, 2, 255])
        XCTAssertTrue(select.isNull(3))
        XCTAssertTrue(try select.step())
        XCTAssertEqual(select.int(0), 7)
        XCTAssertEqual(select.text(1), "")
        XCTAssertEqual(select.blob(2), [])
        XCTAssertFalse(select.isNull(2), "an empty blob must not turn into NULL")
        XCTAssertFalse(try select.step())
    }

    func testErrorsNameFileSQLAndSQLiteMessage() throws {
        let database = try openDatabase()
        XCTAssertThrowsError(try database.execute("SELECT * FROM missing_table")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix(database.path + ": "), text)
            XCTAssertTrue(text.contains("SELECT * FROM missing_table"), text)
            XCTAssertTrue(text.contains("no such table: missing_table"), text)
        }
        XCTAssertThrowsError(try database.prepare("SELEC 1")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(database.path) && text.contains("SELEC 1"), text)
            XCTAssertTrue(text.contains("syntax error"), text)
        }
        try database.execute("CREATE TABLE u (k TEXT PRIMARY KEY)")
        let insert = try database.prepare("INSERT INTO u VALUES ('a')")
        try insert.run()
        insert.reset()
        XCTAssertThrowsError(try insert.run()) { error in
            XCTAssertTrue("\(error)".contains("UNIQUE constraint failed"), "\(error)")
        }
    }

    func testOpenInMissingDirectoryNamesTheFile() {
        let path = directory.file("no/such/dir/x.db")
        XCTAssertThrowsError(try Database(path: path)) { error in
            XCTAssertTrue("\(error)".hasPrefix(path + ": open failed"), "\(error)")
        }
    }

    func testTransactionCommitsOrRollsBack() throws {
        let database = try openDatabase()
        try database.execute("CREATE TABLE t (v INTEGER)")
        try database.transaction { try database.execute("INSERT INTO t VALUES (1)") }
        struct Boom: Error {}
        XCTAssertThrowsError(try database.transaction {
            try database.execute("INSERT INTO t VALUES (2)")
            throw Boom()
        })
        XCTAssertEqual(try database.scalarText("SELECT group_concat(v, ',') FROM t"), "1")
        // The connection is usable again: no transaction was left open.
        try database.transaction { try database.execute("INSERT INTO t VALUES (3)") }
        XCTAssertEqual(try database.scalarText("SELECT group_concat(v, ',') FROM t"), "1,3")
    }

    func testNestedTransactionFailureUndoesOnlyTheInnerWork() throws {
        let database = try openDatabase()
        try database.execute("CREATE TABLE t (v INTEGER)")
        struct Boom: Error {}
        try database.transaction {
            try database.execute("INSERT INTO t VALUES (1)")
            try? database.transaction {
                try database.execute("INSERT INTO t VALUES (2)")
                throw Boom()
            }
            try database.transaction { try database.execute("INSERT INTO t VALUES (3)") }
        }
        XCTAssertEqual(try database.scalarText("SELECT group_concat(v, ',') FROM t"), "1,3")
    }

    func testTwoConnectionsSeeEachOthersCommits() throws {
        let first = try openDatabase("shared.db")
        let second = try openDatabase("shared.db")
        try first.execute("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (42)")
        XCTAssertEqual(try second.scalarInt("SELECT v FROM t"), 42)
        try second.transaction { try second.execute("UPDATE t SET v = 43") }
        XCTAssertEqual(try first.scalarInt("SELECT v FROM t"), 43)
    }

    func testHealthCheckClassifiesFiles() throws {
        XCTAssertEqual(Database.checkHealth(path: directory.file("absent.db")), .healthy)
        let good = try openDatabase("good.db")
        try good.execute("CREATE TABLE t (v INTEGER)")
        XCTAssertEqual(Database.checkHealth(path: good.path), .healthy)
        let junk = directory.file("junk.db")
        try FS.writeAtomically(junk, String(repeating: "this is not sqlite\n", count: 300))
        guard case .damaged(let reason) = Database.checkHealth(path: junk) else {
            return XCTFail("a text file must be reported as damaged")
        }
        XCTAssertTrue(reason.contains("not a database"), reason)
    }
}

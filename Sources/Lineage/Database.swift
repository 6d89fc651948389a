import Basics
import CSQLite3

/// One SQLite connection. Opened in WAL mode (readers never block the one writer, so two cairn processes
/// can share a file), with a busy timeout (a second writer waits instead of failing at once) and foreign keys.
///
/// Not `Sendable`: a transaction is a property of the connection, so interleaving calls from several threads
/// would mix their statements into one transaction. Owners that are shared between threads (like
/// `StatCache`) serialise access themselves.
public final class Database {
    /// The file, as given; every error message starts with it.
    public let path: String
    let handle: OpaquePointer
    private var savepointDepth = 0

    /// Default wait for another connection's lock before SQLITE_BUSY: long enough for a concurrent cairn
    /// to finish a large transaction, short enough that a stuck process is reported.
    public static let defaultBusyTimeoutMs: Int32 = 10_000

    /// Opens (creating if missing) the database at `path`. The directory must exist.
    public convenience init(path: String, busyTimeoutMs: Int32 = Database.defaultBusyTimeoutMs) throws {
        try self.init(path: path, busyTimeoutMs: busyTimeoutMs, wal: true)
    }

    /// A private database in memory (no WAL: it has no file to share), e.g. to learn the schema that a list of
    /// migrations produces.
    public static func inMemory() throws -> Database {
        try Database(path: ":memory:", busyTimeoutMs: 0, wal: false)
    }

    private init(path: String, busyTimeoutMs: Int32, wal: Bool) throws {
        self.path = path
        var opened: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        let rc = sqlite3_open_v2(path, &opened, flags, nil)
        guard rc == SQLITE_OK, let opened else {
            let error = SQLiteFailure.error(rc, handle: opened, path: path, what: "open")
            sqlite3_close_v2(opened)
            throw error
        }
        handle = opened
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeoutMs)
        do {
            // journal_mode answers with a row naming the mode it ended in; anything else than "wal" (for
            // instance on a file system without shared memory) would silently lose concurrency.
            let mode = wal ? try scalarText("PRAGMA journal_mode=WAL") : "wal"
            guard mode?.lowercased() == "wal" else {
                throw CairnError("\(path): cannot switch the database to WAL mode (it stays in '\(mode ?? "?")')")
            }
            try execute("PRAGMA foreign_keys=ON")
        } catch {
            sqlite3_close_v2(handle)
            throw error
        }
    }

    deinit {
        // close_v2 defers the close until statements still alive are finalized, so order does not matter.
        sqlite3_close_v2(handle)
    }

    /// Throws a `CairnError` naming the file, `what` and SQLite's message when `code` is not one of `accepted`.
    @discardableResult
    func check(_ code: Int32, _ what: @autoclosure () -> String, accepting accepted: Set<Int32> = [SQLITE_OK])
        throws -> Int32 {
        if accepted.contains(code) { return code }
        throw SQLiteFailure.error(code, handle: handle, path: path, what: what())
    }

    /// Runs one or more statements that return no rows of interest (schema changes, pragmas).
    public func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let detail = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_free(message)
            let what = SQLiteFailure.describe(operation: nil, sql: sql)
            throw CairnError("\(path): \(what) failed: \(detail) (SQLite code \(rc))")
        }
    }

    /// Compiles `sql` (one statement) for binding and stepping.
    public func prepare(_ sql: String) throws -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// The first column of the first row, as text; nil when there is no row or it is NULL.
    public func scalarText(_ sql: String) throws -> String? {
        let statement = try prepare(sql)
        return try statement.step() ? statement.text(0) : nil
    }

    /// The first column of the first row, as an integer; nil when there is no row or it is NULL.
    public func scalarInt(_ sql: String) throws -> Int64? {
        let statement = try prepare(sql)
        return try statement.step() && !statement.isNull(0) ? statement.int64(0) : nil
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws. The outermost
    /// level uses BEGIN IMMEDIATE, which takes the write lock up front: a deferred transaction that reads
    /// and then writes can fail with SQLITE_BUSY without waiting when another connection wrote meanwhile.
    /// Nested calls become savepoints, so an inner failure undoes only the inner work.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        let nested = savepointDepth > 0 || sqlite3_get_autocommit(handle) == 0
        let savepoint = "cairn_savepoint_\(savepointDepth)"
        try execute(nested ? "SAVEPOINT \(savepoint)" : "BEGIN IMMEDIATE")
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        let result: T
        do {
            result = try body()
        } catch {
            // A failed rollback leaves nothing better to report than the original error.
            if nested {
                try? execute("ROLLBACK TO \(savepoint); RELEASE \(savepoint)")
            } else if sqlite3_get_autocommit(handle) == 0 {
                try? execute("ROLLBACK")
            }
            throw error
        }
        do {
            try execute(nested ? "RELEASE \(savepoint)" : "COMMIT")
        } catch {
            // COMMIT can fail (SQLITE_BUSY, disk full) and leave the transaction open; never leave it so.
            if !nested && sqlite3_get_autocommit(handle) == 0 { try? execute("ROLLBACK") }
            throw error
        }
        return result
    }

    /// The schema version stored in the file header (`PRAGMA user_version`); 0 for a new file.
    public func userVersion() throws -> Int {
        Int(try scalarInt("PRAGMA user_version") ?? 0)
    }

    /// Sets `PRAGMA user_version` (pragmas cannot take bound parameters, hence the literal).
    public func setUserVersion(_ version: Int) throws {
        try execute("PRAGMA user_version = \(version)")
    }

    /// Rows changed by the most recent INSERT, UPDATE or DELETE on this connection.
    public var changes: Int { Int(sqlite3_changes(handle)) }
}

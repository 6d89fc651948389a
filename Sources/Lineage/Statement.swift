import Basics
import CSQLite3

/// A compiled SQL statement. Prepare once, then bind / step / reset many times: for bulk work this is what
/// makes 100k rows take milliseconds rather than seconds. Parameter and column indexes follow SQLite:
/// parameters count from 1, columns from 0.
public final class Statement {
    /// Kept so the connection outlives its statements and errors can name the file.
    public let database: Database
    public let sql: String
    private let handle: OpaquePointer

    init(database: Database, sql: String) throws {
        self.database = database
        self.sql = sql
        var compiled: OpaquePointer?
        let rc = sqlite3_prepare_v2(database.handle, sql, -1, &compiled, nil)
        guard rc == SQLITE_OK, let compiled else {
            sqlite3_finalize(compiled)
            // An empty or comment-only string compiles to no statement (rc OK, nil handle): a caller bug.
            let what = SQLiteFailure.describe(operation: nil, sql: sql)
            if rc == SQLITE_OK { throw CairnError.bug("\(database.path): \(what) contains no statement") }
            throw SQLiteFailure.error(rc, handle: database.handle, path: database.path, what: "preparing \(what)")
        }
        handle = compiled
    }

    deinit { sqlite3_finalize(handle) }

    private var what: String { SQLiteFailure.describe(operation: nil, sql: sql) }

    // MARK: Binding

    public func bind(_ value: Int64, at index: Int32) throws {
        try database.check(sqlite3_bind_int64(handle, index, value), "binding parameter \(index) of \(what)")
    }

    public func bind(_ value: Int, at index: Int32) throws {
        try bind(Int64(value), at: index)
    }

    /// Binds UTF-8 text; SQLite copies it, so the Swift string may go away at once.
    public func bind(_ value: String, at index: Int32) throws {
        let rc = value.utf8.withContiguousStorageIfAvailable { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { chars in
                sqlite3_bind_text(handle, index, chars.baseAddress, Int32(chars.count), sqliteTransient)
            }
        } ?? sqlite3_bind_text(handle, index, value, -1, sqliteTransient)
        try database.check(rc, "binding parameter \(index) of \(what)")
    }

    /// Binds a blob; SQLite copies the bytes.
    public func bind(bytes: UnsafeRawBufferPointer, at index: Int32) throws {
        // A nil base address would bind NULL; an empty blob must stay an empty blob.
        let rc = bytes.count == 0
            ? sqlite3_bind_zeroblob(handle, index, 0)
            : sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), sqliteTransient)
        try database.check(rc, "binding parameter \(index) of \(what)")
    }

    public func bind(bytes: [UInt8], at index: Int32) throws {
        try bytes.withUnsafeBytes { try bind(bytes: $0, at: index) }
    }

    public func bindNull(at index: Int32) throws {
        try database.check(sqlite3_bind_null(handle, index), "binding parameter \(index) of \(what)")
    }

    // MARK: Running

    /// Advances to the next row: true when a row is available, false when the statement is done.
    @discardableResult
    public func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw SQLiteFailure.error(rc, handle: database.handle, path: database.path, what: what)
    }

    /// Steps until done, for statements whose rows (if any) are not needed.
    public func run() throws {
        while try step() {}
    }

    /// Makes the statement ready to run again with new bindings. sqlite3_reset repeats the error of a failed
    /// step, which `step` has already thrown, so its result is deliberately ignored.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    // MARK: Columns of the current row

    public func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    public func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    public func int(_ column: Int32) -> Int {
        Int(sqlite3_column_int64(handle, column))
    }

    /// Text of a column (empty for NULL). Decoded with the byte count, so embedded NULs do not cut it short.
    public func text(_ column: Int32) -> String {
        guard let start = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    }

    /// Lends the column's bytes without copying; valid only inside `body` (SQLite owns the memory).
    public func withBlob<T>(_ column: Int32, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        // column_blob must be called before column_bytes, as SQLite documents.
        let start = sqlite3_column_blob(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        return try body(UnsafeRawBufferPointer(start: start, count: start == nil ? 0 : count))
    }

    public func blob(_ column: Int32) -> [UInt8] {
        withBlob(column) { Array($0) }
    }
}

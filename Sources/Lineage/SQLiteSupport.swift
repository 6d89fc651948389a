import Basics
import CSQLite3
#if canImport(Glibc)
import Glibc
#endif

/// `SQLITE_TRANSIENT` is a C macro (a cast of -1), which Swift does not import. It tells SQLite to copy bound
/// text and blobs before the bind call returns, so Swift buffers may go away right after.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// The one place that turns SQLite result codes into `CairnError`s, so every failure names the file, the
/// operation or SQL, and SQLite's own message (the idea of SwiftPM's `SQLite.checkError`).
enum SQLiteFailure {
    /// Longest SQL text quoted in an error; migrations can be long and one line should stay readable.
    static let maxQuotedSQL = 160

    /// A readable name for what failed: the operation, or the SQL squeezed onto one line.
    static func describe(operation: String?, sql: String?) -> String {
        if let operation { return operation }
        guard let sql else { return "SQLite call" }
        let words = sql.split(whereSeparator: { $0 == "\n" || $0 == "\t" || $0 == " " })
        let oneLine = words.joined(separator: " ")
        let quoted = oneLine.count > maxQuotedSQL ? String(oneLine.prefix(maxQuotedSQL)) + "…" : oneLine
        return "SQL `\(quoted)`"
    }

    /// The error for `code` on connection `handle` (nil when opening failed before a handle existed).
    static func error(_ code: Int32, handle: OpaquePointer?, path: String, what: String) -> CairnError {
        let message: String
        if let handle, let text = sqlite3_errmsg(handle) {
            message = String(cString: text)
        } else if let text = sqlite3_errstr(code) {
            message = String(cString: text)
        } else {
            message = "unknown error"
        }
        // A full disk is not damage: say so plainly (and with the kind callers test), so nobody deletes or
        // rebuilds a good database because its disk filled up.
        let systemErrno = handle.map { sqlite3_system_errno($0) } ?? 0
        if primary(code) == SQLITE_FULL || systemErrno == ENOSPC || systemErrno == EDQUOT {
            return CairnError("no space left on the device while writing \(path) (\(what): \(message))", kind: .noSpace)
        }
        let kind: CairnError.Kind = primary(code) == SQLITE_IOERR ? .localIO(errno: systemErrno) : .failure
        return CairnError("\(path): \(what) failed: \(message) (SQLite code \(code))", kind: kind)
    }

    /// Primary result code (the low byte of an extended code).
    static func primary(_ code: Int32) -> Int32 { code & 0xFF }
}

/// What a fresh, independent look at a database file found. The stat cache uses it after a failure to tell
/// a damaged file (move it aside and recreate it) from one that is merely unavailable (keep it, report the error).
public enum DatabaseHealth: Equatable, Sendable {
    case healthy
    /// Another connection holds a lock, or memory ran out: the file itself may well be fine.
    case unavailable(reason: String)
    /// Not a database, malformed, or unreadable: its contents cannot be used.
    case damaged(reason: String)
}

extension Database {
    /// Opens `path` on a private connection (without creating it) and runs `PRAGMA quick_check(1)`, which
    /// only reads. Read-write so that a WAL database whose -shm file is gone can still be read. A missing file is
    /// healthy (it will be created). Never throws: the classification is the answer. Raw C calls on purpose,
    /// because the decision needs SQLite's result codes, which `CairnError` messages do not carry.
    public static func checkHealth(path: String) -> DatabaseHealth {
        guard FS.exists(path) else { return .healthy }
        var handle: OpaquePointer?
        defer { sqlite3_close_v2(handle) }
        var rc = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nil)
        if rc != SQLITE_OK { return classify(rc, handle: handle, path: path, what: "open") }
        sqlite3_busy_timeout(handle, 2_000)
        var statement: OpaquePointer?
        defer { sqlite3_finalize(statement) }
        rc = sqlite3_prepare_v2(handle, "PRAGMA quick_check(1)", -1, &statement, nil)
        if rc != SQLITE_OK { return classify(rc, handle: handle, path: path, what: "PRAGMA quick_check") }
        rc = sqlite3_step(statement)
        guard rc == SQLITE_ROW else { return classify(rc, handle: handle, path: path, what: "PRAGMA quick_check") }
        let verdict = sqlite3_column_text(statement, 0).map { String(cString: $0) } ?? ""
        return verdict == "ok" ? .healthy : .damaged(reason: "\(path): integrity check says: \(verdict)")
    }

    private static func classify(_ code: Int32, handle: OpaquePointer?, path: String, what: String)
        -> DatabaseHealth {
        let reason = SQLiteFailure.error(code, handle: handle, path: path, what: what).message
        // Only SQLite's own verdict on the file's contents counts as damage. A full disk, an I/O error, a lock
        // or missing permissions say nothing about the contents: the file is kept (issue 9 item 5).
        switch SQLiteFailure.primary(code) {
        case SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_FORMAT:
            return .damaged(reason: reason)
        default:
            return .unavailable(reason: reason)
        }
    }
}

extension Database {
    /// Moves a damaged database and its companions (-wal, -shm, -journal) aside as `NAME.damaged-<time>`, so a new
    /// one can be created without destroying what may still be evidence (or, for lineage.db, pending records a
    /// person could recover). Returns the new name of the main file.
    public static func moveAside(_ path: String) throws -> String {
        let suffix = ".damaged-\(FS.nowNs() / 1_000_000_000)"
        for file in [path, path + "-wal", path + "-shm", path + "-journal"] where FS.exists(file) {
            try FS.rename(file, file + suffix)
        }
        return path + suffix
    }
}

import Basics

/// Remembers, per repo-relative path, the stat data of a file and the SHA-256 id of its content, so that
/// files which did not change are not read again (git's index and dvc-data's state.py do the same).
/// Lives in `.cairn/state.db`; the format is described in docs/formats.md, "The stat cache".
///
/// The cache is only an optimisation: a damaged or unreadable file is deleted and recreated empty (with a
/// one-line warning), and everything is re-hashed once. Several processes may share the file (SQLite WAL
/// with a busy timeout); within a process, calls from several threads are serialised by a lock.
public final class StatCache: @unchecked Sendable {
    /// The schema version this cairn writes (`PRAGMA user_version` of state.db).
    public static let schemaVersion: Int = migrations.count

    static let migrations: [SchemaMigration] = [
        SchemaMigration(version: 1, sql: """
            CREATE TABLE stat_cache (
                path        TEXT    NOT NULL PRIMARY KEY,
                inode       INTEGER NOT NULL,
                size        INTEGER NOT NULL,
                mtime_ns    INTEGER NOT NULL,
                ctime_ns    INTEGER NOT NULL,
                mode        INTEGER NOT NULL,
                id          BLOB    NOT NULL CHECK (length(id) = 32),
                observed_ns INTEGER NOT NULL
            ) WITHOUT ROWID;
            """),
    ]

    private static let columns = "path, inode, size, mtime_ns, ctime_ns, mode, id, observed_ns"
    private static let upsertSQL = """
        INSERT INTO stat_cache (\(columns)) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
        ON CONFLICT (path) DO UPDATE SET inode = excluded.inode, size = excluded.size,
            mtime_ns = excluded.mtime_ns, ctime_ns = excluded.ctime_ns, mode = excluded.mode,
            id = excluded.id, observed_ns = excluded.observed_ns
        """

    /// The state.db file.
    public let path: String
    private let warn: @Sendable (String) -> Void
    private let lock = Mutex()
    /// nil only while the file is being replaced.
    private var database: Database?
    /// Prepared once: callers may look up one path at a time for a whole tree.
    private var lookupStatement: Statement?

    /// Opens `path`, creating the file and schema if missing. A damaged file is replaced (see the type's
    /// comment); a file written by a newer cairn (higher schema version) is refused with an error.
    /// `warn` receives the one-line notice when a damaged file is replaced.
    public init(path: String, warn: @escaping @Sendable (String) -> Void = { Diagnostics.line($0) }) throws {
        self.path = path
        self.warn = warn
        do {
            database = try StatCache.open(path)
        } catch {
            try StatCache.discardIfDamaged(path, after: error, warn: warn)
            database = try StatCache.open(path)
        }
    }

    private static func open(_ path: String) throws -> Database {
        let database = try Database(path: path)
        // Losing the last transactions on power loss is fine for a cache; an fsync per commit is not.
        try database.execute("PRAGMA synchronous = NORMAL")
        try database.migrate(migrations, name: "stat cache")
        return database
    }

    /// Rethrows `error` unless an independent check finds the file damaged; then moves it (and its WAL
    /// companions) aside and warns, so that the caller can start afresh. A full disk is never damage.
    private static func discardIfDamaged(_ path: String, after error: Error,
                                         warn: (String) -> Void) throws {
        guard case .damaged(let reason) = Database.checkHealth(path: path) else { throw error }
        let aside = try Database.moveAside(path)
        var detail = reason
        if detail.hasPrefix(path + ": ") { detail.removeFirst(path.count + 2) }
        warn("cairn: warning: \(path) was damaged (\(detail)); moved it to \(Paths.basename(aside)) and started a new "
            + "one, file hashes will be recomputed")
    }

    /// Runs `body` on the connection; when it fails because the file is damaged, replaces the file and runs
    /// `body` once more on the fresh, empty database (so reads find nothing and writes land in the new file).
    private func withDatabase<T>(_ body: (Database) throws -> T) throws -> T {
        try lock.withLock {
            do {
                return try body(try currentDatabase())
            } catch {
                // Close our own connection first: its final close deletes "<path>-wal" by name, which must
                // not happen after a new database has created its own.
                lookupStatement = nil
                database = nil
                try StatCache.discardIfDamaged(path, after: error, warn: warn)
                return try body(try currentDatabase())
            }
        }
    }

    private func currentDatabase() throws -> Database {
        if let database { return database }
        let opened = try StatCache.open(path)
        database = opened
        return opened
    }

    /// Every entry, keyed by path. Built for whole-tree status: 100k rows in tens of milliseconds.
    public func loadAll() throws -> [String: StatCacheEntry] {
        try withDatabase { database in
            // Sizing the dictionary up front saves rehashing it ~17 times on the way to 100k entries.
            let expected = try database.scalarInt("SELECT count(*) FROM stat_cache") ?? 0
            var entries: [String: StatCacheEntry] = [:]
            entries.reserveCapacity(Int(clamping: expected))
            let statement = try database.prepare("SELECT \(StatCache.columns) FROM stat_cache")
            while try statement.step() {
                if let (path, entry) = StatCache.entry(from: statement) { entries[path] = entry }
            }
            return entries
        }
    }

    /// The entry for one repo-relative path, if any.
    public func lookup(_ path: String) throws -> StatCacheEntry? {
        try withDatabase { database in
            let statement: Statement
            if let prepared = lookupStatement {
                statement = prepared
            } else {
                statement = try database.prepare("SELECT \(StatCache.columns) FROM stat_cache WHERE path = ?1")
                lookupStatement = statement
            }
            defer { statement.reset() }
            try statement.bind(path, at: 1)
            guard try statement.step() else { return nil }
            return StatCache.entry(from: statement)?.entry
        }
    }

    /// Records (inserts or replaces) entries, all in one transaction: a crash keeps all or none of them.
    public func record(_ items: [(path: String, stat: FileStat, id: ObjectID, observedNs: Int64)]) throws {
        if items.isEmpty { return }
        try withDatabase { database in
            try database.transaction {
                let statement = try database.prepare(StatCache.upsertSQL)
                for item in items {
                    defer { statement.reset() }
                    try statement.bind(item.path, at: 1)
                    try statement.bind(Int64(bitPattern: item.stat.inode), at: 2)
                    try statement.bind(Int64(bitPattern: item.stat.size), at: 3)
                    try statement.bind(item.stat.mtimeNs, at: 4)
                    try statement.bind(item.stat.ctimeNs, at: 5)
                    try statement.bind(Int64(item.stat.mode), at: 6)
                    try statement.bind(bytes: item.id.bytes, at: 7)
                    try statement.bind(item.observedNs, at: 8)
                    try statement.run()
                }
            }
        }
    }

    /// Forgets `prefix` itself and everything below `prefix/`, but not siblings that merely share the
    /// prefix ("data" does not touch "data2"). An empty prefix (the repository root) forgets everything.
    public func remove(pathsUnder prefix: String) throws {
        var directory = Substring(prefix)
        while directory.hasSuffix("/") { directory.removeLast() }
        let root = String(directory)
        try withDatabase { database in
            if root.isEmpty {
                try database.execute("DELETE FROM stat_cache")
                return
            }
            // Everything below "dir/" sorts in ["dir/", "dir0"): '0' is the byte after '/', and SQLite's
            // default BINARY collation compares UTF-8 bytes. A range (not LIKE) uses the primary key.
            let statement = try database.prepare(
                "DELETE FROM stat_cache WHERE path = ?1 OR (path >= ?2 AND path < ?3)")
            try statement.bind(root, at: 1)
            try statement.bind(root + "/", at: 2)
            try statement.bind(root + "0", at: 3)
            try statement.run()
        }
    }

    /// Decodes the current row of a `SELECT columns` statement; nil for a row that cannot be an entry
    /// (an id of the wrong length), which is skipped: the file is then simply hashed again.
    private static func entry(from row: Statement) -> (path: String, entry: StatCacheEntry)? {
        guard let id = row.withBlob(6, { $0.count == ObjectID.byteCount ? ObjectID(bytes: $0) : nil }) else {
            return nil
        }
        let stat = FileStat(inode: UInt64(bitPattern: row.int64(1)), size: UInt64(bitPattern: row.int64(2)),
                            mtimeNs: row.int64(3), ctimeNs: row.int64(4),
                            mode: UInt32(truncatingIfNeeded: row.int64(5)))
        return (row.text(0), StatCacheEntry(stat: stat, id: id, observedNs: row.int64(7)))
    }
}

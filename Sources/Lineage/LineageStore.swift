import Basics

/// `.cairn/lineage.db`: every version of every tracked path, the commit it belongs to, and (later) the
/// pipeline runs that connect versions. An index of Git, never the only copy of anything: `reset` plus
/// `indexCommit` for every commit rebuilds it with identical answers. Format: docs/formats-lineage.md.
///
/// Several processes may share the file (SQLite WAL, busy timeout); within a process, calls from several
/// threads are serialised by a lock. A damaged file is replaced by an empty one (`wasRecreated` tells the
/// caller to index history again), as it holds nothing Git does not.
public final class LineageStore: @unchecked Sendable {
    /// The schema version this cairn writes (`PRAGMA user_version` of lineage.db).
    public static let schemaVersion: Int = LineageSchema.migrations.count

    public let path: String
    /// True when the file was unusable at open and has been recreated empty.
    public private(set) var wasRecreated = false
    let database: Database
    let lock = Mutex()
    /// Compiled once per connection: bulk indexing runs the same few statements tens of thousands of times.
    private var statements: [String: Statement] = [:]

    /// Opens `path`, creating the file and schema if missing. A file written by a newer cairn (higher schema
    /// version) is refused; a damaged one is recreated, with a one-line warning through `warn`.
    public init(path: String, warn: @Sendable (String) -> Void = { Diagnostics.line($0) }) throws {
        self.path = path
        do {
            database = try LineageStore.open(path)
        } catch {
            // A file that opens but lacks tables or has other ones (dropped by hand, written by a broken tool)
            // is as useless as a damaged one, and as easy to rebuild from Git.
            let reason: String
            if let mismatch = error as? LineageSchemaMismatch {
                reason = mismatch.message
            } else {
                guard case .damaged(let damage) = Database.checkHealth(path: path) else { throw error }
                reason = damage
            }
            let aside = try Database.moveAside(path)
            warn("cairn: warning: \(reason); moved it to \(Paths.basename(aside)) and started a new one, lineage "
                + "will be re-indexed from Git history")
            database = try LineageStore.open(path)
            wasRecreated = true
        }
    }

    private static func open(_ path: String) throws -> Database {
        let database = try Database(path: path)
        // Rebuildable from Git, so a power loss that drops the last transactions costs a re-index, no data.
        try database.execute("PRAGMA synchronous = NORMAL")
        if try database.userVersion() == 0, !(try database.schemaObjects().isEmpty) {
            throw LineageSchemaMismatch(message: "\(path): has tables but no lineage schema version")
        }
        try database.migrate(LineageSchema.migrations, name: "lineage")
        let expected = try expectedSchema.get()
        let found = try database.schemaObjects()
        if found != expected { throw LineageSchemaMismatch(path: path, expected: expected, found: found) }
        return database
    }

    /// The schema a current lineage.db has: what the migrations produce in a fresh database.
    static let expectedSchema = Result<[String], Error> {
        let database = try Database.inMemory()
        try database.migrate(LineageSchema.migrations, name: "lineage")
        return try database.schemaObjects()
    }

    /// The cached statement for `sql`, reset and ready for new bindings. Callers reset it again when done
    /// (`defer { statement.reset() }`) so that it holds no read lock between calls.
    func statement(_ sql: String) throws -> Statement {
        if let cached = statements[sql] { return cached }
        let prepared = try database.prepare(sql)
        statements[sql] = prepared
        return prepared
    }

    // MARK: Pending versions (recorded by `cairn add`, before any commit)

    /// Records the version `cairn add` just wrote a pointer for. A path has at most one pending version (the
    /// one its pointer in the work tree names), so this replaces any earlier pending version of the path.
    /// `version.commitSha` and the commit fields are ignored.
    public func recordPending(_ version: VersionRecord) throws {
        try lock.withLock {
            try database.transaction {
                let delete = try statement("DELETE FROM versions WHERE commit_sha IS NULL AND path = ?1")
                defer { delete.reset() }
                try delete.bind(version.path, at: 1)
                try delete.run()
                try insert(version, commitSha: nil)
            }
        }
    }

    /// Binds the pending version of `path` with `objectID` to `commit` (the post-commit hook, or any later
    /// command that finds the pointer committed). Returns false when there was no such pending version
    /// (nothing to do: `indexCommit` will record the commit's versions from Git anyway). The commit is not
    /// marked indexed: its other changed pointers still have to be read.
    @discardableResult
    public func bindPending(path: String, objectID: ObjectID, to commit: CommitRow) throws -> Bool {
        try lock.withLock {
            try database.transaction {
                try upsertCommit(commit, indexed: false)
                // When the commit was indexed first, it already has this version, read from Git: that row
                // wins (IGNORE), and the now redundant pending row is dropped.
                let bind = try statement("""
                    UPDATE OR IGNORE versions SET commit_sha = ?3
                    WHERE commit_sha IS NULL AND path = ?1 AND object_id = ?2
                    """)
                defer { bind.reset() }
                try bind.bind(path, at: 1)
                try bind.bind(bytes: objectID.bytes, at: 2)
                try bind.bind(commit.sha, at: 3)
                try bind.run()
                let updated = database.changes
                let drop = try statement(
                    "DELETE FROM versions WHERE commit_sha IS NULL AND path = ?1 AND object_id = ?2")
                defer { drop.reset() }
                try drop.bind(path, at: 1)
                try drop.bind(bytes: objectID.bytes, at: 2)
                try drop.run()
                return updated + database.changes > 0
            }
        }
    }

    // MARK: Indexing commits from Git

    /// Records `commit` and the versions its pointer files name (those it changed relative to its first
    /// parent), in one transaction, and marks it indexed. Idempotent: indexing a commit again replaces what
    /// was recorded for it, so the answers after a rebuild equal the incremental ones. A pending version that
    /// this commit contains is thereby bound to it. `commitSha` of the versions is ignored.
    public func indexCommit(_ commit: CommitRow, versions: [VersionRecord]) throws {
        try indexCommits([(commit, versions)])
    }

    /// `indexCommit` for many commits in one transaction: 10,000 commits take well under a second.
    public func indexCommits(_ batch: [(commit: CommitRow, versions: [VersionRecord])]) throws {
        if batch.isEmpty { return }
        try lock.withLock {
            try database.transaction {
                for (commit, versions) in batch {
                    try upsertCommit(commit, indexed: true)
                    let forget = try statement("DELETE FROM versions WHERE commit_sha = ?1")
                    defer { forget.reset() }
                    try forget.bind(commit.sha, at: 1)
                    try forget.run()
                    for version in versions {
                        let bound = try statement(
                            "DELETE FROM versions WHERE commit_sha IS NULL AND path = ?1 AND object_id = ?2")
                        defer { bound.reset() }
                        try bound.bind(version.path, at: 1)
                        try bound.bind(bytes: version.objectID.bytes, at: 2)
                        try bound.run()
                        try insert(version, commitSha: commit.sha)
                    }
                }
            }
        }
    }

    /// True when `sha` has been indexed by `indexCommit` (binding a pending version does not count).
    public func isIndexed(_ sha: String) throws -> Bool {
        try lock.withLock {
            let query = try statement("SELECT indexed FROM commits WHERE sha = ?1")
            defer { query.reset() }
            try query.bind(sha, at: 1)
            return try query.step() && query.int(0) == 1
        }
    }

    /// Every indexed commit: one query instead of one per commit when catching up with a long history.
    public func indexedCommits() throws -> Set<String> {
        try lock.withLock {
            let query = try statement("SELECT sha FROM commits WHERE indexed = 1")
            defer { query.reset() }
            var shas = Set<String>()
            while try query.step() { shas.insert(query.text(0)) }
            return shas
        }
    }

    /// Forgets everything learned from Git (commits, committed versions, runs read from lock files), for
    /// `cairn lineage rebuild`. Pending versions and recorded runs stay (unbound from their commits: re-indexing
    /// binds them again) unless `keepingPending` is false: they are not in Git, so a rebuild could not bring them
    /// back.
    public func reset(keepingPending: Bool = true) throws {
        try lock.withLock {
            try database.transaction {
                try database.execute("""
                    DELETE FROM runs WHERE origin = 'lock' OR \(keepingPending ? 0 : 1);
                    DELETE FROM run_io WHERE run_id NOT IN (SELECT id FROM runs);
                    UPDATE runs SET commit_sha = NULL;
                    DELETE FROM versions WHERE commit_sha IS NOT NULL OR \(keepingPending ? 0 : 1);
                    DELETE FROM commit_parents; DELETE FROM commits;
                    """)
            }
        }
    }

    // MARK: Rows

    private func upsertCommit(_ commit: CommitRow, indexed: Bool) throws {
        guard commit.sha.utf8.count == 40 else {
            throw CairnError("\(path): commit id '\(commit.sha)' is not 40 hex digits")
        }
        // indexed never goes back from 1 to 0: binding a pending version to an indexed commit keeps it indexed.
        let upsert = try statement("""
            INSERT INTO commits (sha, author_name, author_email, time, time_offset, subject, indexed)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            ON CONFLICT (sha) DO UPDATE SET author_name = excluded.author_name,
                author_email = excluded.author_email, time = excluded.time, time_offset = excluded.time_offset,
                subject = excluded.subject, indexed = max(indexed, excluded.indexed)
            """)
        defer { upsert.reset() }
        try upsert.bind(commit.sha, at: 1)
        try upsert.bind(commit.authorName, at: 2)
        try upsert.bind(commit.authorEmail, at: 3)
        try upsert.bind(commit.time, at: 4)
        try upsert.bind(Int64(commit.timeOffsetMinutes), at: 5)
        try upsert.bind(commit.subject, at: 6)
        try upsert.bind(indexed ? 1 : 0, at: 7)
        try upsert.run()
        let parents = try statement("""
            INSERT OR REPLACE INTO commit_parents (sha, position, parent_sha) VALUES (?1, ?2, ?3)
            """)
        defer { parents.reset() }
        for (position, parent) in commit.parents.enumerated() {
            try parents.bind(commit.sha, at: 1)
            try parents.bind(position, at: 2)
            try parents.bind(parent, at: 3)
            try parents.run()
            parents.reset()
        }
    }

    private func insert(_ version: VersionRecord, commitSha: String?) throws {
        let insert = try statement("""
            INSERT INTO versions (path, object_id, type, size, files, kind, description, previous_object_id,
                                  commit_sha, recorded_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
            ON CONFLICT (path, object_id, commit_sha) DO UPDATE SET type = excluded.type, size = excluded.size,
                files = excluded.files, kind = excluded.kind, description = excluded.description,
                previous_object_id = excluded.previous_object_id, recorded_at = excluded.recorded_at
            """)
        defer { insert.reset() }
        try insert.bind(version.path, at: 1)
        try insert.bind(bytes: version.objectID.bytes, at: 2)
        try insert.bind(version.type, at: 3)
        try insert.bind(version.size, at: 4)
        try insert.bind(version.files, at: 5)
        if let kind = version.kind { try insert.bind(kind, at: 6) }
        if let desc = version.desc { try insert.bind(desc, at: 7) }
        if let previous = version.previousObjectID { try insert.bind(bytes: previous.bytes, at: 8) }
        if let commitSha { try insert.bind(commitSha, at: 9) }
        try insert.bind(FS.nowNs() / 1_000_000_000, at: 10)
        try insert.run()
    }
}

/// A lineage.db whose tables and indexes are not the ones its schema version promises.
struct LineageSchemaMismatch: Error {
    let message: String

    init(message: String) { self.message = message }

    init(path: String, expected: [String], found: [String]) {
        func names(_ objects: [String]) -> [String: String] {
            Dictionary(objects.map { (String($0.prefix { $0 != ":" }), $0) }) { first, _ in first }
        }
        let want = names(expected), have = names(found)
        var parts: [String] = []
        var missing = want.keys.filter { have[$0] == nil }.sorted()
        // A dropped table takes its indexes with it: name the tables only.
        if missing.contains(where: { $0.hasPrefix("table ") }) { missing = missing.filter { $0.hasPrefix("table ") } }
        let extra = have.keys.filter { want[$0] == nil }.sorted()
        let changed = want.keys.filter { have[$0] != nil && have[$0] != want[$0] }.sorted()
        if !missing.isEmpty { parts.append("missing " + missing.joined(separator: ", ")) }
        if !changed.isEmpty { parts.append("different " + changed.joined(separator: ", ")) }
        if !extra.isEmpty { parts.append("unexpected " + extra.joined(separator: ", ")) }
        message = "\(path): the lineage schema does not match its version (\(parts.joined(separator: "; ")))"
    }
}

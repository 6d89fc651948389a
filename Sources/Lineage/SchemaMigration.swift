import Basics

/// One step of a database schema: applying it takes the file from `version - 1` to `version`.
/// Steps are append-only: once released, a step never changes; a new schema is a new step.
public struct SchemaMigration: Sendable {
    public let version: Int
    public let apply: @Sendable (Database) throws -> Void

    public init(version: Int, apply: @escaping @Sendable (Database) throws -> Void) {
        self.version = version
        self.apply = apply
    }

    /// A step that is just SQL (one or more statements).
    public init(version: Int, sql: String) {
        self.init(version: version) { try $0.execute(sql) }
    }
}

extension Database {
    /// Brings the schema up to the last of `migrations`, which must be numbered 1, 2, 3, ... in order.
    /// The version lives in `PRAGMA user_version`. A file with a newer version than the last known step
    /// is refused, not touched: it was written by a newer cairn whose data this one would misread (the rule
    /// git applies to repository format versions). `name` says what the file is, for that message.
    ///
    /// Steps run in one write transaction, together with the version bump, so a crash or a concurrent
    /// process sees either the old schema or the new one, and two processes never both apply a step.
    public func migrate(_ migrations: [SchemaMigration], name: String) throws {
        for (offset, migration) in migrations.enumerated() where migration.version != offset + 1 {
            throw CairnError.bug("\(path): \(name) migration #\(offset + 1) is numbered \(migration.version)")
        }
        let latest = migrations.count
        // Fast path without the write lock: most opens find the schema already current.
        let seen = try userVersion()
        try refuseNewer(seen, latest: latest, name: name)
        if seen == latest { return }
        try transaction {
            // Read again under the lock: another process may have migrated since.
            let current = try userVersion()
            try refuseNewer(current, latest: latest, name: name)
            for migration in migrations where migration.version > current {
                do {
                    try migration.apply(self)
                } catch {
                    // The inner error usually starts with the same path; say it once.
                    var detail = "\(error)"
                    if detail.hasPrefix(path + ": ") { detail.removeFirst(path.count + 2) }
                    throw CairnError("\(path): upgrading the \(name) schema to version \(migration.version) "
                        + "failed: \(detail)")
                }
            }
            try setUserVersion(latest)
        }
    }

    private func refuseNewer(_ version: Int, latest: Int, name: String) throws {
        if version > latest {
            throw CairnError("\(path): \(name) schema version \(version) is newer than this cairn supports "
                + "(\(latest)); upgrade cairn to use this file")
        }
        if version < 0 {
            throw CairnError("\(path): \(name) schema version \(version) is invalid")
        }
    }
}

extension Database {
    /// Every table, index, view and trigger in the file with the SQL that made it, sorted ("table versions: CREATE
    /// TABLE ..."); SQLite's own objects are left out. Two files with equal lists have the same schema.
    public func schemaObjects() throws -> [String] {
        let statement = try prepare("""
            SELECT type, name, coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name
            """)
        var objects: [String] = []
        while try statement.step() { objects.append("\(statement.text(0)) \(statement.text(1)): \(statement.text(2))") }
        return objects
    }
}

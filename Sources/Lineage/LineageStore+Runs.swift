import Basics

/// Pipeline runs: a stage's command and the versions it read and wrote (docs/formats-lineage.md).
/// `lineage(of:downstream:)` follows them.
extension LineageStore {
    static let runColumns = """
        id, stage, command, commit_sha, started_at, finished_at, status, lock_path, origin, head_sha, exit_code,
        restored, params, cairn_version, os, machine, environment
        """

    /// Records `run` with its inputs and outputs and returns its id. A run with an `id` replaces the run
    /// stored under that id (to record its end, or to re-record it during a rebuild).
    ///
    /// A `lock` run of a commit (what the indexer reads from a cairn.lock) is recorded at most once per
    /// commit, lock file and stage, and not at all when a `recorded` run already says the same: a pending recorded
    /// run of that stage with the same outputs is bound to the commit instead (its id is returned).
    @discardableResult
    public func recordRun(_ run: RunRecord) throws -> Int64 {
        try lock.withLock {
            try database.transaction {
                if run.id == nil, run.origin == .lock, let commit = run.commitSha,
                   let existing = try matchingRun(run, commit: commit) {
                    return existing
                }
                return try upsertRun(run)
            }
        }
    }

    /// For a lock run of `commit`: the id of a run already standing for it (binding a pending recorded run on
    /// the way), or nil when it has to be inserted. An earlier lock run of the same entry is replaced by id.
    private func matchingRun(_ run: RunRecord, commit: String) throws -> Int64? {
        let query = try statement("""
            SELECT id, origin, commit_sha FROM runs WHERE lock_path = ?1 AND stage = ?2 AND status = 'succeeded'
                AND (commit_sha = ?3 OR (commit_sha IS NULL AND origin = 'recorded'))
            ORDER BY commit_sha IS NULL, started_at, id
            """)
        var candidates: [(id: Int64, origin: String, bound: Bool)] = []
        do {
            defer { query.reset() }
            try query.bind(run.lockPath, at: 1)
            try query.bind(run.stage, at: 2)
            try query.bind(commit, at: 3)
            while try query.step() { candidates.append((query.int64(0), query.text(1), !query.isNull(2))) }
        }
        if let bound = candidates.first(where: { $0.bound }) {
            if bound.origin == RunRecord.Origin.lock.rawValue {
                var again = run
                again.id = bound.id
                return try upsertRun(again)
            }
            return bound.id
        }
        let outputs = Set(run.outputs)
        var matched: Int64?
        for candidate in candidates where try Set(io(of: candidate.id, role: "output")) == outputs {
            let bind = try statement("UPDATE runs SET commit_sha = ?2 WHERE id = ?1")
            defer { bind.reset() }
            try bind.bind(candidate.id, at: 1)
            try bind.bind(commit, at: 2)
            try bind.run()
            matched = matched ?? candidate.id
        }
        return matched
    }

    private func io(of runID: Int64, role: String) throws -> [VersionKey] {
        let query = try statement("SELECT path, object_id FROM run_io WHERE run_id = ?1 AND role = ?2")
        defer { query.reset() }
        try query.bind(runID, at: 1)
        try query.bind(role, at: 2)
        var keys: [VersionKey] = []
        while try query.step() {
            keys.append(VersionKey(path: query.text(0), objectID: try objectID(query, 1, what: "run \(role)")))
        }
        return keys
    }

    private func upsertRun(_ run: RunRecord) throws -> Int64 {
        let upsert = try statement("""
            INSERT OR REPLACE INTO runs (\(Self.runColumns))
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
            """)
        defer { upsert.reset() }
        if let id = run.id { try upsert.bind(id, at: 1) }
        try upsert.bind(run.stage, at: 2)
        try upsert.bind(run.command, at: 3)
        if let commitSha = run.commitSha { try upsert.bind(commitSha, at: 4) }
        try upsert.bind(run.startedAt, at: 5)
        if let finishedAt = run.finishedAt { try upsert.bind(finishedAt, at: 6) }
        try upsert.bind(run.status.rawValue, at: 7)
        try upsert.bind(run.lockPath, at: 8)
        try upsert.bind(run.origin.rawValue, at: 9)
        if let head = run.headSha { try upsert.bind(head, at: 10) }
        if let code = run.exitCode { try upsert.bind(Int64(code), at: 11) }
        try upsert.bind(run.restoredFromRunCache ? 1 : 0, at: 12)
        try upsert.bind(run.paramsJSON, at: 13)
        if let version = run.cairnVersion { try upsert.bind(version, at: 14) }
        if let os = run.os { try upsert.bind(os, at: 15) }
        if let machine = run.machine { try upsert.bind(machine, at: 16) }
        if let environment = run.environmentJSON { try upsert.bind(environment, at: 17) }
        try upsert.run()
        let id = try database.scalarInt("SELECT last_insert_rowid()") ?? 0
        // Re-recording a run replaces its inputs and outputs (explicitly: REPLACE need not cascade).
        let forget = try statement("DELETE FROM run_io WHERE run_id = ?1")
        defer { forget.reset() }
        try forget.bind(id, at: 1)
        try forget.run()
        let io = try statement(
            "INSERT OR REPLACE INTO run_io (run_id, role, path, object_id) VALUES (?1, ?2, ?3, ?4)")
        defer { io.reset() }
        for (role, keys) in [("input", run.inputs), ("output", run.outputs)] {
            for key in keys {
                try io.bind(id, at: 1)
                try io.bind(role, at: 2)
                try io.bind(key.path, at: 3)
                try io.bind(bytes: key.objectID.bytes, at: 4)
                try io.run()
                io.reset()
            }
        }
        return id
    }

    /// The run stored under `id`, with its inputs and outputs; nil when there is none.
    public func run(id: Int64) throws -> RunRecord? {
        try lock.withLock { try loadRuns(where: "id = ?1") { try $0.bind(id, at: 1) }.first }
    }

    /// Runs that read `key`, newest first.
    public func runs(consuming key: VersionKey) throws -> [RunRecord] {
        try lock.withLock {
            try loadRuns(where: """
                id IN (SELECT run_id FROM run_io WHERE role = 'input' AND path = ?1 AND object_id = ?2)
                """) { try bindKey(key, $0) }
        }
    }

    /// Runs that wrote `key`, newest first.
    public func runs(producing key: VersionKey) throws -> [RunRecord] {
        try lock.withLock {
            try loadRuns(where: """
                id IN (SELECT run_id FROM run_io WHERE role = 'output' AND path = ?1 AND object_id = ?2)
                """) { try bindKey(key, $0) }
        }
    }

    /// Every run, newest first (`cairn lineage` tests and diagnostics; a repository has few).
    public func allRuns() throws -> [RunRecord] {
        try lock.withLock { try loadRuns(where: "1") { _ in } }
    }

    private func loadRuns(where condition: String, bind: (Statement) throws -> Void) throws -> [RunRecord] {
        let query = try statement("""
            SELECT \(Self.runColumns) FROM runs WHERE \(condition) ORDER BY started_at DESC, id DESC
            """)
        defer { query.reset() }
        try bind(query)
        var runs: [RunRecord] = []
        while try query.step() {
            let id = query.int64(0)
            guard let status = RunRecord.Status(rawValue: query.text(6)) else {
                throw CairnError("\(path): run \(id) has unknown status '\(query.text(6))'")
            }
            func optional(_ column: Int32) -> String? { query.isNull(column) ? nil : query.text(column) }
            runs.append(RunRecord(id: id, stage: query.text(1), command: query.text(2), commitSha: optional(3),
                                  startedAt: query.int64(4), finishedAt: query.isNull(5) ? nil : query.int64(5),
                                  status: status, inputs: [], outputs: [], lockPath: query.text(7),
                                  origin: RunRecord.Origin(rawValue: query.text(8)) ?? .recorded, headSha: optional(9),
                                  exitCode: query.isNull(10) ? nil : Int32(truncatingIfNeeded: query.int64(10)),
                                  restoredFromRunCache: query.int64(11) != 0, paramsJSON: query.text(12),
                                  cairnVersion: optional(13), os: optional(14), machine: optional(15),
                                  environmentJSON: optional(16)))
        }
        let io = try statement("SELECT role, path, object_id FROM run_io WHERE run_id = ?1 ORDER BY path")
        for index in runs.indices {
            defer { io.reset() }
            try io.bind(runs[index].id ?? 0, at: 1)
            while try io.step() {
                let key = VersionKey(path: io.text(1), objectID: try objectID(io, 2, what: "run io"))
                if io.text(0) == "input" { runs[index].inputs.append(key) } else { runs[index].outputs.append(key) }
            }
        }
        return runs
    }
}

import Basics

/// Pipeline runs: a stage's command and the versions it read and wrote. The pipeline issue records them;
/// `lineage(of:downstream:)` already follows them.
extension LineageStore {
    /// Records `run` with its inputs and outputs and returns its id. A run with an `id` replaces the run
    /// stored under that id (to record its end, or to re-record it during a rebuild).
    @discardableResult
    public func recordRun(_ run: RunRecord) throws -> Int64 {
        try lock.withLock {
            try database.transaction {
                let upsert = try statement("""
                    INSERT OR REPLACE INTO runs (id, stage, command, commit_sha, started_at, finished_at, status)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                    """)
                defer { upsert.reset() }
                if let id = run.id { try upsert.bind(id, at: 1) }
                try upsert.bind(run.stage, at: 2)
                try upsert.bind(run.command, at: 3)
                if let commitSha = run.commitSha { try upsert.bind(commitSha, at: 4) }
                try upsert.bind(run.startedAt, at: 5)
                if let finishedAt = run.finishedAt { try upsert.bind(finishedAt, at: 6) }
                try upsert.bind(run.status.rawValue, at: 7)
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
        }
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

    private func loadRuns(where condition: String, bind: (Statement) throws -> Void) throws -> [RunRecord] {
        let query = try statement("""
            SELECT id, stage, command, commit_sha, started_at, finished_at, status FROM runs WHERE \(condition)
            ORDER BY started_at DESC, id DESC
            """)
        defer { query.reset() }
        try bind(query)
        var runs: [RunRecord] = []
        while try query.step() {
            let id = query.int64(0)
            guard let status = RunRecord.Status(rawValue: query.text(6)) else {
                throw CairnError("\(path): run \(id) has unknown status '\(query.text(6))'")
            }
            runs.append(RunRecord(id: id, stage: query.text(1), command: query.text(2),
                                  commitSha: query.isNull(3) ? nil : query.text(3), startedAt: query.int64(4),
                                  finishedAt: query.isNull(5) ? nil : query.int64(5), status: status,
                                  inputs: [], outputs: []))
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

import Basics

/// Reading versions back, and walking the lineage graph for `cairn log` and `cairn lineage`.
extension LineageStore {
    static let versionColumns = """
        v.path, v.object_id, v.type, v.size, v.files, v.kind, v.description, v.previous_object_id, v.commit_sha,
        c.author_name, c.author_email, c.time, c.time_offset, c.subject
        FROM versions v LEFT JOIN commits c ON c.sha = v.commit_sha
        """
    /// Pending first (they are newer than any commit), then newest commit first; sha breaks ties of equal
    /// times so that answers do not depend on the order in which commits were indexed.
    static let newestFirst = "ORDER BY v.commit_sha IS NOT NULL, c.time DESC, v.commit_sha DESC, v.path"

    /// Every version of `path` (the tracked path, not its pointer file), newest first, pending included.
    public func versions(of path: String) throws -> [VersionRecord] {
        try lock.withLock {
            let query = try statement("SELECT \(Self.versionColumns) WHERE v.path = ?1 \(Self.newestFirst)")
            defer { query.reset() }
            try query.bind(path, at: 1)
            return try rows(query)
        }
    }

    /// Every version, at any path, whose content is `id`, newest first.
    public func versions(withObject id: ObjectID) throws -> [VersionRecord] {
        try lock.withLock {
            let query = try statement("SELECT \(Self.versionColumns) WHERE v.object_id = ?1 \(Self.newestFirst)")
            defer { query.reset() }
            try query.bind(bytes: id.bytes, at: 1)
            return try rows(query)
        }
    }

    /// Every version recorded for `sha` (the versions that commit changed), by path.
    public func versions(inCommit sha: String) throws -> [VersionRecord] {
        try lock.withLock {
            let query = try statement("SELECT \(Self.versionColumns) WHERE v.commit_sha = ?1 ORDER BY v.path")
            defer { query.reset() }
            try query.bind(sha, at: 1)
            return try rows(query)
        }
    }

    /// The commit that introduced `key`: its oldest committed row (the same content may reappear in later
    /// commits, for instance on another branch or after a revert). nil when it was never committed.
    public func introduction(of key: VersionKey) throws -> VersionRecord? {
        try lock.withLock {
            let query = try statement("""
                SELECT \(Self.versionColumns) WHERE v.path = ?1 AND v.object_id = ?2 AND v.commit_sha IS NOT NULL
                ORDER BY c.time, v.commit_sha LIMIT 1
                """)
            defer { query.reset() }
            try query.bind(key.path, at: 1)
            try query.bind(bytes: key.objectID.bytes, at: 2)
            return try rows(query).first
        }
    }

    /// The edges into `key`: the versions it replaced and, for an output of a successful run, the run's inputs
    /// (what a failed or unfinished run wrote was not derived from anything: its outputs are not a result).
    public func upstreamEdges(of key: VersionKey) throws -> [LineageEdge] {
        try lock.withLock {
            let replaced = try statement("""
                SELECT DISTINCT previous_object_id FROM versions
                WHERE path = ?1 AND object_id = ?2 AND previous_object_id IS NOT NULL
                """)
            defer { replaced.reset() }
            try bindKey(key, replaced)
            var edges: [LineageEdge] = []
            while try replaced.step() {
                let previous = try objectID(replaced, 0, what: "previous id of \(key)")
                edges.append(LineageEdge(from: VersionKey(path: key.path, objectID: previous), to: key,
                                         relation: .replaces))
            }
            let inputs = try statement("""
                SELECT i.run_id, i.path, i.object_id FROM run_io o
                JOIN run_io i ON i.run_id = o.run_id AND i.role = 'input'
                JOIN runs r ON r.id = o.run_id AND r.status = 'succeeded'
                WHERE o.role = 'output' AND o.path = ?1 AND o.object_id = ?2
                """)
            defer { inputs.reset() }
            try bindKey(key, inputs)
            while try inputs.step() {
                let input = VersionKey(path: inputs.text(1), objectID: try objectID(inputs, 2, what: "run input"))
                edges.append(LineageEdge(from: input, to: key, relation: .derived, runID: inputs.int64(0)))
            }
            return edges.sorted(by: LineageStore.edgeOrder)
        }
    }

    /// The edges out of `key`: the versions that replaced it and the outputs of runs that read it.
    public func downstreamEdges(of key: VersionKey) throws -> [LineageEdge] {
        try lock.withLock {
            let replacing = try statement("""
                SELECT DISTINCT object_id FROM versions WHERE path = ?1 AND previous_object_id = ?2
                """)
            defer { replacing.reset() }
            try bindKey(key, replacing)
            var edges: [LineageEdge] = []
            while try replacing.step() {
                let next = try objectID(replacing, 0, what: "version replacing \(key)")
                let replacement = VersionKey(path: key.path, objectID: next)
                edges.append(LineageEdge(from: key, to: replacement, relation: .replaces))
            }
            let outputs = try statement("""
                SELECT o.run_id, o.path, o.object_id FROM run_io i
                JOIN run_io o ON o.run_id = i.run_id AND o.role = 'output'
                JOIN runs r ON r.id = i.run_id AND r.status = 'succeeded'
                WHERE i.role = 'input' AND i.path = ?1 AND i.object_id = ?2
                """)
            defer { outputs.reset() }
            try bindKey(key, outputs)
            while try outputs.step() {
                let output = VersionKey(path: outputs.text(1), objectID: try objectID(outputs, 2, what: "run output"))
                edges.append(LineageEdge(from: key, to: output, relation: .derived, runID: outputs.int64(0)))
            }
            return edges.sorted(by: LineageStore.edgeOrder)
        }
    }

    /// All edges reachable from `key` going up (`downstream: false`: what it came from) or down (what came
    /// from it), breadth first, each edge once; cycles (a revert brings back an old id) end the walk there.
    /// `maxEdges` bounds the answer for pathological histories.
    public func lineage(of key: VersionKey, downstream: Bool, maxEdges: Int = 10_000) throws -> [LineageEdge] {
        var seen: Set<VersionKey> = [key]
        var frontier = [key]
        var result: [LineageEdge] = []
        while !frontier.isEmpty && result.count < maxEdges {
            var next: [VersionKey] = []
            for current in frontier {
                let edges = downstream ? try downstreamEdges(of: current) : try upstreamEdges(of: current)
                for edge in edges where result.count < maxEdges {
                    result.append(edge)
                    let other = downstream ? edge.to : edge.from
                    if seen.insert(other).inserted { next.append(other) }
                }
            }
            frontier = next
        }
        return result
    }

    // MARK: Row decoding

    static func edgeOrder(_ a: LineageEdge, _ b: LineageEdge) -> Bool {
        (a.relation.rawValue, a.from.path, a.from.objectID, a.to.path, a.to.objectID, a.runID ?? 0)
            < (b.relation.rawValue, b.from.path, b.from.objectID, b.to.path, b.to.objectID, b.runID ?? 0)
    }

    func bindKey(_ key: VersionKey, _ statement: Statement) throws {
        try statement.bind(key.path, at: 1)
        try statement.bind(bytes: key.objectID.bytes, at: 2)
    }

    /// A 32-byte id column; the schema's CHECK makes anything else impossible short of a damaged file.
    func objectID(_ row: Statement, _ column: Int32, what: String) throws -> ObjectID {
        guard let id = row.withBlob(column, { $0.count == ObjectID.byteCount ? ObjectID(bytes: $0) : nil }) else {
            throw CairnError("\(path): \(what): stored id is not 32 bytes (damaged file? `cairn lineage rebuild`)")
        }
        return id
    }

    /// Decodes all rows of a `SELECT versionColumns` query.
    func rows(_ query: Statement) throws -> [VersionRecord] {
        var records: [VersionRecord] = []
        while try query.step() {
            let versionPath = query.text(0)
            let pending = query.isNull(8)
            records.append(VersionRecord(
                path: versionPath,
                objectID: try objectID(query, 1, what: "version of \(versionPath)"),
                type: query.text(2), size: query.int64(3), files: query.int(4),
                kind: query.isNull(5) ? nil : query.text(5), desc: query.isNull(6) ? nil : query.text(6),
                previousObjectID: query.isNull(7) ? nil : try objectID(query, 7, what: "previous of \(versionPath)"),
                commitSha: pending ? nil : query.text(8),
                authorName: pending ? nil : query.text(9), authorEmail: pending ? nil : query.text(10),
                time: pending ? nil : query.int64(11),
                timeOffsetMinutes: pending ? nil : Int32(truncatingIfNeeded: query.int64(12)),
                subject: pending ? nil : query.text(13)))
        }
        return records
    }
}

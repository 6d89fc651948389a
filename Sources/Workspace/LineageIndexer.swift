import Basics
import GitBridge
import Lineage

/// Keeps `.cairn/lineage.db` in step with Git. The database is an index of Git history: each commit's
/// versions are the pointer files it changed relative to its first parent, read from Git blobs. Commands
/// that read lineage call `catchUp` first, so a missing, recreated or stale database is brought up to date
/// incrementally; `rebuild` starts from nothing and must give the same answers.
public struct LineageIndexer {
    public let repo: CairnRepository
    public let store: LineageStore
    /// Where runs come from (the Pipeline module's lock-file reader); versions come from the pointers.
    public let runSource: any RunRecordSource
    /// Commits written per transaction: large enough to amortise the commit, small enough that an
    /// interrupted catch-up keeps most of its work.
    static let batchSize = 500

    public init(repo: CairnRepository, store: LineageStore, runSource: any RunRecordSource = RunRecordSources.current) {
        self.repo = repo
        self.store = store
        self.runSource = runSource
    }

    /// Opens (creating if needed) the repository's lineage database.
    public static func openStore(repo: CairnRepository) throws -> LineageStore {
        try LineageStore(path: Paths.join(repo.dotCairn, "lineage.db"))
    }

    /// Opens the database and brings it up to date: the one call commands that read lineage make.
    public static func upToDate(repo: CairnRepository,
                                runSource: any RunRecordSource = RunRecordSources.current) throws -> LineageStore {
        let store = try openStore(repo: repo)
        try LineageIndexer(repo: repo, store: store, runSource: runSource).catchUp()
        return store
    }

    /// Indexes every commit reachable from a ref or HEAD that is not indexed yet; returns how many.
    /// Pending versions whose pointer a newly indexed commit contains are bound to it on the way.
    @discardableResult
    public func catchUp() throws -> Int {
        var tips = try repo.git.allRefCommits()
        if let head = try repo.git.head() { tips.append(head.sha) }
        if tips.isEmpty { return 0 }
        let missing = try unindexedCommits(from: tips, known: try store.indexedCommits())
        var batch: [(commit: CommitRow, versions: [VersionRecord])] = []
        var runs: [RunRecord] = []
        // Runs name versions, so they are recorded after the batch that indexed those versions.
        func flush() throws {
            try store.indexCommits(batch)
            for run in runs { _ = try store.recordRun(run) }
            batch.removeAll(keepingCapacity: true)
            runs.removeAll(keepingCapacity: true)
        }
        for info in missing {
            batch.append((LineageIndexer.row(info), try versions(in: info)))
            for var run in try runSource.runs(in: info, git: repo.git) {
                run.commitSha = info.sha
                run.origin = .lock   // read from Git: a rebuild reads it again
                runs.append(run)
            }
            if batch.count >= LineageIndexer.batchSize { try flush() }
        }
        try flush()
        return missing.count
    }

    /// The commits behind `tips` that are not in `known`, parents before children. The walk stops at
    /// indexed commits, so catching up costs what is new, not the length of history. Parents first keeps
    /// the invariant the stop relies on: an interrupted catch-up leaves every indexed commit's ancestors
    /// indexed too (each batch is one transaction).
    func unindexedCommits(from tips: [String], known: Set<String>) throws -> [CommitInfo] {
        var order: [CommitInfo] = []
        var seen = Set<String>()
        // Iterative depth-first post-order: a commit is emitted after all its parents (no recursion depth
        // limit on a 100,000-commit history).
        var stack: [(sha: String, info: CommitInfo?)] = tips.map { ($0, nil) }
        while let (sha, finished) = stack.popLast() {
            if let finished { order.append(finished); continue }
            if known.contains(sha) || !seen.insert(sha).inserted { continue }
            let info: CommitInfo
            do { info = try repo.git.resolve(sha) } catch {
                // A parent missing from the object database (a shallow clone's boundary) ends the walk there.
                if tips.contains(sha) { throw error }
                continue
            }
            stack.append((sha, info))
            for parent in info.parents.reversed() where !known.contains(parent) && !seen.contains(parent) {
                stack.append((parent, nil))
            }
        }
        return order
    }

    /// `cairn lineage rebuild`: forget everything learned from Git, then index all of history again.
    /// Pending versions are kept: they are not in Git yet, so nothing could bring them back.
    @discardableResult
    public func rebuild() throws -> Int {
        try store.reset(keepingPending: true)
        return try catchUp()
    }

    /// The versions `commit` records: every pointer it added or changed relative to its first parent.
    /// A malformed pointer in history is skipped with a warning: one bad file must not block the index.
    func versions(in commit: CommitInfo) throws -> [VersionRecord] {
        // No parent object (a shallow clone's boundary): every pointer counts as added there.
        let parent = commit.parents.first.flatMap { try? repo.git.resolve($0) }
        var result: [VersionRecord] = []
        for pointerPath in try repo.git.changedFiles(in: commit.sha, withSuffix: PointerFile.suffix) {
            guard Paths.basename(pointerPath).count > PointerFile.suffix.count else { continue }
            let current: TrackedData?
            do {
                current = try RevisionPointers.pointer(git: repo.git, commit: commit, pointerPath: pointerPath)
            } catch let error as CairnError {
                Diagnostics.warning("lineage: skipping malformed pointer: \(error.message)")
                continue
            }
            guard let current else { continue }   // deleted in this commit: no new version
            let previous = parent.flatMap {
                try? RevisionPointers.pointer(git: repo.git, commit: $0, pointerPath: pointerPath)
            }
            result.append(LineageIndexer.record(current, previous: previous?.pointer.id))
        }
        return result + (try recordedVersions(in: commit, parent: parent))
    }

    /// The versions of lock file outputs `commit` records: each output of a lock file the commit changed whose
    /// content differs from the same path's in the parent's lock file (outputs are versions like pointers;
    /// the runs that made them come from the RunRecordSource).
    func recordedVersions(in commit: CommitInfo, parent: CommitInfo?) throws -> [VersionRecord] {
        guard let recordName = TrackedDataProviders.current?.fileName else { return [] }
        var result: [VersionRecord] = []
        for path in try repo.git.changedFiles(in: commit.sha, withSuffix: recordName) where Paths.basename(path) == recordName {
            let current: [TrackedData]
            do {
                current = try RecordedData.decode(git: repo.git, commitSha: commit.sha, path: path) ?? []
            } catch let error as CairnError {
                Diagnostics.warning("lineage: skipping malformed \(recordName): \(error.message)")
                continue
            }
            let before = parent.flatMap { try? RecordedData.decode(git: repo.git, commitSha: $0.sha, path: path) } ?? []
            let previous = Dictionary(before.map { (PathKey($0.dataPath), $0.pointer.id) }, uniquingKeysWith: { a, _ in a })
            for output in current where previous[PathKey(output.dataPath)] != output.pointer.id {
                result.append(LineageIndexer.record(output, previous: previous[PathKey(output.dataPath)]))
            }
        }
        return result
    }

    /// GitBridge's commit as the lineage database stores it (Lineage does not import GitBridge).
    public static func row(_ info: CommitInfo) -> CommitRow {
        CommitRow(sha: info.sha, authorName: info.authorName, authorEmail: info.authorEmail, time: info.time,
                  timeOffsetMinutes: info.timeOffsetMinutes, subject: info.subject, parents: info.parents)
    }

    /// A pointer as a version record (commit fields left empty: the store fills them from the commit).
    public static func record(_ tracked: TrackedData, previous: ObjectID?) -> VersionRecord {
        let pointer = tracked.pointer
        return VersionRecord(path: tracked.dataPath, objectID: pointer.id, type: pointer.type.rawValue,
                             size: Int64(pointer.size), files: pointer.type == .file ? 1 : Int(pointer.files),
                             kind: pointer.kind?.rawValue, desc: pointer.desc, previousObjectID: previous)
    }

    /// Records what `cairn add` just wrote as a pending version, unless HEAD already holds that content.
    /// Lineage is an index: failing to record is a warning, never a reason to fail the add.
    public static func recordPending(repo: CairnRepository, pointers: [TrackedData]) {
        do {
            let store = try openStore(repo: repo)
            let head = try repo.git.head()
            for tracked in pointers {
                // By data path: a lock output's record (its cairn.lock) is not a pointer.
                let inHead = head.flatMap {
                    try? RevisionPointers.tracked(git: repo.git, commit: $0, dataPath: tracked.dataPath)
                }
                if inHead?.pointer.id == tracked.pointer.id { continue }
                try store.recordPending(record(tracked, previous: inHead?.pointer.id))
            }
        } catch {
            Diagnostics.warning("could not record the new versions in .cairn/lineage.db (\(error));"
                + " `cairn lineage rebuild` restores it after the commit")
        }
    }
}

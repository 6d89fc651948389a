import Basics
import Lineage
import Workspace
#if canImport(Glibc)
import Glibc
#endif

/// One executed (or run-cache-restored) stage, as `cairn repro` reports it to lineage.
public struct PipelineRun: Sendable {
    /// The stage as `cairn repro` names it (`StageID.display`): `train` for the root cairn.yaml,
    /// `models/cairn.yaml:train` otherwise.
    public var stage: String
    /// Repo-relative path of the stage's cairn.lock.
    public var lockPath: String
    /// The command as run (`RunLineage.commandText` of the lock's `cmd`).
    public var command: String
    /// Seconds since the epoch.
    public var startedAt: Int64
    public var finishedAt: Int64
    public var succeeded: Bool
    /// nil when the command did not run (restored) or was killed by a signal.
    public var exitCode: Int32?
    /// Repo paths and ids of the deps it read and the outs it wrote (the lock's entries joined with its directory).
    public var inputs: [(repoPath: String, id: ObjectID)]
    public var outputs: [(repoPath: String, id: ObjectID)]
    /// Params file (relative to the lock's directory) → key → value, as in the lock.
    public var params: [String: ParamMap]
    public var restoredFromRunCache: Bool
    /// RunEnvironment JSON of an executed run; nil for a restore.
    public var environmentJSON: String?

    public init(stage: String, lockPath: String, command: String, startedAt: Int64, finishedAt: Int64,
                succeeded: Bool, exitCode: Int32?, inputs: [(repoPath: String, id: ObjectID)],
                outputs: [(repoPath: String, id: ObjectID)], params: [String: ParamMap], restoredFromRunCache: Bool,
                environmentJSON: String? = nil) {
        self.stage = stage
        self.lockPath = lockPath
        self.command = command
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.succeeded = succeeded
        self.exitCode = exitCode
        self.inputs = inputs
        self.outputs = outputs
        self.params = params
        self.restoredFromRunCache = restoredFromRunCache
        self.environmentJSON = environmentJSON
    }
}

/// Runs in `.cairn/lineage.db` (docs/formats-lineage.md, schema version 3).
///
/// A run is recorded when it happens, pending: `commit` stays empty and `head` holds HEAD at run time, because the
/// commit that will hold its lock entry does not exist yet (and may never: a failed run, an uncommitted
/// experiment). When that commit is indexed, its lock entry binds the pending run (same lock, stage and outputs)
/// instead of adding a run of its own, so a run is never counted twice; `cairn lineage rebuild` keeps recorded runs
/// and binds them again.
public enum RunLineage {
    /// The cairn version written into runs; the command layer sets it at start-up (Pipeline cannot see it).
    public static let cairnVersion = Locked<String?>(nil)

    public static func record(_ run: PipelineRun, repo: CairnRepository) throws {
        let store = try LineageIndexer.openStore(repo: repo)
        try store.recordRun(record(run, head: try repo.git.head()?.sha))
    }

    /// The lineage row for `run` (separate so tests can check it without a repository).
    static func record(_ run: PipelineRun, head: String?) -> RunRecord {
        let system = uname()
        return RunRecord(stage: run.stage, command: run.command, commitSha: nil, startedAt: run.startedAt,
                         finishedAt: run.finishedAt, status: run.succeeded ? .succeeded : .failed,
                         inputs: keys(run.inputs), outputs: keys(run.outputs), lockPath: run.lockPath,
                         origin: .recorded, headSha: head, exitCode: run.exitCode,
                         restoredFromRunCache: run.restoredFromRunCache, paramsJSON: paramsJSON(run.params),
                         cairnVersion: cairnVersion.snapshot, os: system.map { "\($0.system) \($0.release)" },
                         machine: system?.machine,
                         environmentJSON: run.environmentJSON)
    }

    /// `cmd` as one line: a list of commands runs them in order, stopping at the first failure, i.e. `&&`.
    public static func commandText(_ cmd: ParamValue) -> String {
        if case .list(let items) = cmd { return items.map(\.interpolationText).joined(separator: " && ") }
        return cmd.interpolationText
    }

    /// The stage's name as commands show it (`StageID.display`: the same string `repro` records, so a lock run
    /// and a recorded run of one stage match).
    public static func stageDisplay(lockPath: String, name: String) -> String {
        StageID(pipelinePath: Paths.join(Paths.parent(lockPath), PipelineParser.fileName), name: name).display
    }

    static func paramsJSON(_ params: [String: ParamMap]) -> String {
        CanonicalJSON.encode(RunCacheKey.paramsValue(params))
    }

    /// Duplicate paths (a dep listed twice) collapse: run_io holds one row per path and role.
    static func keys(_ pairs: [(repoPath: String, id: ObjectID)]) -> [VersionKey] {
        var seen = Set<String>()
        return pairs.filter { seen.insert($0.repoPath).inserted }.map { VersionKey(path: $0.repoPath, objectID: $0.id) }
    }

    /// `uname -s`, `uname -r` and `uname -m`; nil when uname fails.
    static func uname() -> (system: String, release: String, machine: String)? {
        var names = utsname()
        guard Glibc.uname(&names) == 0 else { return nil }
        func text<T>(_ field: T) -> String {
            withUnsafeBytes(of: field) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
        }
        return (text(names.sysname), text(names.release), text(names.machine))
    }
}

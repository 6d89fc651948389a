import Basics
import Workspace

/// What one executed or restored stage did, for lineage (the runs helper's `PipelineRun`).
struct ReproRunRecord: Sendable {
    var stage: String
    var lockPath: String
    /// `cmd` as in the lock (RunLineage.commandText makes it one line).
    var command: ParamValue
    var startedAt: Int64
    var finishedAt: Int64
    var succeeded: Bool
    var exitCode: Int32?
    var inputs: [(repoPath: String, id: ObjectID)]
    var outputs: [(repoPath: String, id: ObjectID)]
    var params: [String: ParamMap]
    var restoredFromRunCache: Bool
}

/// The run-cache and lineage, which another part of the Pipeline module provides (RunCache, RunLineage in the
/// shared contract). The engine calls only these three functions, so switching them on is a change to this
/// file alone:
///   - `runCacheLookup` → `RunCache(repo: repo).lookup(lockDirectory:stage:)`
///   - `runCacheRecord` → `RunCache(repo: repo).record(lockDirectory:stage:)`
///   - `recordRun`      → `RunLineage.record(PipelineRun(...), repo: repo)` (a failure is only a warning)
/// Until then the run-cache never hits and nothing is recorded.
enum ReproHooks {
    /// A recorded run of `stage` (whose outs carry only paths and cache flags) with all cached outs in the store.
    static func runCacheLookup(repo: CairnRepository, lockDirectory: String, stage: LockedStage) throws -> LockedStage? {
        nil
    }

    /// After every successful run (not after a restore).
    static func runCacheRecord(repo: CairnRepository, lockDirectory: String, stage: LockedStage) throws {}

    /// After every executed (succeeded or failed) stage and every run-cache restore. Must not throw: lineage is a
    /// record of the work, a failure to write it only warns.
    static func recordRun(_ run: ReproRunRecord, repo: CairnRepository) {}
}

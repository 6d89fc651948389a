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
    /// RunEnvironment JSON, captured before the commands ran (nil for a restore).
    var environmentJSON: String? = nil
}

/// The run-cache and lineage (RunCache, RunLineage: the runs part of the Pipeline module), as the engine calls them:
/// the only place repro touches either, so their formats and rules stay theirs.
enum ReproHooks {
    /// A recorded run of `stage` (whose outs carry only paths and cache flags) with all cached outs in the store.
    static func runCacheLookup(repo: CairnRepository, lockDirectory: String, stage: LockedStage) throws -> LockedStage? {
        try RunCache(repo: repo).lookup(lockDirectory: lockDirectory, stage: stage)
    }

    /// After every successful run (not after a restore).
    static func runCacheRecord(repo: CairnRepository, lockDirectory: String, stage: LockedStage) throws {
        try RunCache(repo: repo).record(lockDirectory: lockDirectory, stage: stage)
    }

    /// After every executed (succeeded or failed) stage and every run-cache restore. Must not throw: lineage is a
    /// record of the work, a failure to write it only warns.
    static func recordRun(_ run: ReproRunRecord, repo: CairnRepository) {
        let record = PipelineRun(stage: run.stage, lockPath: run.lockPath, command: RunLineage.commandText(run.command),
                                 startedAt: run.startedAt, finishedAt: run.finishedAt, succeeded: run.succeeded,
                                 exitCode: run.exitCode, inputs: run.inputs, outputs: run.outputs, params: run.params,
                                 restoredFromRunCache: run.restoredFromRunCache, environmentJSON: run.environmentJSON)
        do { try RunLineage.record(record, repo: repo) } catch {
            Diagnostics.warning("stage \(run.stage): could not record the run in lineage: \(error)")
        }
    }
}

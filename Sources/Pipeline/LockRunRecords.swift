import Basics
import GitBridge
import Lineage
import Workspace

/// Runs read back from Git: the indexer asks, for each commit, which runs its cairn.lock files record. A commit
/// records a run for every stage entry it added or changed relative to its parents (as it records a version
/// for every pointer it changed): inputs are the entry's deps, outputs its outs, all as repo paths. A stage whose
/// entry equals a parent's was not run for this commit, so it adds nothing (a merge that takes each entry from one
/// side adds no run; an entry the merge made itself, re-run to resolve a conflict, is one). The store binds a pending recorded run with the same lock, stage and outputs instead of
/// adding a second run for the same thing (LineageStore.recordRun). Runs of an experiment commit get the environment
/// its `cairn-exp-environment` trailers recorded.
///
/// A lock file in history that cannot be read is skipped with a warning: one bad file must not block the index.
public struct LockRunRecords: RunRecordSource {
    /// Lock files in history are held to the limit of lock files in the work tree.
    static let maxBytes = PipelineFileReader.maxFileSize

    public init() {}

    public func runs(in commit: CommitInfo, git: GitRepository) throws -> [RunRecord] {
        var runs: [RunRecord] = []
        for lockPath in try git.changedFiles(in: commit.sha, withSuffix: PipelineLock.fileName)
            where Paths.basename(lockPath) == PipelineLock.fileName {
            guard let current = read(git: git, commit: commit.sha, lockPath: lockPath) else { continue }
            // A merge runs nothing: an entry it takes from any parent was that parent's run, already counted there.
            let parents = commit.parents.compactMap { read(git: git, commit: $0, lockPath: lockPath, quiet: true) }
            let directory = Paths.parent(lockPath)
            for name in current.stages.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                let stage = current.stages[name]!
                if parents.contains(where: { $0.stages[name] == stage }) { continue }
                runs.append(LockRunRecords.record(stage, name: name, lockPath: lockPath, directory: directory,
                                                  time: commit.time))
            }
        }
        // An experiment commit carries the environment its stages ran in (the runs themselves were recorded in a
        // temporary worktree's lineage.db, gone with it).
        if !runs.isEmpty, let message = try? git.message(of: commit.sha), message.contains("cairn-exp-environment: ") {
            let environments = RunEnvironment.experimentTrailers(message)
            for index in runs.indices { runs[index].environmentJSON = environments[runs[index].stage] }
        }
        return runs
    }

    static func record(_ stage: LockedStage, name: String, lockPath: String, directory: String,
                       time: Int64) -> RunRecord {
        func keys(_ paths: [LockedPath]) -> [VersionKey] {
            RunLineage.keys(paths.map { (LockPaths.repoPath($0.path, lockDirectory: directory), $0.id) })
        }
        // The lock knows no times: the commit's is the best there is.
        return RunRecord(stage: RunLineage.stageDisplay(lockPath: lockPath, name: name),
                         command: RunLineage.commandText(stage.cmd), startedAt: time, finishedAt: time,
                         status: .succeeded, inputs: keys(stage.deps), outputs: keys(stage.outs), lockPath: lockPath,
                         origin: .lock, paramsJSON: RunLineage.paramsJSON(stage.params))
    }

    /// The lock at `commit`, nil when absent or unreadable (with a warning unless `quiet`: the parent's copy was
    /// already warned about when its commit was indexed).
    private func read(git: GitRepository, commit: String, lockPath: String, quiet: Bool = false) -> PipelineLock? {
        do {
            let bytes: [UInt8]
            do {
                guard let read = try git.readFile(at: commit, path: lockPath, maxBytes: LockRunRecords.maxBytes) else { return nil }
                bytes = read
            } catch let tooLarge as GitRepository.BlobTooLarge {
                throw CairnError("\(lockPath): \(tooLarge.size) bytes, larger than a lock file can be")
            }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw CairnError("\(lockPath): not UTF-8 text")
            }
            return try PipelineLockCodec.decode(text, file: lockPath)
        } catch {
            if !quiet {
                Diagnostics.warning("lineage: skipping \(lockPath) in commit \(commit.prefix(7)): \(error)")
            }
            return nil
        }
    }
}

import GitBridge
import Lineage

/// Where the lineage indexer learns which pipeline runs a commit records. Workspace knows nothing of pipelines:
/// the Pipeline module reads a commit's lock files and answers, so `cairn lineage rebuild` restores runs from Git
/// history as it restores versions. Keeping it a protocol keeps the dependency pointing up (Pipeline → Workspace).
public protocol RunRecordSource: Sendable {
    /// The runs recorded by `commit` (their `commitSha` is set by the indexer).
    func runs(in commit: CommitInfo, git: GitRepository) throws -> [RunRecord]
}

/// No pipelines: commits record versions only.
public struct NoRunRecords: RunRecordSource {
    public init() {}
    public func runs(in commit: CommitInfo, git: GitRepository) throws -> [RunRecord] { [] }
}

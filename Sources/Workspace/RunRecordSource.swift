import Basics
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

/// The source every LineageIndexer uses unless told otherwise. The command layer registers the Pipeline module's
/// lock-file reader at start-up; until then (library tests) commits record no runs. Registering before any command
/// indexes matters: an indexed commit is not read again, so a commit indexed without the source would lack its runs.
public enum RunRecordSources {
    private static let registered = Locked<any RunRecordSource>(NoRunRecords())

    public static func register(_ source: any RunRecordSource) { registered.withLock { $0 = source } }

    public static var current: any RunRecordSource { registered.snapshot }
}

import Basics

/// One run of a pipeline stage: the command, and the versions it read and wrote. Runs are what make
/// lineage more than a list of replacements: an output is derived from every input of its run.
/// (The pipeline issue records them; the schema and queries are here so that it needs no rewrite.)
public struct RunRecord: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case running, succeeded, failed
    }

    /// Assigned by the store when the run is recorded; nil before.
    public var id: Int64?
    public var stage: String
    public var command: String
    /// The commit whose lock file records the run; nil until that is committed.
    public var commitSha: String?
    /// Seconds since the epoch.
    public var startedAt: Int64
    public var finishedAt: Int64?
    public var status: Status
    public var inputs: [VersionKey]
    public var outputs: [VersionKey]

    public init(id: Int64? = nil, stage: String, command: String, commitSha: String? = nil, startedAt: Int64,
                finishedAt: Int64? = nil, status: Status, inputs: [VersionKey], outputs: [VersionKey]) {
        self.id = id
        self.stage = stage
        self.command = command
        self.commitSha = commitSha
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.status = status
        self.inputs = inputs
        self.outputs = outputs
    }
}

/// One step in the lineage graph between two versions.
public struct LineageEdge: Sendable, Equatable, Hashable, Codable {
    public enum Relation: String, Sendable, Codable {
        /// `to` is a later version of the same path than `from` (the pointer changed from one to the other).
        case replaces
        /// `to` is an output of run `runID`, which read `from` as an input.
        case derived
    }

    public var from: VersionKey
    public var to: VersionKey
    public var relation: Relation
    public var runID: Int64?

    public init(from: VersionKey, to: VersionKey, relation: Relation, runID: Int64? = nil) {
        self.from = from
        self.to = to
        self.relation = relation
        self.runID = runID
    }
}

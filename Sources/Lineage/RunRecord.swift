import Basics

/// One run of a pipeline stage: the command, and the versions it read and wrote. Runs are what make
/// lineage more than a list of replacements: an output is derived from every input of its run.
///
/// Two origins (docs/formats-lineage.md, schema version 2): `recorded` runs are written by `cairn repro` as they
/// happen, with everything only the run itself knows (times, exit code, machine); `lock` runs are read back from
/// the cairn.lock files in Git history (a stage entry a commit changed), so a rebuild restores them. When a
/// commit's lock entry matches a pending recorded run, the recorded run is bound to that commit instead of adding a
/// second run for the same thing.
public struct RunRecord: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case running, succeeded, failed
    }

    public enum Origin: String, Sendable, Codable, CaseIterable {
        /// Written by the run itself (`RunLineage.record`).
        case recorded
        /// Read from a commit's cairn.lock by the indexer.
        case lock
    }

    /// Assigned by the store when the run is recorded; nil before.
    public var id: Int64?
    /// The stage as `cairn repro` names it (`train`, `models/cairn.yaml:train`).
    public var stage: String
    public var command: String
    /// The commit whose lock file records the run; nil until that is committed (and indexed).
    public var commitSha: String?
    /// Seconds since the epoch.
    public var startedAt: Int64
    public var finishedAt: Int64?
    public var status: Status
    public var inputs: [VersionKey]
    public var outputs: [VersionKey]
    /// Repo-relative path of the cairn.lock the run's entry belongs to ("" when unknown).
    public var lockPath: String
    public var origin: Origin
    /// HEAD when the run started (recorded runs): the commit the run's code and data came from.
    public var headSha: String?
    /// The command's exit code; nil when it did not run (restored from the run-cache) or is unknown.
    public var exitCode: Int32?
    /// The outputs were checked out from the run-cache instead of running the command.
    public var restoredFromRunCache: Bool
    /// The params values the run read, as canonical JSON `{file: {key: value}}`.
    public var paramsJSON: String
    /// Who ran it where (recorded runs): the cairn version and `uname` (system and release; machine).
    public var cairnVersion: String?
    public var os: String?
    public var machine: String?
    /// Where the run ran (schema 3): RunEnvironment's one-line JSON; nil for restores, older records and lock runs
    /// of ordinary commits (an experiment commit's lock runs take its `cairn-exp-environment` trailers).
    public var environmentJSON: String?

    public init(id: Int64? = nil, stage: String, command: String, commitSha: String? = nil, startedAt: Int64,
                finishedAt: Int64? = nil, status: Status, inputs: [VersionKey], outputs: [VersionKey],
                lockPath: String = "", origin: Origin = .recorded, headSha: String? = nil, exitCode: Int32? = nil,
                restoredFromRunCache: Bool = false, paramsJSON: String = "{}", cairnVersion: String? = nil,
                os: String? = nil, machine: String? = nil, environmentJSON: String? = nil) {
        self.id = id
        self.stage = stage
        self.command = command
        self.commitSha = commitSha
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.status = status
        self.inputs = inputs
        self.outputs = outputs
        self.lockPath = lockPath
        self.origin = origin
        self.headSha = headSha
        self.exitCode = exitCode
        self.restoredFromRunCache = restoredFromRunCache
        self.paramsJSON = paramsJSON
        self.cairnVersion = cairnVersion
        self.os = os
        self.machine = machine
        self.environmentJSON = environmentJSON
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

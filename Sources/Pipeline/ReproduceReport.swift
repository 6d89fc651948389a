import Basics

/// What `cairn reproduce` found, stage by stage (rendered by the command as text or `--json`).
public struct ReproduceReport: Sendable, Encodable {
    public enum Status: String, Sendable, Encodable {
        /// Every output has the id REV's cairn.lock recorded.
        case reproduced
        /// The stage ran; at least one output differs from the recorded one.
        case diverged
        /// The stage did not run (missing input, missing tool, failing command, failed upstream).
        case couldNotRun = "could not run"
        /// The stage ran but REV's cairn.lock has no entry for it: nothing to compare with.
        case notRecorded = "not recorded"
        /// `frozen: true` at REV: not re-run (as `repro` never runs it); its recorded outputs feed its downstream.
        case frozen
    }

    /// One output of a stage, recorded (at REV) and reproduced.
    public struct Output: Sendable, Encodable {
        public var path: String
        public var identical: Bool
        public var type: String
        public var oldID: String?
        public var newID: String?
        public var oldSize: UInt64?
        public var newSize: UInt64?
        /// A short unified-style diff of small text outputs (metrics, CSV, JSON, text), at most ~10 lines.
        public var diff: [String] = []
        /// Directories: files below the output that were added, removed or changed (paths relative to it).
        public var added: [String] = []
        public var removed: [String] = []
        public var changed: [String] = []
    }

    public struct Stage: Sendable, Encodable {
        public var stage: String
        public var status: Status
        /// For `could not run`: why.
        public var reason: String?
        public var outputs: [Output] = []
        /// Diverged upstream stages whose outputs this stage read (it still reproduced, or not, on them).
        public var divergedUpstream: [String] = []
    }

    /// An input the re-run needs that neither the cache nor the remote has (reported before anything runs).
    public struct MissingInput: Sendable, Encodable {
        public var path: String
        public var stage: String
    }

    public var revision: String
    public var commit: String
    public var stages: [Stage] = []
    public var missingInputs: [MissingInput] = []
    /// ReproduceEnvironmentCheck's findings: differences between this machine and the recorded runs.
    public var likelyCauses: [String] = []
    /// Set with `--keep`: where the worktree stays.
    public var worktree: String?

    /// Exit 0 only when every selected stage ran (or is frozen) and reproduced every output.
    /// Frozen stages do not count against it: nothing about them was claimed to be re-run.
    public var reproduced: Bool {
        missingInputs.isEmpty && stages.contains { $0.status == .reproduced }
            && stages.allSatisfy { $0.status == .reproduced || $0.status == .frozen }
    }

    public func count(_ status: Status) -> Int { stages.filter { $0.status == status }.count }
}

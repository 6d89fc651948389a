import Basics
import Workspace

/// The parsed form of one cairn.lock (format 1, docs/formats.md): what the last successful run of each stage read
/// and wrote. A lock is self-contained: every path in it is relative to the lock's own directory (the directory of
/// its cairn.yaml), already joined with the stage's `wdir`, so reading a lock at any revision never needs cairn.yaml
/// or its params files. (dvc.lock writes paths relative to `wdir`; cairn resolves them once, when it writes.)
public struct PipelineLock: Sendable, Equatable {
    public static let formatVersion = 1
    public static let fileName = "cairn.lock"

    /// Stage name (`train`, `train@cnn`) → its entry. Written sorted by name (bytes), so the file's order never
    /// depends on the order of cairn.yaml and a re-run changes only the lines of what changed.
    public var stages: [String: LockedStage]

    public init(stages: [String: LockedStage] = [:]) { self.stages = stages }
}

/// One stage's entry in cairn.lock.
public struct LockedStage: Sendable, Equatable {
    /// `cmd` as resolved (a string, or a list of strings), compared as a whole, as dvc.lock does.
    public var cmd: ParamValue
    /// In cairn.yaml's order.
    public var deps: [LockedPath]
    /// Params file (relative to the lock's directory, e.g. `params.yaml`) → flattened key (`train.lr`) → value.
    /// A stage that tracks a whole file records every leaf key of it.
    public var params: [String: ParamMap]
    /// `outs`, `metrics` and `plots` of the stage, in cairn.yaml's order.
    public var outs: [LockedPath]

    public init(cmd: ParamValue, deps: [LockedPath] = [], params: [String: ParamMap] = [:], outs: [LockedPath] = []) {
        self.cmd = cmd
        self.deps = deps
        self.params = params
        self.outs = outs
    }
}

/// A dep or an out as recorded: where it is and which content it had.
public struct LockedPath: Sendable, Equatable {
    /// Relative to the lock's directory, normalised (no `.`/`..` components, never escaping the repository).
    public var path: String
    public var type: PointerFile.DataType
    /// For a file the SHA-256 of its bytes; for a directory the id of its root tree (as in pointer files).
    public var id: ObjectID
    /// Bytes (for a directory, the total of all files below).
    public var size: UInt64
    /// Directories: the number of files below.
    public var files: UInt64?
    public var executable: Bool = false
    /// Outs only. `false`: the id is recorded but the data is not stored in the cache (e.g. a metrics file that is
    /// committed to Git); such an out is not git-ignored, pushed, pulled or checked out by cairn.
    public var cache: Bool = true
    /// Outs only. `false`: stored in the local cache but never pushed to a remote.
    public var push: Bool = true

    public init(path: String, type: PointerFile.DataType, id: ObjectID, size: UInt64, files: UInt64? = nil,
                executable: Bool = false, cache: Bool = true, push: Bool = true) {
        self.path = path
        self.type = type
        self.id = id
        self.size = size
        self.files = files
        self.executable = executable
        self.cache = cache
        self.push = push
    }
}

import Basics

/// The parsed form of one cairn.yaml: every `${…}` resolved, foreach/matrix expanded into their members, every
/// path checked to stay inside the repository. This is what the stage graph, the runner and cairn.lock build on.
public struct PipelineFile: Sendable {
    /// Repo-relative path of the file (`cairn.yaml`, `models/cairn.yaml`).
    public var path: String
    /// Repo-relative directory of the file ("" at the root); paths in it are relative to this directory.
    public var directory: String
    /// Stages in file order; a foreach/matrix group appears as its members, in order (`train@a`, `train@b`).
    public var stages: [Stage]
    /// foreach/matrix group name → its members' full names, in order (a group is a valid target).
    public var groups: [String: [String]]
    /// Top-level `params:` files (repo-relative): shown by params diff, not dependencies.
    public var params: [PipelinePath]
    /// Top-level `metrics:` files (repo-relative): shown by metrics show/diff, not outputs.
    public var metrics: [PipelinePath]
    /// Top-level `plots:` in order.
    public var plots: [PlotDefinition]
    public var artifacts: [Artifact]
    /// The variables after params.yaml and top-level `vars` were loaded (stage vars not included).
    public var variables: ParamMap

    public func stage(named name: String) -> Stage? { stages.first { $0.name == name } }
}

/// A path as written in cairn.yaml and where it is in the repository.
public struct PipelinePath: Sendable, Equatable, Hashable {
    /// As written (after interpolation), relative to the stage's wdir or the file's directory. cairn.lock
    /// records this spelling, as dvc.lock does.
    public var written: String
    /// Normalised, repo-relative, never escaping the repository, never inside `.git` or `.cairn`.
    public var repoPath: String

    public init(written: String, repoPath: String) {
        self.written = written
        self.repoPath = repoPath
    }
}

public struct Stage: Sendable {
    /// Full name: `train`, or `train@cnn` for a foreach/matrix member.
    public var name: String
    /// For a foreach/matrix member: the group name (`train`) and the member key (`cnn`, `0`, `a-b`).
    public var group: String?
    public var memberKey: String?
    /// Line of the stage's definition in cairn.yaml (the group's for members).
    public var line: Int
    /// The resolved commands, run one after another, each in its own shell. A single string with several lines is
    /// several commands (DVC splits on lines); a folded `>` string is one.
    public var commands: [String]
    /// `cmd` as resolved, a string or a list of strings: what cairn.lock records and compares, as dvc.lock does.
    public var cmd: ParamValue
    /// Working directory of the commands, repo-relative ("" = repository root).
    public var wdir: String
    public var deps: [PipelinePath]
    /// `outs`, `metrics` and `plots` together, in that order, each with its kind.
    public var outs: [StageOutput]
    public var params: [ParamsDependency]
    public var frozen: Bool
    public var alwaysChanged: Bool
    public var desc: String?
    public var meta: ParamValue?
    /// Params-file values that `${…}` took while resolving this stage, by repo-relative file and dotted key.
    public var interpolatedParams: [String: ParamMap]

    /// DVC's "callback stage": a command with no deps and no outs always runs.
    public var isCallback: Bool { deps.isEmpty && outs.isEmpty }

    /// The absolute directory the commands run in, for a work tree at `root`.
    public func workingDirectory(root: String) -> String { wdir.isEmpty ? root : Paths.join(root, wdir) }
}

public struct StageOutput: Sendable, Equatable {
    public enum Kind: String, Sendable { case out = "outs", metric = "metrics", plot = "plots" }
    public var path: PipelinePath
    public var kind: Kind
    /// false: the id is recorded in cairn.lock but the file is not stored (usually committed to Git instead).
    public var cache: Bool = true
    /// true: not removed before the command runs.
    public var persist: Bool = false
    /// false: never pushed to a remote.
    public var push: Bool = true
    /// The remote to push it to instead of the default one.
    public var remote: String?
    /// Accepted for old dvc.yaml files; checkpoints no longer exist in DVC 3 and do nothing here.
    public var checkpoint: Bool = false
    public var desc: String?
    public var type: String?
    public var labels: [String] = []
    public var meta: ParamValue?
    /// For `plots`: the plot properties (a list when the file gives several plots).
    public var plotProperties: [PlotProperties] = []

    public init(path: PipelinePath, kind: Kind) {
        self.path = path
        self.kind = kind
    }
}

public struct PlotProperties: Sendable, Equatable {
    public var template: String?
    public var x: String?
    public var y: String?
    public var xLabel: String?
    public var yLabel: String?
    public var title: String?
    public var header: Bool?
    public init() {}
}

/// `params:` of a stage, grouped by file: `keys` nil means the whole file is tracked.
public struct ParamsDependency: Sendable, Equatable {
    public var file: PipelinePath
    public var keys: [String]?
}

/// A top-level `plots:` entry.
public struct PlotDefinition: Sendable, Equatable {
    public enum XAxis: Sendable, Equatable {
        case field(String)
        case perFile([(file: PipelinePath, field: String)])
        public static func == (a: XAxis, b: XAxis) -> Bool {
            switch (a, b) {
            case (.field(let x), .field(let y)): return x == y
            case (.perFile(let x), .perFile(let y)): return x.count == y.count && zip(x, y).allSatisfy { $0.file == $1.file && $0.field == $1.field }
            default: return false
            }
        }
    }
    public enum YAxis: Sendable, Equatable {
        case fields([String])
        case perFile([(file: PipelinePath, fields: [String])])
        public static func == (a: YAxis, b: YAxis) -> Bool {
            switch (a, b) {
            case (.fields(let x), .fields(let y)): return x == y
            case (.perFile(let x), .perFile(let y)): return x.count == y.count && zip(x, y).allSatisfy { $0.file == $1.file && $0.fields == $1.fields }
            default: return false
            }
        }
    }
    /// The id: a file or directory path (then `path` is set), or any name when `y` maps files to columns.
    public var id: String
    public var line: Int
    /// Set when the id is a path (a plain `- file.csv` entry, or an id that is not a free name).
    public var path: PipelinePath?
    public var x: XAxis?
    public var y: YAxis?
    public var xLabel: String?
    public var yLabel: String?
    public var title: String?
    public var template: String?
}

public struct Artifact: Sendable, Equatable {
    public var name: String
    public var path: PipelinePath
    public var type: String?
    public var desc: String?
    public var labels: [String]
    public var meta: ParamValue?
}

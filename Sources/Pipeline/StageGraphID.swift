import Basics

/// Names one stage of one pipeline of the repository. Two pipelines may both have a `train` stage, so a stage is
/// always identified by its cairn.yaml and its name together. Equal, hashed and ordered by bytes (paths and names
/// are compared as bytes everywhere in cairn, see PathKey).
public struct StageID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Repo-relative cairn.yaml path: "cairn.yaml", "models/cairn.yaml".
    public var pipelinePath: String
    /// Full stage name: "train", "train@cnn".
    public var name: String
    /// How people address the stage: "train" in the root cairn.yaml, "models/cairn.yaml:train" elsewhere (the target
    /// syntax of `cairn repro`, so a displayed name can be pasted back).
    public var display: String
    /// Repo-relative path of the pipeline's cairn.lock: "cairn.lock", "models/cairn.lock".
    public var lockPath: String

    public init(pipelinePath: String, name: String) {
        self.pipelinePath = pipelinePath
        self.name = name
        self.display = pipelinePath == PipelineParser.fileName ? name : pipelinePath + ":" + name
        self.lockPath = Paths.join(Paths.parent(pipelinePath), PipelineLock.fileName)
    }

    public var description: String { display }

    public static func == (a: StageID, b: StageID) -> Bool {
        Paths.sameBytes(a.pipelinePath, b.pipelinePath) && Paths.sameBytes(a.name, b.name)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(PathKey(pipelinePath))
        hasher.combine(PathKey(name))
    }

    /// By pipeline path, then by name, both as bytes. This is not the run order (that is `StageGraph.order`).
    public static func < (a: StageID, b: StageID) -> Bool {
        if !Paths.sameBytes(a.pipelinePath, b.pipelinePath) { return Paths.bytewiseLess(a.pipelinePath, b.pipelinePath) }
        return Paths.bytewiseLess(a.name, b.name)
    }
}

import Basics
import Workspace

extension StageGraph {
    /// Repo paths of the data of every pointer file in the work tree (`X` for `X.cairn`): what no stage may write.
    public static func trackedDataPaths(root: String) throws -> [String] {
        try PointerScanner.findPointers(root: root).map { String($0.dropLast(PointerFile.suffix.count)) }
    }

    /// Every pipeline of the work tree, parsed, and the graph over them, validated against pointer-tracked data.
    public static func load(root: String) throws -> StageGraph {
        try build(pipelines: PipelineDiscovery.loadAll(root: root), trackedDataPaths: trackedDataPaths(root: root))
    }
}

import Basics
import Workspace

extension StageGraph {
    /// Repo paths of the data of every pointer file in the work tree (`X` for `X.cairn`): what no stage may write.
    /// Only real pointer files count: outputs recorded in cairn.lock are tracked too, but they are the stages' own.
    public static func trackedDataPaths(root: String) throws -> [String] {
        try PointerScanner.findPointers(root: root).filter { $0.hasSuffix(PointerFile.suffix) }
            .map { String($0.dropLast(PointerFile.suffix.count)) }
    }

    /// Every pipeline of the work tree, parsed, and the graph over them, validated against pointer-tracked data.
    public static func load(root: String) throws -> StageGraph {
        try build(pipelines: PipelineDiscovery.loadAll(root: root), trackedDataPaths: trackedDataPaths(root: root))
    }
}

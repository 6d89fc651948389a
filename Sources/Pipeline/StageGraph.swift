import Basics

/// All stages of all pipelines of a repository and how they feed each other. Stage B depends on stage A when one of
/// B's deps (or params files) is one of A's outs, lies inside one (a file of an output directory), or is a directory
/// holding one. `build` refuses a graph that `repro` could not run safely (cycles, two writers of one path,
/// overlapping outputs, outputs that are pointer-tracked data) before anything runs, and fixes one deterministic
/// order: pipelines sorted by directory (the root's first), stages in file order, every stage after everything it reads.
public struct StageGraph: Sendable {
    /// Every node in base order (pipelines by path, then file order); node numbers index these arrays.
    let ids: [StageID]
    let stages: [Stage]
    let pipelineOfNode: [Int]
    let pipelines: [PipelineFile]
    let index: [StageID: Int]
    /// Direct upstream and downstream nodes, each sorted by node number.
    let upstream: [[Int]]
    let downstream: [[Int]]
    let outputs: OutputIndex
    /// Node → position in `order`.
    let position: [Int]

    /// Deterministic topological order of all stages: a stage comes after every stage it depends on; otherwise
    /// pipelines by path and stages in file order.
    public let order: [StageID]

    public static func build(pipelines unsorted: [PipelineFile], trackedDataPaths: [String]) throws -> StageGraph {
        // By directory, as PipelineDiscovery sorts: the root's cairn.yaml first ("" sorts before any directory).
        let pipelines = unsorted.sorted { a, b in
            let (da, db) = (Paths.parent(a.path), Paths.parent(b.path))
            return Paths.sameBytes(da, db) ? Paths.bytewiseLess(a.path, b.path) : Paths.bytewiseLess(da, db)
        }
        var ids: [StageID] = [], stages: [Stage] = [], pipelineOfNode: [Int] = []
        var index: [StageID: Int] = [:]
        for (p, file) in pipelines.enumerated() {
            if p > 0 && Paths.sameBytes(pipelines[p - 1].path, file.path) {
                throw CairnError("\(file.path): the pipeline is listed twice; this is a bug", kind: .bug)
            }
            for stage in file.stages {
                let id = StageID(pipelinePath: file.path, name: stage.name)
                index[id] = ids.count
                ids.append(id)
                stages.append(stage)
                pipelineOfNode.append(p)
            }
        }
        let outputs = try OutputIndex(stages: stages, ids: ids)
        try outputs.checkTrackedData(trackedDataPaths, ids: ids)
        try outputs.checkPipelineFiles(pipelines.map(\.path), ids: ids)

        var upstreamSets = [Set<Int>](repeating: [], count: ids.count)
        var reasons: [Edge: String] = [:]
        for (b, stage) in stages.enumerated() {
            for dep in Self.inputPaths(of: stage) {
                for producer in outputs.producers(of: dep) {
                    let a = producer.node, out = producer.path
                    if a == b {
                        let what = Paths.sameBytes(dep, out) ? "which is also its output" : "which overlaps its own output '\(out)'"
                        throw CairnError("\(ids[b].pipelinePath): stage '\(ids[b].display)' reads '\(dep)', \(what); a stage cannot depend on what it writes")
                    }
                    upstreamSets[b].insert(a)
                    if reasons[Edge(from: a, to: b)] == nil { reasons[Edge(from: a, to: b)] = dep }
                }
            }
        }
        let upstream = upstreamSets.map { $0.sorted() }
        var downstream = [[Int]](repeating: [], count: ids.count)
        for (b, ups) in upstream.enumerated() { for a in ups { downstream[a].append(b) } }

        let orderNodes = try topologicalOrder(upstream: upstream) { cycle in
            // `cycle` runs in data-flow order: each stage reads an output of the one before it.
            let names = cycle.map { "'\(ids[$0].display)'" }.joined(separator: " → ")
            let why = zip(cycle, cycle.dropFirst()).map { a, b in
                "'\(ids[b].display)' reads '\(reasons[Edge(from: a, to: b)] ?? "?")' from '\(ids[a].display)'"
            }.joined(separator: "; ")
            return CairnError("\(ids[cycle[0]].pipelinePath): the stages form a cycle: \(names) (\(why))")
        }
        var position = [Int](repeating: 0, count: ids.count)
        for (pos, node) in orderNodes.enumerated() { position[node] = pos }
        return StageGraph(ids: ids, stages: stages, pipelineOfNode: pipelineOfNode, pipelines: pipelines, index: index,
                          upstream: upstream, downstream: downstream, outputs: outputs, position: position,
                          order: orderNodes.map { ids[$0] })
    }

    /// Repo paths a stage reads: its deps and its params files (a params file written by another stage orders the
    /// two stages, as in DVC, where params are dependencies too).
    static func inputPaths(of stage: Stage) -> [String] {
        stage.deps.map(\.repoPath) + stage.params.map(\.file.repoPath)
    }

    struct Edge: Hashable { var from: Int, to: Int }

    func node(_ id: StageID) -> Int {
        guard let n = index[id] else { preconditionFailure("stage \(id.display) is not in this graph; this is a bug") }
        return n
    }

    public func stage(_ id: StageID) -> Stage { stages[node(id)] }
    public func pipeline(_ id: StageID) -> PipelineFile { pipelines[pipelineOfNode[node(id)]] }
    public func contains(_ id: StageID) -> Bool { index[id] != nil }

    /// Every pipeline of the graph, sorted by directory (the root's first).
    public var pipelineFiles: [PipelineFile] { pipelines }

    /// Direct upstream: the stages that write something this stage reads, in `order`.
    public func dependencies(of id: StageID) -> [StageID] { sortedByOrder(upstream[node(id)]) }
    /// Direct downstream: the stages that read something this stage writes, in `order`.
    public func dependents(of id: StageID) -> [StageID] { sortedByOrder(downstream[node(id)]) }

    /// The stage whose out equals or contains `repoPath`.
    public func producer(of repoPath: String) -> StageID? {
        outputs.owner(ofPathOrAncestor: repoPath).map { ids[$0.node] }
    }

    /// Every edge (upstream → downstream) in `order` of the downstream stage, then of the upstream one.
    public var edges: [(from: StageID, to: StageID)] {
        order.flatMap { to in upstream[node(to)].sorted { position[$0] < position[$1] }.map { (ids[$0], to) } }
    }

    func sortedByOrder(_ nodes: [Int]) -> [StageID] { nodes.sorted { position[$0] < position[$1] }.map { ids[$0] } }
}

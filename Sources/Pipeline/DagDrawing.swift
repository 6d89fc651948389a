import Basics

/// What `cairn dag` draws: nodes (stages, or output paths with --outs) and edges from what is written to what reads
/// it, in the graph's order. Rendered as a terminal tree, Graphviz dot, a Mermaid flowchart or JSON.
public struct DagDrawing: Sendable {
    public var nodes: [String]
    /// (upstream, downstream) indices into `nodes`, sorted.
    public var edges: [(from: Int, to: Int)]

    public init(nodes: [String], edges: [(from: Int, to: Int)]) {
        self.nodes = nodes
        self.edges = edges.sorted { ($0.to, $0.from) < ($1.to, $1.from) }
    }

    /// The stages `ids` (a subset of `graph`, closed upstream) and the edges between them.
    public static func stages(_ ids: [StageID], in graph: StageGraph) -> DagDrawing {
        let chosen = Set(ids)
        let nodes = graph.order.filter(chosen.contains)
        let number = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1, $0) })
        let edges = graph.edges.compactMap { edge in
            number[edge.from].flatMap { a in number[edge.to].map { (from: a, to: $0) } }
        }
        return DagDrawing(nodes: nodes.map(\.display), edges: edges)
    }

    /// The outputs of the stages `ids`: an edge O1 → O2 when the stage writing O2 reads O1 (or a file inside it, or
    /// a directory holding it). `shown` turns a repo path into the spelling printed.
    public static func outputs(_ ids: [StageID], in graph: StageGraph, shown: (String) -> String) -> DagDrawing {
        let stages = graph.order.filter(Set(ids).contains)
        var nodes: [String] = []
        var number: [PathKey: Int] = [:]
        for id in stages {
            for out in graph.stage(id).outs where number[PathKey(out.path.repoPath)] == nil {
                number[PathKey(out.path.repoPath)] = nodes.count
                nodes.append(out.path.repoPath)
            }
        }
        var edges = Set<[Int]>()
        for id in stages {
            let inputs = StageGraph.inputPaths(of: graph.stage(id))
            for up in graph.dependencies(of: id) {
                for produced in graph.stage(up).outs.map(\.path.repoPath)
                where number[PathKey(produced)] != nil && inputs.contains(where: { overlaps($0, produced) }) {
                    for out in graph.stage(id).outs { edges.insert([number[PathKey(produced)]!, number[PathKey(out.path.repoPath)]!]) }
                }
            }
        }
        return DagDrawing(nodes: nodes.map(shown), edges: edges.map { (from: $0[0], to: $0[1]) })
    }

    static func overlaps(_ a: String, _ b: String) -> Bool {
        Paths.sameBytes(a, b) || a.utf8.starts(with: (b + "/").utf8) || b.utf8.starts(with: (a + "/").utf8)
    }

    // MARK: - Formats

    /// Graphviz: `cairn dag --dot | dot -Tsvg > dag.svg`.
    public func dot() -> String {
        func quoted(_ s: String) -> String {
            "\"" + s.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"").replacingAll("\n", with: "\\n") + "\""
        }
        var lines = ["strict digraph {"]
        lines += nodes.map { "\t\(quoted($0));" }
        lines += edges.map { "\t\(quoted(nodes[$0.from])) -> \(quoted(nodes[$0.to]));" }
        return (lines + ["}"]).joined(separator: "\n")
    }

    /// A Mermaid flowchart (GitHub renders it inside a ```mermaid block).
    public func mermaid() -> String {
        func label(_ s: String) -> String {
            s.replacingAll("&", with: "#amp;").replacingAll("\"", with: "#quot;").replacingAll("<", with: "#lt;")
                .replacingAll(">", with: "#gt;").replacingAll("\n", with: " ")
        }
        var lines = ["flowchart TD"]
        lines += nodes.enumerated().map { "\tnode\($0.offset + 1)[\"\(label($0.element))\"]" }
        lines += edges.map { "\tnode\($0.from + 1)-->node\($0.to + 1)" }
        return lines.joined(separator: "\n")
    }
}

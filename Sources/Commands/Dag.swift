import ArgumentParser
import Basics
import Foundation
import Pipeline
import Workspace

/// `cairn dag`: the stages of every pipeline of the repository and what feeds what.
struct Dag: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dag",
        abstract: "Draw the pipeline graph (stages, or outputs with --outs).",
        discussion: "Without a target, every stage of every cairn.yaml; with one, the target and everything "
            + "upstream of it. In the terminal each source starts a tree and data flows down and right; a line "
            + "`a → b → c` is a chain, and a stage fed by several others is drawn once and named again with "
            + "\"(see above)\". --dot is for Graphviz (`cairn dag --dot | dot -Tsvg > dag.svg`), --mermaid for "
            + "Markdown (--md wraps it in a ```mermaid block).")

    @Argument(help: "A stage, group, `FILE:STAGE`, output path or pipeline (default: all stages).")
    var target: String?

    @Flag(help: "Print Graphviz dot.")
    var dot = false

    @Flag(help: "Print a Mermaid flowchart.")
    var mermaid = false

    @Flag(help: "Print a Mermaid flowchart in a Markdown code block.")
    var md = false

    @Flag(help: "Print machine-readable JSON: {nodes, edges}.")
    var json = false

    @Flag(name: [.customShort("o"), .customLong("outs")], help: "Draw the outputs and what is made from what, instead of the stages.")
    var outs = false

    func validate() throws {
        if [dot, mermaid, md, json].filter({ $0 }).count > 1 { throw ValidationError("choose one of --dot, --mermaid, --md and --json") }
    }

    func run() throws {
        let cwd = CommandContext().cwd
        let repo = try CairnRepository.open(cwd: cwd, lockMode: .shared)
        let graph = try StageGraph.load(root: repo.root)
        var ids = graph.order
        if let target {
            let here = Paths.relative(cwd, to: repo.root) ?? ""
            ids = graph.upstreamClosure(of: try graph.resolve(targets: [target], cwd: here))
        }
        let drawing = outs ? DagDrawing.outputs(ids, in: graph) { Display.relative($0, repo: repo, cwd: cwd) }
                           : DagDrawing.stages(ids, in: graph)
        if json {
            struct Node: Encodable { var id: String; var stage: String?; var pipeline: String?; var name: String? }
            struct Edge: Encodable { var from: String; var to: String }
            struct Output: Encodable { var nodes: [Node]; var edges: [Edge] }
            // `ids` are in the graph's order, as the drawing's nodes are.
            let nodes = outs ? drawing.nodes.map { Node(id: $0) }
                             : ids.map { Node(id: $0.display, stage: $0.display, pipeline: $0.pipelinePath, name: $0.name) }
            let output = Output(nodes: nodes, edges: drawing.edges.map { Edge(from: drawing.nodes[$0.from], to: drawing.nodes[$0.to]) })
            Terminal.stdout(try JSONOutput.encode(output))
        } else if dot {
            Terminal.stdout(drawing.dot())
        } else if mermaid || md {
            Terminal.stdout(md ? "```mermaid\n" + drawing.mermaid() + "\n```" : drawing.mermaid())
        } else if drawing.nodes.isEmpty {
            Terminal.stdout(outs ? "no stage outputs" : "no stages (add one with `cairn stage add`)")
        } else {
            Terminal.stdout(drawing.text(width: max(Self.terminalWidth - 4, 60)))
        }
    }

    static var terminalWidth: Int {
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        return 100
    }
}

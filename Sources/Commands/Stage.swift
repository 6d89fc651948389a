import ArgumentParser
import Basics
import Pipeline
import Workspace

/// `cairn stage add|list`: write and show the stages of cairn.yaml files.
struct StageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stage",
        abstract: "Add a stage to cairn.yaml, or list the stages of the pipelines.",
        subcommands: [StageAdd.self, StageList.self])
}

struct StageList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list",
        abstract: "List the stages of ./cairn.yaml (with --all, of every pipeline of the repository).",
        discussion: "One line per stage: its name, its description (or command), and what it reads → what it "
            + "writes, paths relative to the current directory.")

    @Flag(name: [.customShort("A"), .customLong("all")], help: "Every cairn.yaml in the repository.")
    var all = false

    @Flag(help: "Print machine-readable JSON.")
    var json = false

    struct Entry: Encodable {
        var name: String
        var target: String
        var pipeline: String
        var desc: String?
        var cmd: [String]
        var wdir: String
        var deps: [String]
        var params: [String]
        var outs: [Output]
        var frozen: Bool
        var always_changed: Bool
        struct Output: Encodable { var path: String; var kind: String; var cache: Bool }
    }

    func run() throws {
        let cwd = CommandContext().cwd
        let repo = try CairnRepository.open(cwd: cwd, lockMode: .shared)
        let here = Paths.relative(cwd, to: repo.root) ?? ""
        let pipelines: [PipelineFile]
        if all {
            pipelines = try PipelineDiscovery.loadAll(root: repo.root)
        } else {
            let path = Paths.join(here, PipelineParser.fileName)
            guard FS.exists(repo.absolute(path)) else {
                throw CairnError("\(PipelineParser.fileName): not found in this directory (add a stage with `cairn stage add`, or list every pipeline with --all)")
            }
            pipelines = [try PipelineParser.load(root: repo.root, path: path)]
        }
        let entries = pipelines.flatMap { file in
            file.stages.map { stage in
                Entry(name: stage.name, target: StageID(pipelinePath: file.path, name: stage.name).display, pipeline: file.path,
                      desc: stage.desc, cmd: stage.commands, wdir: stage.wdir, deps: stage.deps.map(\.repoPath),
                      params: stage.params.map(\.file.repoPath),
                      outs: stage.outs.map { .init(path: $0.path.repoPath, kind: $0.kind.rawValue, cache: $0.cache) },
                      frozen: stage.frozen, always_changed: stage.alwaysChanged)
            }
        }
        if json {
            struct Output: Encodable { var stages: [Entry] }
            Terminal.stdout(try JSONOutput.encode(Output(stages: entries)))
            return
        }
        let shown = { (path: String) in Display.relative(path, repo: repo, cwd: cwd) }
        let rows = entries.map { entry -> (String, String, String) in
            let name = all && !Paths.sameBytes(entry.pipeline, Paths.join(here, PipelineParser.fileName))
                ? shown(entry.pipeline) + ":" + entry.name : entry.name
            let summary = Self.summary(entry.desc ?? entry.cmd.joined(separator: " && "), width: 48)
            let reads = entry.deps.map(shown).joined(separator: ", ")
            let writes = entry.outs.map { shown($0.path) }.joined(separator: ", ")
            let flow = reads.isEmpty && writes.isEmpty ? "" : "\(reads.isEmpty ? "-" : reads) → \(writes.isEmpty ? "-" : writes)"
            return (name, summary, flow)
        }
        let nameWidth = min(rows.map { $0.0.count }.max() ?? 0, 32)
        let summaryWidth = rows.map { $0.1.count }.max() ?? 0
        for (name, summary, flow) in rows {
            let line = Self.pad(Paths.quoted(name), nameWidth) + "  " + Self.pad(Paths.quoted(summary), summaryWidth) + "  " + Paths.quoted(flow)
            Terminal.stdout(String(line.reversed().drop { $0 == " " }.reversed()))
        }
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    /// The first line, cut to `width` characters with an ellipsis.
    static func summary(_ text: String, width: Int) -> String {
        let line = text.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
        return line.count <= width ? line : String(line.prefix(width - 1)) + "…"
    }
}

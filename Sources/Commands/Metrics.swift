import ArgumentParser
import Basics
import GitBridge
import Pipeline

/// `cairn metrics ...`: the metrics files pipelines name (top-level `metrics:` and stage `metrics` outputs).
struct Metrics: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Show metrics, or compare them between revisions.",
        discussion: "Metrics files are JSON, YAML or TOML (nested keys flattened with '.'), or CSV/TSV (the "
            + "header names the metrics, the last row holds their values).",
        subcommands: [MetricsShow.self, MetricsDiffCommand.self])
}

struct MetricsShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show the metrics of the work tree (and of branches, tags or commits).",
        discussion: "TARGETS are metrics files or directories to show instead of the ones pipelines name. A "
            + "file that cannot be read is reported on stderr and the others are still shown.")

    @Argument(help: "Metrics files or directories (default: those the pipelines name).")
    var targets: [String] = []

    @Flag(name: [.customShort("a"), .customLong("all-branches")], help: "Also show the tip of every local branch.")
    var allBranches = false

    @Flag(name: [.customShort("T"), .customLong("all-tags")], help: "Also show every tag.")
    var allTags = false

    @Flag(name: [.customShort("A"), .customLong("all-commits")], help: "Also show every commit (newest first).")
    var allCommits = false

    @Flag(help: "Print JSON: {revision: {\"data\": {file: {\"data\": {...}} or {\"error\": {\"msg\": ...}}}}}.")
    var json = false

    @Flag(help: "Print a Markdown table.")
    var md = false

    @Option(help: "Decimal places of floats in the table.")
    var precision: Int = 5

    func validate() throws {
        if json && md { throw ValidationError("--json and --md cannot be used together") }
        if precision < 0 { throw ValidationError("--precision must be 0 or more") }
    }

    func run() throws {
        let context = CommandContext()
        let (git, cache) = try PipelineReport.open(cwd: context.cwd)
        let targetPaths = try PipelineReport.targets(targets, git: git, cwd: context.cwd)
        var sides = [RevisionTree.workTree(git: git)]
        if allBranches { for b in try git.branches() { sides.append(try PipelineReport.side(b.name, git: git, cache: cache)) } }
        if allTags { for t in try git.tags() { sides.append(try PipelineReport.side(t.name, git: git, cache: cache)) } }
        if allCommits {
            let commits = try git.commits(reachableFrom: try git.allRefCommits()).map { try git.resolve($0) }
            for c in commits.sorted(by: { ($0.time, $0.sha) > ($1.time, $1.sha) }) { sides.append(try PipelineReport.side(c.sha, git: git, cache: cache)) }
        }
        var loaded: [RevisionMetrics] = []
        for side in sides {
            let metrics = try side.loadMetrics(targets: targetPaths)
            PipelineReport.warn(metrics.pipelineErrors)
            PipelineReport.warnFailed(metrics.files, side: side)
            if sides.count == 1 || !targetPaths.isEmpty {
                for file in metrics.files where file.result == .absent {
                    Terminal.stderr("cairn: warning: \(TextTable.cell(file.path, markdown: false)): does not exist (\(side.place))")
                }
            }
            loaded.append(metrics)
        }
        if json {
            Terminal.stdout(OrderedJSON.text(.object(zip(sides, loaded).map { side, metrics in
                let label = side.isWorkTree ? "workspace" : (allCommits ? String(side.label.prefix(7)) : side.label)
                return (label, .object([("data", .object(metrics.files.compactMap { file in
                    switch file.result {
                    case .metrics(let m): return (file.path, .object([("data", .value(.map(m)))]))
                    case .failed(let message): return (file.path, .object([("error", .object([("msg", .value(.string(message)))]))]))
                    case .absent: return nil
                    }
                }))]))
            })))
            return
        }
        let rows = loaded.flatMap { metrics in metrics.files.compactMap { file in file.result.metrics.map { (metrics.label, file.path, $0) } } }
        if rows.isEmpty {
            if loaded.allSatisfy({ $0.files.isEmpty }) {
                Terminal.stderr("cairn: no metrics files: list them under metrics: in cairn.yaml (top level or a stage's outputs)")
            }
            return
        }
        var keys: [String] = []
        var seen = Set<String>()
        for (_, _, m) in rows { for (k, _) in MetricsFile.flatten(m) where seen.insert(k).inserted { keys.append(k) } }
        let withRevision = sides.count > 1
        let header = (withRevision ? ["Revision"] : []) + ["Path"] + keys
        let table = rows.map { label, path, m -> [String] in
            let values = Dictionary(MetricsFile.flatten(m).map { ($0.key, $0.value) }, uniquingKeysWith: { _, b in b })
            let revision = allCommits && label.count == 40 ? String(label.prefix(7)) : label
            return (withRevision ? [revision] : []) + [PipelineReport.shown(path, git: git, cwd: context.cwd)]
                + keys.map { MetricsFormatting.text(values[$0], precision: precision) }
        }
        Terminal.stdout(TextTable.render(header: header, rows: table, markdown: md))
    }
}

struct MetricsDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show metrics that changed between two revisions (default: HEAD and the work tree).",
        discussion: "One revision: it against the work tree. 'workspace' names the work tree. Change is new - old "
            + "when both are numbers, '-' otherwise. Only changed metrics are listed unless --all.")

    @Argument(help: "The old revision (default HEAD) and the new one (default: the work tree).")
    var revisions: [String] = []

    @Flag(help: "Also list metrics that did not change.")
    var all = false

    @Flag(help: "Print JSON: {file: {metric: {\"old\": v, \"new\": v, \"diff\": d}}}.")
    var json = false

    @Flag(help: "Print a Markdown table.")
    var md = false

    @Flag(name: .customLong("no-path"), help: "Leave out the Path column.")
    var noPath = false

    @Option(help: "Decimal places of floats in the table.")
    var precision: Int = 5

    @Option(name: .customLong("targets"), parsing: .upToNextOption, help: "Metrics files to compare instead of the pipelines' ones.")
    var targets: [String] = []

    func validate() throws {
        if revisions.count > 2 { throw ValidationError("at most two revisions: REV_A [REV_B]") }
        if json && md { throw ValidationError("--json and --md cannot be used together") }
        if precision < 0 { throw ValidationError("--precision must be 0 or more") }
    }

    func run() throws {
        let context = CommandContext()
        let (git, cache) = try PipelineReport.open(cwd: context.cwd)
        let (old, new) = try PipelineReport.sides(revisions, git: git, cache: cache)
        let paths = try PipelineReport.targets(targets, git: git, cwd: context.cwd)
        let a = try old.loadMetrics(targets: paths), b = try new.loadMetrics(targets: paths)
        PipelineReport.warn(a.pipelineErrors + b.pipelineErrors)
        PipelineReport.warnFailed(a.files, side: old)
        PipelineReport.warnFailed(b.files, side: new)
        let rows = MetricsDiff.rows(old: a, new: b, all: all)
        if json {
            Terminal.stdout(PipelineReport.diffJSON(rows, withChange: true))
            return
        }
        if rows.isEmpty { return }
        var header = ["Path", "Metric", old.label, new.label, "Change"]
        var table = rows.map { row in
            [PipelineReport.shown(row.path, git: git, cwd: context.cwd), row.key, MetricsFormatting.text(row.old, precision: precision),
             MetricsFormatting.text(row.new, precision: precision), MetricsFormatting.text(row.change, precision: precision)]
        }
        if noPath { header.removeFirst(); table = table.map { Array($0.dropFirst()) } }
        Terminal.stdout(TextTable.render(header: header, rows: table, markdown: md))
    }
}

import ArgumentParser
import Basics
import GitBridge
import Pipeline
import Workspace

/// `cairn params ...`: the parameters pipelines track, compared between revisions.
struct Params: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "params",
        abstract: "Compare the parameters that pipelines use between revisions.",
        subcommands: [ParamsDiffCommand.self])
}

struct ParamsDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show parameters that changed between two revisions (default: HEAD and the work tree).",
        discussion: "Compared: the keys that stages track (their params: and the params-file values their ${...} "
            + "use), every key of top-level params: files, and every key of params.yaml at the repository root. "
            + "One revision: it against the work tree. 'workspace' names the work tree. Only changed keys are "
            + "listed unless --all. Missing values show as '-'.")

    @Argument(help: "The old revision (default HEAD) and the new one (default: the work tree).")
    var revisions: [String] = []

    @Flag(help: "Also list parameters that did not change.")
    var all = false

    @Flag(help: "Print JSON: {file: {param: {\"old\": value, \"new\": value}}}.")
    var json = false

    @Flag(help: "Print a Markdown table.")
    var md = false

    @Flag(name: .customLong("no-path"), help: "Leave out the Path column.")
    var noPath = false

    @Option(name: .customLong("targets"), parsing: .upToNextOption,
            help: "Params files to compare whole instead of what the pipelines track (any YAML, JSON or TOML file).")
    var targets: [String] = []

    func validate() throws {
        if revisions.count > 2 { throw ValidationError("at most two revisions: REV_A [REV_B]") }
        if json && md { throw ValidationError("--json and --md cannot be used together") }
    }

    func run() throws {
        let context = CommandContext()
        let (git, cache) = try PipelineReport.open(cwd: context.cwd)
        let (old, new) = try PipelineReport.sides(revisions, git: git, cache: cache)
        let paths = try PipelineReport.targets(targets, git: git, cwd: context.cwd)
        let (a, b) = try ParamsDiff.load(old: old, new: new, targets: paths)
        PipelineReport.warn(a.pipelineErrors + b.pipelineErrors)
        PipelineReport.warnFailed(a.files, side: old)
        PipelineReport.warnFailed(b.files, side: new)
        let rows = ParamsDiff.rows(old: a, new: b, all: all)
        if json {
            Terminal.stdout(PipelineReport.diffJSON(rows, withChange: false))
            return
        }
        if rows.isEmpty { return }
        let shown = rows.map { PipelineReport.shown($0.path, git: git, cwd: context.cwd) }
        var header = ["Path", "Param", old.label, new.label]
        var table = zip(rows, shown).map { row, path in
            [path, row.key, MetricsFormatting.text(row.old, precision: nil), MetricsFormatting.text(row.new, precision: nil)]
        }
        if noPath { header.removeFirst(); table = table.map { Array($0.dropFirst()) } }
        Terminal.stdout(TextTable.render(header: header, rows: table, markdown: md))
    }
}

/// What params, metrics and plots commands share: which sides to compare, how to report per-file problems.
enum PipelineReport {
    /// The Git repository around `cwd`, and the local cache when it is a cairn repository (cached metrics and
    /// plots of past commits are read from it). Plain Git repositories with a cairn.yaml work too.
    static func open(cwd: String) throws -> (GitRepository, CachedOutputReader?) {
        let git = try GitRepository.discover(startingAt: cwd)
        guard FS.isDirectory(Paths.join(git.workdir, CairnRepository.directoryName)) else { return (git, nil) }
        return (git, CachedOutputReader(repo: try CairnRepository.open(cwd: cwd, lockMode: .shared)))
    }

    /// The side a command-line revision names, reading cached outputs from `cache`.
    static func side(_ revision: String, git: GitRepository, cache: CachedOutputReader?) throws -> RevisionTree {
        var side = try RevisionTree.named(revision, git: git)
        side.cachedOutputs = cache
        return side
    }

    /// `[]` → HEAD and the work tree; `[A]` → A and the work tree; `[A, B]` → A and B.
    static func sides(_ revisions: [String], git: GitRepository, cache: CachedOutputReader?) throws -> (RevisionTree, RevisionTree) {
        let old = try side(revisions.first ?? "HEAD", git: git, cache: cache)
        let new = revisions.count > 1 ? try side(revisions[1], git: git, cache: cache) : RevisionTree.workTree(git: git)
        return (old, new)
    }

    static func shown(_ repoPath: String, git: GitRepository, cwd: String) -> String {
        TargetResolver.shown(repoPath, cwd: cwd, root: git.workdir)
    }

    /// Repo-relative paths of command-line targets (relative to the current directory).
    static func targets(_ arguments: [String], git: GitRepository, cwd: String) throws -> [String] {
        try arguments.map { argument in
            guard let rel = Paths.relative(Paths.absolute(argument, cwd: cwd), to: git.workdir), !rel.isEmpty else {
                throw CairnError("\(argument): not a file inside the repository \(git.workdir)")
            }
            return rel
        }
    }

    static func warn(_ errors: [CairnError]) {
        for error in errors { Terminal.stderr("cairn: warning: \(TextTable.cell(error.message, markdown: false))") }
    }

    static func warnFailed(_ files: [(path: String, result: MetricsFileResult)], side: RevisionTree) {
        for file in files {
            if case .failed(let message) = file.result {
                Terminal.stderr("cairn: warning: \(TextTable.cell(message, markdown: false)) (\(side.place))")
            }
        }
    }

    /// `{file: {key: {"old": v, "new": v, "diff": d}}}` as DVC writes it, in row order.
    static func diffJSON(_ rows: [DiffRow], withChange: Bool) -> String {
        var files: [(String, [(String, OrderedJSON.Node)])] = []
        for row in rows {
            var entry: [(String, OrderedJSON.Node)] = [("old", .value(row.old)), ("new", .value(row.new))]
            if withChange, let change = row.change { entry.append(("diff", .value(change))) }
            if let i = files.firstIndex(where: { $0.0 == row.path }) {
                files[i].1.append((row.key, .object(entry)))
            } else {
                files.append((row.path, [(row.key, .object(entry))]))
            }
        }
        return OrderedJSON.text(.object(files.map { ($0.0, .object($0.1)) }))
    }
}

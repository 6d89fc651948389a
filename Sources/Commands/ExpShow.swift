import ArgumentParser
import Basics
import Experiments
import GitBridge
import Pipeline

struct ExpShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show the work tree, the baseline and its experiments in one table of params and metrics.",
        discussion: "Columns: Experiment, Created, State, then metrics and params, those that differ between rows "
            + "first. The table fits the terminal (80 columns when piped): unchanged columns are hidden first, then "
            + "the rightmost ones, and a note on stderr says how many; --wide shows all. See docs/experiments.md.")

    @Flag(name: [.customShort("A"), .customLong("all-commits")], help: "Every commit reachable from a branch, with its experiments.")
    var allCommits = false

    @Option(name: .customLong("rev"), help: "Show this commit and its experiments instead of HEAD (repeatable).")
    var revisions: [String] = []

    @Option(name: .customLong("param"), help: "Only params matching this pattern (key or file:key, * as wildcard; repeatable).")
    var params: [String] = []

    @Option(name: .customLong("metric"), help: "Only metrics matching this pattern (repeatable).")
    var metrics: [String] = []

    @Option(name: .customLong("sort-by"), help: "Sort experiments by this metric or param (key or file:key).")
    var sortBy: String?

    @Flag(help: "With --sort-by: largest first.")
    var desc = false

    @Flag(help: "Show every column, however wide.")
    var wide = false

    @Flag(help: "Also show the environment each experiment ran in (program and version).")
    var env = false

    @Flag(help: "Print JSON (a list of rows; see docs/commands.md).")
    var json = false

    @Flag(help: "Print CSV: a header and one row per line, every column.")
    var csv = false

    @Flag(help: "Print a Markdown table (every column).")
    var md = false

    @Option(help: "Decimal places of floats in the table.")
    var precision: Int = 5

    func validate() throws {
        if [json, csv, md].filter({ $0 }).count > 1 { throw ValidationError("--json, --csv and --md are exclusive") }
        if desc && sortBy == nil { throw ValidationError("--desc needs --sort-by") }
        if precision < 0 { throw ValidationError("--precision must be 0 or more") }
    }

    func run() throws {
        let context = CommandContext()
        let (git, cache) = try PipelineReport.open(cwd: context.cwd)
        guard let head = try git.head() else {
            throw CairnError("no commits yet: experiments run from a commit (commit the pipeline first)")
        }
        var baselines: [String]
        if allCommits {
            let tips = try git.branches().map(\.sha) + [head.sha]
            baselines = try git.commits(reachableFrom: tips).map { try git.resolve($0) }
                .sorted { ($0.time, $0.sha) > ($1.time, $1.sha) }.map(\.sha)
        } else if !revisions.isEmpty {
            baselines = try revisions.map { try git.resolve($0).sha }
        } else {
            baselines = [head.sha]
        }
        var seen = Set<String>()
        baselines = baselines.filter { seen.insert($0).inserted }
        var table = try ExperimentTable.load(git: git, baselines: baselines, workspace: revisions.isEmpty, cache: cache)
        for problem in table.problems { Terminal.stderr("cairn: warning: \(TextTable.cell(problem, markdown: false))") }
        let columns = ExperimentColumns.columns(of: table, paramPatterns: params, metricPatterns: metrics)
        if let sortBy {
            guard let column = try ExperimentColumns.named(sortBy, in: columns) else {
                throw CairnError("--sort-by \(sortBy): no such metric or param (columns: "
                    + columns.map(\.header).joined(separator: ", ") + ")")
            }
            ExperimentColumns.sort(&table, by: column, descending: desc)
        }
        if json { Terminal.stdout(ExpShowOutput.json(table, columns: columns, env: env)); return }
        if csv { Terminal.stdout(ExpShowOutput.csv(table, columns: columns, env: env)); return }
        let width = ExpShowOutput.terminalWidth()
        let rendered = ExpShowOutput.table(table, columns: columns, env: env, precision: precision,
                                           limit: (wide || md) ? nil : width, markdown: md)
        Terminal.stdout(rendered.text)
        if rendered.hidden > 0 {
            Terminal.stderr("cairn: \(Display.count(rendered.hidden, "column")) hidden to fit \(width)"
                + " columns (unchanged ones first); --wide shows them all")
        }
    }
}

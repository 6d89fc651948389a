import ArgumentParser
import Basics
import Experiments
import GitBridge
import Pipeline

struct ExpDiff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare the params and metrics of two experiments (or any revisions).",
        discussion: "With one argument, an experiment is compared with its baseline (any other revision with "
            + "HEAD). Rows: Path, Metric or Param, the old value, the new value, and the change for numbers. Only "
            + "what changed is listed unless --all.")

    @Argument(help: "The experiment (or revision) to look at, and optionally the one to compare it with.")
    var revisions: [String] = []

    @Flag(help: "Also list params and metrics that did not change.")
    var all = false

    @Flag(help: "Print JSON: {\"params\": {file: {key: {old, new}}}, \"metrics\": {file: {key: {old, new, diff}}}}.")
    var json = false

    @Flag(help: "Print Markdown tables.")
    var md = false

    @Option(help: "Decimal places of floats.")
    var precision: Int = 5

    func validate() throws {
        if revisions.isEmpty || revisions.count > 2 { throw ValidationError("give one or two experiments: A [B]") }
        if json && md { throw ValidationError("--json and --md cannot be used together") }
        if precision < 0 { throw ValidationError("--precision must be 0 or more") }
    }

    func run() throws {
        let context = CommandContext()
        let (git, cache) = try PipelineReport.open(cwd: context.cwd)
        let newName = revisions.count == 2 ? revisions[1] : revisions[0]
        let oldName: String
        if revisions.count == 2 {
            oldName = revisions[0]
        } else if let experiment = try? ExperimentStore(git: git).find(revisions[0]) {
            oldName = experiment.baseline
        } else {
            oldName = "HEAD"
        }
        let old = try PipelineReport.side(oldName, git: git, cache: cache)
        let new = try PipelineReport.side(newName, git: git, cache: cache)
        let (paramsOld, paramsNew) = try ParamsDiff.load(old: old, new: new)
        let metricsOld = try old.loadMetrics(), metricsNew = try new.loadMetrics()
        PipelineReport.warn(paramsOld.pipelineErrors + paramsNew.pipelineErrors)
        PipelineReport.warnFailed(metricsOld.files, side: old)
        PipelineReport.warnFailed(metricsNew.files, side: new)
        let params = ParamsDiff.rows(old: paramsOld, new: paramsNew, all: all)
        let metrics = MetricsDiff.rows(old: metricsOld, new: metricsNew, all: all)
        if json {
            Terminal.stdout("{\"params\":" + PipelineReport.diffJSON(params, withChange: false)
                + ",\"metrics\":" + PipelineReport.diffJSON(metrics, withChange: true) + "}")
            return
        }
        let oldLabel = oldName.count == 40 ? String(oldName.prefix(7)) : oldName
        func text(_ value: ParamValue?) -> String { MetricsFormatting.text(value, precision: precision) }
        var tables: [String] = []
        if !metrics.isEmpty {
            tables.append(TextTable.render(header: ["Path", "Metric", oldLabel, newName, "Change"], rows: metrics.map {
                [PipelineReport.shown($0.path, git: git, cwd: context.cwd), $0.key, text($0.old), text($0.new), text($0.change)]
            }, markdown: md))
        }
        if !params.isEmpty {
            tables.append(TextTable.render(header: ["Path", "Param", oldLabel, newName, "Change"], rows: params.map {
                [PipelineReport.shown($0.path, git: git, cwd: context.cwd), $0.key, text($0.old), text($0.new),
                 text(MetricsDiff.change(from: $0.old, to: $0.new))]
            }, markdown: md))
        }
        if tables.isEmpty { Terminal.stdout("No params or metrics differ between \(oldLabel) and \(newName).") }
        else { Terminal.stdout(tables.joined(separator: "\n\n")) }
    }
}

import ArgumentParser
import Basics
import Experiments
import Pipeline

struct ExpRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the pipeline as an experiment, with changed params.",
        discussion: "Without --queue or --temp the experiment runs in the work tree, as `dvc exp run` does: the -S "
            + "values are written into the params files, the stages that changed run (the run-cache restores "
            + "results seen before), and the result is saved as a commit on refs/exps/; the work tree keeps it. "
            + "--queue records the experiment without running it; --run-all runs the queued ones, -j at a time, "
            + "each in its own temporary worktree that uses this cache. --temp runs one that way at once.")

    @Argument(help: "Stages, output paths or cairn.yaml files to run (default: every stage).")
    var targets: [String] = []

    @Option(name: [.customShort("S"), .customLong("set-param")],
            help: "[FILE:]KEY=VALUE: a parameter to change (FILE defaults to params.yaml); repeat for more.")
    var setParams: [String] = []

    @Option(name: [.customShort("n"), .customLong("name")], help: "The experiment's name (default: generated).")
    var name: String?

    @Flag(help: "Record the experiment to run later (with --run-all); run nothing now.")
    var queue = false

    @Flag(help: "Run every queued experiment (each in its own temporary worktree).")
    var runAll = false

    @Flag(help: "Run in a temporary worktree instead of the work tree (the work tree is not touched).")
    var temp = false

    @Option(name: [.customShort("j"), .customLong("jobs")],
            help: "With --run-all: experiments to run at once (default 1); otherwise stages to run at once.")
    var jobs: Int?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("-j must be at least 1") }
        if queue && temp { throw ValidationError("--queue and --temp cannot be combined (--queue runs nothing)") }
        if runAll && (!setParams.isEmpty || name != nil || !targets.isEmpty || temp) && !queue {
            throw ValidationError("--run-all runs the queued experiments: give -S, -n and targets with --queue")
        }
    }

    func run() throws {
        let cwd = CommandContext().cwd
        var options = ExperimentRunOptions()
        options.targets = targets
        options.setParams = setParams
        options.name = name
        if queue {
            let experiment = try ExperimentRunner.queue(cwd: cwd, options: options)
            Terminal.stdout("Queued experiment \(experiment.name) (baseline \(experiment.baseline.prefix(7)))."
                + (runAll ? "" : " Run the queue with `cairn exp run --run-all`."))
            if !runAll { return }
        }
        if runAll {
            try ExpQueueRunner.runAll(cwd: cwd, jobs: jobs ?? 1)
            return
        }
        let printer = ReproPrinter(keepGoing: false, json: false)
        if let jobs { options.jobs = jobs }
        options.events = { printer.event($0) }
        options.outputLine = { isError, text in printer.line(text, fd: isError ? 2 : 1) }
        let result: ExperimentRunResult
        if temp {
            let queued = try ExperimentRunner.queue(cwd: cwd, options: options)
            result = try ExperimentQueue.run(queued.name, cwd: cwd, options: options)
            if result.experiment.state == .failed {
                throw CairnError("experiment \(queued.name) failed: \(result.experiment.failure ?? "unknown reason")"
                    + " (it stays queued-as-failed; rerun with `cairn exp run --run-all`, or `cairn exp remove \(queued.name)`)")
            }
        } else {
            result = try ExperimentRunner.runInWorkspace(cwd: cwd, options: options)
        }
        let experiment = result.experiment
        Terminal.stdout("Experiment \(experiment.name) saved (baseline \(experiment.baseline.prefix(7)), commit"
            + " \(experiment.sha.prefix(7))). Compare with `cairn exp show`; keep it with `cairn exp apply"
            + " \(experiment.name)` or `cairn exp branch \(experiment.name) BRANCH`.")
    }
}

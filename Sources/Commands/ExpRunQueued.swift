import ArgumentParser
import Basics
import Experiments
import Pipeline

/// The worker `exp run --run-all` starts for each queued experiment (ExperimentWorkers); hidden from help.
struct ExpRunQueued: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-queued", abstract: "Run one queued experiment (used by `exp run --run-all`).",
        shouldDisplay: false)

    @Argument var name: String

    @Option(name: [.customShort("j"), .customLong("jobs")]) var jobs: Int = 1

    func run() throws {
        let printer = ReproPrinter(keepGoing: false, json: false)
        var options = ExperimentRunOptions()
        options.jobs = max(1, jobs)
        options.events = { printer.event($0) }
        options.outputLine = { isError, text in printer.line(text, fd: isError ? 2 : 1) }
        let result = try ExperimentQueue.run(name, cwd: CommandContext().cwd, options: options)
        if result.experiment.state == .failed {
            throw CairnError("experiment \(name) failed: \(result.experiment.failure ?? "unknown reason")")
        }
        Terminal.stdout("Experiment \(name) done (commit \(result.experiment.sha.prefix(7))).")
    }
}

/// `exp run --run-all`: starts the workers and reports each experiment as it ends.
enum ExpQueueRunner {
    static func runAll(cwd: String, jobs: Int) throws {
        let store = try ExperimentCommandSupport.store(cwd: cwd)
        let queued = try store.list().filter { $0.state == .queued }
        if queued.isEmpty {
            Terminal.stdout("No queued experiments (queue some with `cairn exp run --queue -S KEY=VALUE`).")
            return
        }
        Terminal.stdout("Running \(Display.count(queued.count, "queued experiment")), \(min(jobs, queued.count)) at a time.")
        let logs = Paths.join(store.git.commonGitDir, "cairn-exp", "logs")
        var failed: [String] = []
        let stageJobs = max(1, Parallel.workers / max(1, min(jobs, queued.count)))
        try ExperimentWorkers.run(names: queued.map(\.name), jobs: jobs, executable: ExperimentWorkers.currentExecutable,
                                  cwd: cwd, logDirectory: logs, stageJobs: stageJobs) { done in
            if done.exitCode == 0 {
                Terminal.stdout("Experiment \(done.name): done")
            } else {
                failed.append(done.name)
                let lastLine = (try? FS.readAll(done.log)).map { String(decoding: $0, as: UTF8.self) }?
                    .split(separator: "\n").last.map(String.init) ?? ""
                Terminal.stdout("Experiment \(done.name): failed: \(lastLine) (log: \(done.log))")
            }
        }
        if !failed.isEmpty {
            throw CairnError("\(Display.count(failed.count, "experiment")) failed: \(failed.joined(separator: ", "))"
                + " (`cairn exp show` lists them; each log is under \(logs))")
        }
    }
}

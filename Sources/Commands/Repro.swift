import ArgumentParser
import Basics
import Pipeline
import Workspace

struct Repro: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the pipeline stages whose command, deps, params or outputs changed since cairn.lock.",
        discussion: "Targets are stage names, cairn.yaml:stage, foreach/matrix group names, output paths, or a "
            + "cairn.yaml (or its directory); with none, the stages of the cairn.yaml in the current directory "
            + "(every pipeline if there is none). Their upstream stages are considered too. Independent stages run "
            + "in parallel (-j); each stage's outputs are stored in the cache and its cairn.lock entry is written as "
            + "soon as it finishes. See docs/pipelines.md.")

    @Argument(help: "Stages, output paths or cairn.yaml files to reproduce.")
    var targets: [String] = []

    @Flag(name: .shortAndLong, help: "Run every selected stage, changed or not (and ignore the run-cache).")
    var force = false

    @Flag(name: .shortAndLong, help: "Only the targets, not their upstream stages.")
    var singleItem = false

    @Flag(help: "The targets and every stage downstream of them, not their upstream stages.")
    var downstream = false

    @Flag(name: [.customShort("P"), .customLong("all-pipelines")], help: "Every stage of every cairn.yaml.")
    var allPipelines = false

    @Flag(help: "Print what would run and why; run nothing and change no file.")
    var dry = false

    @Flag(name: .shortAndLong, help: "After a failure, skip only the failed stage's downstream and go on.")
    var keepGoing = false

    @Flag(help: "Fetch missing outputs and tracked deps from the default remote first; restore outputs instead of running.")
    var pull = false

    @Flag(help: "Do not restore outputs from the run-cache; run the stages.")
    var noRunCache = false

    @Option(name: [.customShort("j"), .customLong("jobs")], help: "Stages to run at once (default: the number of cores).")
    var jobs: Int?

    @Flag(help: "With --dry: print the stages that would run, and why, as JSON.")
    var json = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("-j must be at least 1") }
        if singleItem && downstream { throw ValidationError("--single-item and --downstream cannot be combined") }
        if allPipelines && !targets.isEmpty { throw ValidationError("--all-pipelines takes no targets") }
        if json && !dry { throw ValidationError("--json needs --dry (a real run streams the stages' own output)") }
    }

    func run() throws {
        let context = CommandContext()
        let cwd = context.cwd
        // Opened only to find it: repro takes the repository lock itself, step by step (ReproSession).
        let (root, gitDir) = try { () throws -> (String, String) in
            let repo = try CairnRepository.open(cwd: cwd, lockMode: .shared)
            return (repo.root, repo.git.gitDir)
        }()
        let printer = ReproPrinter(keepGoing: keepGoing, json: json)
        var options = ReproOptions()
        options.targets = targets
        options.force = force
        options.singleItem = singleItem
        options.downstream = downstream
        options.allPipelines = allPipelines
        options.dry = dry
        options.keepGoing = keepGoing
        options.pull = pull
        options.noRunCache = noRunCache
        if let jobs { options.jobs = jobs }
        options.events = { printer.event($0) }
        options.outputLine = { isError, text in printer.line(text, fd: isError ? 2 : 1) }
        let result = try ReproOperation.run(root: root, gitDir: gitDir, cwd: cwd, options: options) {
            try CairnRepository.open(cwd: cwd, lockMode: .exclusive)
        }
        if !result.failed.isEmpty {
            var message = zip(result.failed, result.failureMessages).map { "stage '\($0)' failed: \($1)" }.joined(separator: "; ")
            if !result.skipped.isEmpty { message += "; skipped downstream: " + result.skipped.map { "'\($0)'" }.joined(separator: ", ") }
            throw CairnError(message)
        }
        if json {
            Terminal.stdout(try JSONOutput.encode(["stages": printer.collected]))
        } else if dry {
            Terminal.stdout(result.wouldRun == 0 ? "Everything is up to date; nothing would run." : "\(Display.count(result.wouldRun, "stage")) would run (--dry: nothing was run).")
        } else if result.upToDate {
            Terminal.stdout("Everything is up to date; no stage needed to run.")
        } else {
            var summary = "\(Display.count(result.ran, "stage")) ran, \(result.restored) restored."
            if result.ran > 0 { summary += " To track the changes with Git: git add the cairn.lock and .gitignore files (`git status` lists them)." }
            Terminal.stdout(summary)
        }
    }
}

/// Prints repro's events and the stages' prefixed output lines, one whole line per write, from any thread.
final class ReproPrinter: @unchecked Sendable {
    private let mutex = Mutex()
    /// With -k the run goes on after a failure, so each one is shown when it happens (and again at the end).
    private let keepGoing: Bool
    /// `--dry --json`: events are collected for one JSON document instead of printed.
    private let json: Bool
    private var stages: [StatusPipelines.Stage] = []

    init(keepGoing: Bool, json: Bool) {
        self.keepGoing = keepGoing
        self.json = json
    }

    var collected: [StatusPipelines.Stage] { mutex.withLock { stages } }

    func line(_ text: String, fd: Int32) { mutex.withLock { Terminal.raw(text + "\n", fd: fd) } }

    func event(_ event: ReproEvent) {
        if json {
            // The same shape as `status --json`'s stages; `frozen` stages are listed with frozen: true.
            switch event {
            case .wouldRun(let stage, let lockPath, let reasons, _), .frozen(let stage, let lockPath, let reasons):
                var frozen = false
                if case .frozen = event { frozen = true }
                let entry = StatusPipelines.Stage(stage: stage, lock: lockPath, frozen: frozen,
                                                  changes: reasons.map(StatusPipelines.change))
                mutex.withLock { stages.append(entry) }
            default: break
            }
            return
        }
        switch event {
        case .running(let stage, let reasons):
            line("Running stage '\(stage)': " + reasons.map(\.description).joined(separator: "; "), fd: 1)
        case .command(_, let command):
            line("> " + command, fd: 1)
        case .upToDate:
            break
        case .restored(let stage, let fromRunCache):
            line(fromRunCache ? "Stage '\(stage)' restored from the run-cache, not run (same command, deps and params ran before)"
                 : "Stage '\(stage)' unchanged; its missing outputs were restored from the cache", fd: 1)
        case .wouldRun(let stage, _, let reasons, let commands):
            line("Would run stage '\(stage)':", fd: 1)
            for reason in reasons { line("    " + reason.description, fd: 1) }
            for command in commands { line("> " + command, fd: 1) }
        case .frozen(let stage, _, let reasons):
            line("Stage '\(stage)' is frozen, not running it (" + reasons.map(\.description).joined(separator: "; ") + ")", fd: 1)
        case .failed(let stage, let message):
            if keepGoing { line("Stage '\(stage)' failed: \(message)", fd: 1) }
        case .skipped(let stage, let because):
            line("Stage '\(stage)' skipped: upstream stage '\(because)' failed", fd: 1)
        case .lockWritten:
            break
        }
    }
}

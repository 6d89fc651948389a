import Basics
import GitBridge
import Lineage
import Sync
import Workspace
#if canImport(Glibc)
import Glibc
#endif

public struct ReproduceOptions: Sendable {
    public var revision = "HEAD"
    public var targets: [String] = []
    public var keep = false
    public var jobs = Parallel.workers
    /// nil: the default remote (when one is configured).
    public var remote: String?
    /// Events and stage output of the re-run, as `repro` reports them.
    public var events: @Sendable (ReproEvent) -> Void = { _ in }
    public var outputLine: @Sendable (Bool, String) -> Void = { _, _ in }
    /// Called once the worktree exists (before anything is fetched or run).
    public var worktreeCreated: @Sendable (String) -> Void = { _ in }
    /// Called before any stage runs with the environment differences found (ReproduceEnvironmentCheck).
    public var environmentChecked: @Sendable ([String]) -> Void = { _ in }

    public init() {}
}

/// `cairn reproduce REV [TARGET…]`: re-runs REV's pipeline in a temporary linked worktree at REV and compares every
/// output with REV's cairn.lock.
///
/// 1. A detached worktree at REV (ReproduceWorktree) that uses the main cache; the user's work tree, HEAD and index
///    are never touched.
/// 2. REV's pointer-tracked data that the selected stages read is checked out from the cache, after fetching what
///    the cache lacks (and the recorded outputs, for content diffs) from the remote. A dep that is still missing
///    and that no stage makes stops everything before any stage runs.
/// 3. `repro -f --no-run-cache -k` in the worktree (ReproOperation itself): every selected stage runs.
/// 4. Each stage's new cairn.lock entry is compared with REV's (ReproduceComparison).
public enum ReproduceOperation {
    public static func run(cwd: String, options: ReproduceOptions) throws -> ReproduceReport {
        ReproduceInterrupt.install()
        defer { ReproduceInterrupt.restore() }
        // The main work tree: who we are, REV's commit. Held only for this step (the worktree shares its cache lock).
        let (mainRoot, git, commit, relativeCwd) = try { () throws -> (String, GitRepository, String, String) in
            let main = try CairnRepository.open(cwd: cwd, lockMode: .shared)
            let commit = try main.git.resolve(options.revision).sha
            // A wrong -r is an error even when the cache has everything.
            if let name = options.remote { _ = try RemoteConfiguration.remote(named: name, config: main.config) }
            return (main.root, main.git, commit, Paths.relative(cwd, to: main.root) ?? "")
        }()
        var report = ReproduceReport(revision: options.revision, commit: commit)
        let worktree = try ReproduceWorktree.create(git: git, commit: commit, mainRoot: mainRoot)
        var cache: CacheLocation?
        defer {
            if !options.keep {
                worktree.remove()
                cache?.unregister(worktree.path)
            }
        }
        options.worktreeCreated(worktree.path)
        if options.keep { report.worktree = worktree.path }
        try ReproduceInterrupt.check()

        let root = worktree.path
        let openWorktree = { try CairnRepository.open(cwd: root, lockMode: .exclusive) }
        // REV's graph, selection and recorded locks, read before anything runs (the run rewrites the locks).
        let graph: StageGraph
        let selection: [StageID]
        var recorded: [String: PipelineLock] = [:]
        var needed: [TrackedData] = []
        var outputsForDiffs: [TransferTarget] = []
        var missingInputs: [TransferTarget] = []
        do {
            let repo = try openWorktree()
            cache = repo.cache
            graph = try StageGraph.load(root: root)
            if graph.order.isEmpty {
                throw CairnError("no pipeline stages at \(options.revision) (\(commit.prefix(7))): no \(PipelineParser.fileName) defines a stage")
            }
            let targetCwd = FS.isDirectory(Paths.join(root, relativeCwd)) ? relativeCwd : ""
            let ids = options.targets.isEmpty ? [] : try graph.resolve(targets: options.targets, cwd: targetCwd)
            selection = graph.selection(of: ids, singleItem: false, downstream: false)
            for id in selection where recorded[id.lockPath] == nil {
                recorded[id.lockPath] = try PipelineLockCodec.load(root: root, lockPath: id.lockPath) ?? PipelineLock()
            }
            let depPaths = selection.flatMap { graph.stage($0).deps.map(\.repoPath) }
            needed = try TargetResolver.trackedTargets([], cwd: root, root: root).filter { data in
                !data.isRecorded && depPaths.contains { dep in
                    dep == data.dataPath || dep.hasPrefix(data.dataPath + "/") || data.dataPath.hasPrefix(dep + "/")
                }
            }
            // A frozen stage is not re-run (as in repro): its recorded outputs are inputs like tracked data.
            for id in selection where graph.stage(id).frozen {
                guard let entry = recorded[id.lockPath]?.stages[id.name] else { continue }
                needed += try LockedOutputs.outputs(of: PipelineLock(stages: [id.name: entry]), lockPath: id.lockPath,
                                                    source: id.lockPath)
            }
            for id in selection where !graph.stage(id).frozen {
                for out in recorded[id.lockPath]?.stages[id.name]?.outs ?? [] where out.cache
                    && !OutputStorer.isCached(type: out.type, id: out.id, repo: repo) {
                    outputsForDiffs.append(TransferTarget(
                        label: LockPaths.repoPath(out.path, lockDirectory: graph.pipeline(id).directory), id: out.id))
                }
            }
            missingInputs = needed.filter { !OutputStorer.isCached(type: $0.pointer.type, id: $0.pointer.id, repo: repo) }
                .map { TransferTarget(label: $0.dataPath, id: $0.pointer.id) }
        }
        // The worktree is closed by now: the fetch opens the main work tree, which takes the same cache lock.
        if !missingInputs.isEmpty || !outputsForDiffs.isEmpty {
            try fetch(missingInputs + outputsForDiffs, mainRoot: mainRoot, remote: options.remote)
        }
        try ReproduceInterrupt.check()

        // Check out what is there; name every input that is not, before anything runs.
        let stageNames = selection.map(\.display)
        try {
            let repo = try openWorktree()
            let available = needed.filter { OutputStorer.isCached(type: $0.pointer.type, id: $0.pointer.id, repo: repo) }
            if !available.isEmpty { _ = try CheckoutOperation.run(repo: repo, targets: available, force: true) }
            report.missingInputs = graph.missingDependencies(of: selection) { (try? FS.lstat(repo.absolute($0))) != nil }
                .map { ReproduceReport.MissingInput(path: $0.path, stage: $0.stage.display) }
        }()
        report.likelyCauses = ReproduceEnvironmentCheck.differences(
            mainRoot: mainRoot, worktree: root, message: try? git.message(of: commit),
            stages: selection.filter { !graph.stage($0).frozen }.map { id in
                let stage = graph.stage(id), directory = graph.pipeline(id).directory
                let outs = recorded[id.lockPath]?.stages[id.name]?.outs ?? []
                return ReproduceEnvironmentCheck.StageToCheck(
                    stage: id.display, commands: stage.commands,
                    directory: stage.workingDirectory(root: root),
                    outputs: outs.map { VersionKey(path: LockPaths.repoPath($0.path, lockDirectory: directory), objectID: $0.id) })
            })
        options.environmentChecked(report.likelyCauses)
        if !report.missingInputs.isEmpty {
            for name in stageNames {
                let paths = report.missingInputs.filter { $0.stage == name }.map(\.path)
                let reason = paths.isEmpty ? "not run: inputs of other stages are missing"
                    : "missing input: " + paths.joined(separator: ", ")
                report.stages.append(ReproduceReport.Stage(stage: name, status: .couldNotRun, reason: reason))
            }
            return report
        }
        try ReproduceInterrupt.check()

        var repro = ReproOptions()
        repro.targets = selection.map { "\($0.pipelinePath):\($0.name)" }
        repro.force = true
        repro.noRunCache = true
        repro.recordRunCache = false
        repro.keepGoing = true
        repro.jobs = options.jobs
        repro.events = options.events
        repro.outputLine = options.outputLine
        let result = try ReproOperation.run(root: root, gitDir: Paths.join(git.commonGitDir, "worktrees", worktree.name),
                                            cwd: root, options: repro, open: openWorktree)
        // Ctrl-C while a command ran went to the command (repro ignores it meanwhile): its stage was killed by SIGINT.
        if result.failureMessages.contains(where: { $0.hasPrefix("command killed by signal \(SIGINT)") }) {
            throw CairnError("interrupted (Ctrl-C) while stages ran; nothing was compared")
        }
        try ReproduceInterrupt.check()

        // Compare, stage by stage, in order.
        let repo = try openWorktree()
        let comparison = ReproduceComparison(repo: repo, commit: commit)
        var diverged = Set<String>()
        for id in selection {
            let name = id.display
            var stage = ReproduceReport.Stage(stage: name, status: .reproduced)
            stage.divergedUpstream = graph.dependencies(of: id).map(\.display).filter { diverged.contains($0) }
            if let index = result.failed.firstIndex(of: name) {
                stage.status = .couldNotRun
                stage.reason = reason(forFailure: result.failureMessages[index])
            } else if result.skipped.contains(name) {
                stage.status = .couldNotRun
                let blocked = graph.dependencies(of: id).map(\.display).first { name in
                    report.stages.contains { $0.stage == name && $0.status == .couldNotRun }
                }
                stage.reason = blocked.map { "upstream stage '\($0)' could not run" } ?? "an upstream stage could not run"
            } else if graph.stage(id).frozen {
                stage.status = .frozen
                stage.reason = "frozen at \(options.revision): not re-run; its recorded outputs were used"
            } else if !result.outcomes.contains(where: { $0.stage == name && $0.outcome == "ran" }) {
                stage.status = .couldNotRun
                stage.reason = "not run"
            } else if let old = recorded[id.lockPath]?.stages[id.name] {
                let new = try PipelineLockCodec.load(root: root, lockPath: id.lockPath)?.stages[id.name]
                stage.outputs = comparison.outputs(recorded: old, reproduced: new, lockDirectory: graph.pipeline(id).directory)
                if stage.outputs.contains(where: { !$0.identical }) {
                    stage.status = .diverged
                    diverged.insert(name)
                }
            } else {
                stage.status = .notRecorded
                stage.reason = "\(id.lockPath) at \(options.revision) has no entry for this stage: nothing to compare with"
            }
            report.stages.append(stage)
        }
        return report
    }

    /// Fetches into the shared cache through the main work tree (its configuration names the remotes). Without a
    /// default remote and without -r nothing is fetched: what is missing is then reported as missing.
    private static func fetch(_ targets: [TransferTarget], mainRoot: String, remote name: String?) throws {
        let main = try CairnRepository.open(cwd: mainRoot, lockMode: .exclusive)
        if name == nil && RemoteConfiguration.defaultName(config: main.config) == nil { return }
        let configured = try RemoteConfiguration.remote(named: name, config: main.config)
        let remote = try RemoteOpener.open(configured)
        _ = try FetchOperation.run(repo: main, remote: remote, targets: targets,
                                   jobs: RemoteOpener.jobs(configured, override: nil))
    }

    /// "command exited with 127: python train.py" → a reason that says what it means.
    static func reason(forFailure message: String) -> String {
        if message.hasPrefix("command exited with 127") {
            return "missing tool (command exited with 127): " + message.dropFirst("command exited with 127: ".count)
        }
        if message.hasPrefix("command exited with "), let code = message.dropFirst("command exited with ".count).split(separator: ":").first {
            return "command failed with exit \(code): " + message.drop { $0 != ":" }.dropFirst(2)
        }
        return message
    }
}

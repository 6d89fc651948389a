import Basics
import GitBridge
import Pipeline
import Workspace
#if canImport(Glibc)
import Glibc
#endif

/// Queued experiments: each runs in its own temporary linked worktree at its queued commit, with the main cache
/// (no copy of the cache; the worktree's data is checked out from it), so several can run at once and the user's
/// work tree is never touched.
public enum ExperimentQueue {
    /// Runs one queued experiment to the end and records it as done or failed (replacing its queued commit).
    /// Throws only when it could not be run at all; a failing stage is a failed experiment, not an error.
    public static func run(_ name: String, cwd: String, options: ExperimentRunOptions) throws -> ExperimentRunResult {
        let (mainRoot, git, _, cwdInRepo) = try ExperimentRunner.openMain(cwd: cwd)
        let store = ExperimentStore(git: git)
        let experiment = try store.find(name)
        guard experiment.state == .queued || experiment.state == .failed else {
            throw CairnError("experiment \(experiment.name) is \(experiment.state.rawValue), not queued")
        }
        try store.markRunning(experiment.name)
        defer { store.clearRunning(experiment.name) }
        // Ctrl-C (or `kill`) must not leave a worktree behind or record a half-run as failed: it is remembered,
        // the stage commands get it and stop, the worktree is removed, and the experiment stays queued.
        ReproduceInterrupt.install()
        defer { ReproduceInterrupt.restore() }

        let worktree = try ReproduceWorktree.create(git: git, commit: experiment.sha, mainRoot: mainRoot, purpose: "exp")
        var cache: CacheLocation?
        defer {
            worktree.remove()
            cache?.unregister(worktree.path)
        }
        let root = worktree.path
        try {
            let repo = try CairnRepository.open(cwd: root, lockMode: .exclusive)
            cache = repo.cache
            // The baseline's data and outputs, from the cache: stages whose inputs did not change stay up to date.
            let available = try TargetResolver.trackedTargets([], cwd: root, root: root).filter {
                OutputStorer.isCached(type: $0.pointer.type, id: $0.pointer.id, repo: repo)
            }
            if !available.isEmpty { _ = try CheckoutOperation.run(repo: repo, targets: available, force: true) }
        }()
        let worktreeGit = try GitRepository.discover(startingAt: root)
        let stageCwd = FS.isDirectory(Paths.join(root, cwdInRepo)) ? Paths.join(root, cwdInRepo) : root
        var runOptions = options
        runOptions.targets = experiment.targets
        let result: ReproResult
        var failure: String?
        do {
            result = try ExperimentRunner.repro(root: root, gitDir: worktree.gitDir, cwd: stageCwd, options: runOptions)
            failure = Array(zip(result.failed, result.failureMessages)).first.map { "stage '\($0.0)': \($0.1)" }
        } catch let error as CairnError {
            result = ReproResult()
            failure = error.message
        }
        if ReproduceInterrupt.happened || result.failureMessages.contains(where: { $0.hasPrefix("command killed by signal \(SIGINT)") }) {
            throw CairnError("experiment \(experiment.name) interrupted; it is still queued")
        }
        let message = ExperimentMessage(name: experiment.name, baseline: experiment.baseline,
                                        state: failure == nil ? .done : .failed, setParams: experiment.setParams,
                                        targets: experiment.targets, failure: failure,
                                        environments: result.environments, createdNs: experiment.createdNs)
        let queuedChanges = try git.changedFiles(from: experiment.baseline, to: experiment.sha)
        let changes: [String: GitRepository.TreeChange]
        if failure == nil {
            changes = try ExperimentFiles.changes(root: root, git: worktreeGit, baseline: experiment.baseline,
                                                  graph: try? StageGraph.load(root: root), alsoChanged: queuedChanges)
        } else {
            // A failed experiment keeps its queued content, read from the queued commit: it can be run again as it was.
            var kept: [String: GitRepository.TreeChange] = [:]
            for path in queuedChanges {
                kept[path] = try git.readFile(at: experiment.sha, path: path).map { .write($0, executable: false) } ?? .remove
            }
            changes = kept
        }
        try store.save(message, changes: changes, replace: true)
        return ExperimentRunResult(experiment: try store.find(experiment.reference), repro: result)
    }
}

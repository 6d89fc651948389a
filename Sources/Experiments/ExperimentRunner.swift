import Basics
import GitBridge
import Pipeline
import Workspace

public struct ExperimentRunOptions: Sendable {
    public var targets: [String] = []
    /// `-S` arguments as typed.
    public var setParams: [String] = []
    public var name: String?
    public var jobs = Parallel.workers
    public var events: @Sendable (ReproEvent) -> Void = { _ in }
    public var outputLine: @Sendable (Bool, String) -> Void = { _, _ in }

    public init() {}
}

public struct ExperimentRunResult: Sendable {
    public var experiment: Experiment
    public var repro: ReproResult?
}

/// `cairn exp run`: in the work tree (as DVC), or as a queued commit run later in a temporary worktree.
///
/// In the work tree: the `-S` values are written into the params files, `repro` runs there (run-cache and all),
/// and the experiment commit is made from the result on refs/exps/…; HEAD, the index and the branch never move,
/// and the work tree keeps the experiment's params and outputs (`exp apply` of another experiment, or
/// `cairn checkout` after `git checkout -- params.yaml`, goes back).
public enum ExperimentRunner {
    public static func runInWorkspace(cwd: String, options: ExperimentRunOptions) throws -> ExperimentRunResult {
        let (root, git, baseline, cwdInRepo) = try openMain(cwd: cwd)
        let name = try chooseName(options.name, store: ExperimentStore(git: git))
        let overrides = try options.setParams.map { try ParamOverride.parse($0, cwdInRepo: cwdInRepo) }
        let edited = try ParamOverride.apply(overrides) { try readWorkTree(root, $0) }
        var originals: [String: [UInt8]] = [:]
        for (path, bytes) in edited.sorted(by: { $0.key < $1.key }) {
            originals[path] = try readWorkTree(root, path)
            try FS.writeAtomically(Paths.join(root, path), bytes)
        }
        let result: ReproResult
        do {
            result = try repro(root: root, gitDir: git.gitDir, cwd: cwd, options: options)
        } catch {
            // Nothing ran (a pipeline error, a missing dependency): the params go back to what they were.
            for (path, bytes) in originals { try? FS.writeAtomically(Paths.join(root, path), bytes) }
            throw error
        }
        if !result.failed.isEmpty {
            let first = Array(zip(result.failed, result.failureMessages)).first.map { "stage '\($0.0)': \($0.1)" } ?? ""
            throw CairnError("experiment \(name) failed (\(first)); nothing was recorded, the work tree keeps its"
                + " params and outputs")
        }
        let graph = try? StageGraph.load(root: root)
        let message = ExperimentMessage(name: name, baseline: baseline, state: .done,
                                        setParams: overrides.map(\.description), targets: options.targets,
                                        environments: result.environments, createdNs: FS.nowNs())
        let changes = try ExperimentFiles.changes(root: root, git: git, baseline: baseline, graph: graph)
        let store = ExperimentStore(git: git)
        try store.save(message, changes: changes, replace: false)
        return ExperimentRunResult(experiment: try store.find(ExperimentRefs.reference(baseline: baseline, name: name)),
                                   repro: result)
    }

    /// `exp run --queue`: the experiment is recorded as a commit on its baseline holding the work tree's changed
    /// tracked files with the `-S` values applied (as DVC's queue captures the work tree); nothing runs and the
    /// work tree is not touched.
    public static func queue(cwd: String, options: ExperimentRunOptions) throws -> Experiment {
        let (root, git, baseline, cwdInRepo) = try openMain(cwd: cwd)
        let store = ExperimentStore(git: git)
        let name = try chooseName(options.name, store: store)
        let overrides = try options.setParams.map { try ParamOverride.parse($0, cwdInRepo: cwdInRepo) }
        var changes = try ExperimentFiles.changes(root: root, git: git, baseline: baseline, graph: nil)
        let edited = try ParamOverride.apply(overrides) { path in
            if case .write(let bytes, _)? = changes[path] { return bytes }
            return try readWorkTree(root, path)
        }
        for (path, bytes) in edited { changes[path] = .write(bytes, executable: false) }
        let message = ExperimentMessage(name: name, baseline: baseline, state: .queued,
                                        setParams: overrides.map(\.description), targets: options.targets,
                                        createdNs: FS.nowNs())
        try store.save(message, changes: changes, replace: false)
        return try store.find(ExperimentRefs.reference(baseline: baseline, name: name))
    }

    static func repro(root: String, gitDir: String, cwd: String, options: ExperimentRunOptions) throws -> ReproResult {
        var repro = ReproOptions()
        repro.targets = options.targets
        repro.jobs = options.jobs
        repro.events = options.events
        repro.outputLine = options.outputLine
        return try ReproOperation.run(root: root, gitDir: gitDir, cwd: cwd, options: repro) {
            try CairnRepository.open(cwd: root, lockMode: .exclusive)
        }
    }

    /// The main work tree's root, Git, HEAD's commit (the baseline) and cwd relative to the root.
    static func openMain(cwd: String) throws -> (String, GitRepository, String, String) {
        let repo = try CairnRepository.open(cwd: cwd, lockMode: .shared)
        guard let head = try repo.git.head() else {
            throw CairnError("cairn exp run needs a commit to run from: commit the pipeline first (git commit)")
        }
        return (repo.root, repo.git, head.sha, Paths.relative(cwd, to: repo.root) ?? "")
    }

    static func chooseName(_ given: String?, store: ExperimentStore) throws -> String {
        if let given {
            try ExperimentRefs.validate(name: given)
            if try store.exists(given) {
                throw CairnError("an experiment named '\(given)' already exists (choose another -n NAME, or"
                    + " `cairn exp remove \(given)` first)")
            }
            return given
        }
        let taken = Set(try store.git.references(withPrefix: ExperimentRefs.prefix).compactMap {
            ExperimentRefs.parse($0.name)?.name
        })
        return ExperimentNames.generate(taken: taken)
    }

    static func readWorkTree(_ root: String, _ path: String) throws -> [UInt8]? {
        let absolute = Paths.join(root, path)
        guard let info = try FS.lstat(absolute) else { return nil }
        guard info.isRegular else { throw CairnError("\(path): not a regular file (a params file must be one)") }
        return try FS.readAll(absolute)
    }
}

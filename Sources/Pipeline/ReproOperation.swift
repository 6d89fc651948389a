import Basics
import Sync
import Workspace
#if canImport(Glibc)
import Glibc
#endif

/// What `cairn repro` reports as it goes (the command layer renders it; library code never prints).
public enum ReproEvent: Sendable {
    case running(stage: String, reasons: [StageChange])
    case command(stage: String, command: String)
    case upToDate(stage: String)
    case restored(stage: String, fromRunCache: Bool)
    case wouldRun(stage: String, lockPath: String, reasons: [StageChange], commands: [String])
    case frozen(stage: String, lockPath: String, reasons: [StageChange])
    /// Reported as it happens; the command repeats it in its final error line.
    case failed(stage: String, message: String)
    case skipped(stage: String, because: String)
    case lockWritten(stage: String, lockPath: String)
}

public struct ReproOptions: Sendable {
    public var targets: [String] = []
    public var force = false
    public var singleItem = false
    public var downstream = false
    public var allPipelines = false
    public var dry = false
    public var keepGoing = false
    public var pull = false
    public var noRunCache = false
    /// false: successful runs are not recorded in the run-cache (`cairn reproduce`: a re-run that diverged must not
    /// become the entry a later `repro` restores).
    public var recordRunCache = true
    public var jobs = Parallel.workers
    public var events: @Sendable (ReproEvent) -> Void = { _ in }
    /// Receives stage output lines when several stages may run at once (each line prefixed `[stage] `).
    public var outputLine: @Sendable (Bool, String) -> Void = { _, _ in }

    public init() {}
}

public struct ReproResult: Sendable {
    public var outcomes: [(stage: String, outcome: String)] = []
    public var ran: Int = 0
    public var restored: Int = 0
    public var failed: [String] = []
    /// Why each failed stage failed, in the order of `failed`.
    public var failureMessages: [String] = []
    public var skipped: [String] = []
    public var wouldRun: Int = 0
    /// The environment of each stage whose commands ran (RunEnvironment JSON), in the order they started.
    public var environments: [(stage: String, json: String)] = []
    /// Nothing ran, nothing was restored, nothing failed (and, for --dry, nothing would run).
    public init() {}

    public var upToDate: Bool { ran == 0 && restored == 0 && failed.isEmpty && wouldRun == 0 && skipped.isEmpty }
}

/// `cairn repro`: plans (graph, targets, validation, missing deps: all before anything is deleted), optionally
/// pulls, then runs the selected stages in topological order with up to `jobs` at once.
public enum ReproOperation {
    /// `open` opens the repository with the exclusive lock; it is called again whenever repro needs the
    /// repository after a command ran (see ReproSession). `cwd` is absolute; `gitDir` is the work tree's Git
    /// directory (`.git`, or the linked worktree's), where the one-repro-at-a-time lock lives: Git never shows it.
    public static func run(root: String, gitDir: String, cwd: String, options: ReproOptions,
                           open: @escaping () throws -> CairnRepository) throws -> ReproResult {
        let guardLock = try reproLock(root: root, gitDir: gitDir)
        defer { withExtendedLifetime(guardLock) {} }
        let session = ReproSession(open: open)
        defer { session.close() }
        let (graph, selection) = try session.with { repo, _ in try plan(repo: repo, cwd: cwd, options: options) }
        try session.with { repo, _ in
            // With --pull, a missing dep may be tracked data the pull brings: check after it.
            if options.pull && !options.dry { try ReproPull.pull(selection, graph: graph, repo: repo, locks: LockBook(root: root)) }
            try checkDependenciesExist(selection, graph: graph, repo: repo)
        }
        let jobs = max(1, options.jobs)
        let prefixed = jobs > 1 && !isChain(selection, graph: graph)
        let routing = StageOutputRouting(prefix: prefixed ? "" : nil, line: options.outputLine)
        let executor = StageExecutor(graph: graph, session: session, locks: LockBook(root: root), options: options,
                                     routing: routing, root: root)
        var result = ReproScheduler(graph: graph, selection: selection, jobs: jobs, keepGoing: options.keepGoing,
                                    dry: options.dry, events: options.events).run(executor)
        result.environments = session.environments.snapshot
        return result
    }

    /// One repro at a time per repository: repro lets go of the repository lock while commands run, so without this
    /// a second repro could start the same stages and both would write the same outputs and lock entries. A second
    /// repro waits (as any cairn waits for the repository lock); a repro started by a stage command of a repro in
    /// the same repository would wait for itself, so it is refused at once.
    static func reproLock(root: String, gitDir: String) throws -> FileLock {
        if let outer = getenv("CAIRN_ROOT").map({ String(cString: $0) }), outer == root {
            let stage = getenv("CAIRN_STAGE").map { String(cString: $0) } ?? "?"
            throw CairnError("cairn repro cannot run inside stage '\(stage)' of a cairn repro of the same repository")
        }
        return try FileLock(path: Paths.join(gitDir, "cairn-repro.lock"), mode: .exclusive,
                            onWait: { _ in Diagnostics.notice("waiting for another cairn repro in this repository to finish...") })
    }

    /// The graph of every pipeline in the work tree and the stages to consider, in topological order. Refuses
    /// cycles, duplicate or overlapping outputs, outputs inside pointer-tracked data and escaping paths (parsing
    /// and StageGraph do) before anything is touched.
    static func plan(repo: CairnRepository, cwd: String, options: ReproOptions) throws -> (StageGraph, [StageID]) {
        let graph = try loadGraph(repo: repo)
        let relativeCwd = Paths.relative(cwd, to: repo.root) ?? ""
        var targets = options.allPipelines ? [] : options.targets
        if targets.isEmpty && !options.allPipelines {
            // As `dvc repro` takes ./dvc.yaml: the cairn.yaml in the current directory, or every pipeline.
            let here = Paths.join(relativeCwd, PipelineParser.fileName)
            if FS.exists(repo.absolute(here)) { targets = [PipelineParser.fileName] }   // resolve() reads it from cwd
        }
        let ids = targets.isEmpty ? [] : try graph.resolve(targets: targets, cwd: relativeCwd)
        if graph.order.isEmpty {
            throw CairnError("no pipeline stages: no \(PipelineParser.fileName) in this repository defines a stage (see docs/pipelines.md)")
        }
        return (graph, graph.selection(of: ids, singleItem: options.singleItem, downstream: options.downstream))
    }

    /// Deps that exist nowhere and that no stage makes are refused before any output is deleted (DVC deletes
    /// outputs first, then fails on the missing dep).
    static func checkDependenciesExist(_ selection: [StageID], graph: StageGraph, repo: CairnRepository) throws {
        let missing = graph.missingDependencies(of: selection) { (try? FS.lstat(repo.absolute($0))) != nil }
        if !missing.isEmpty {
            let lines = missing.map { "    \($0.path) (dependency of stage \($0.stage.display))" }
            throw CairnError("\(missing.count == 1 ? "a dependency does" : "\(missing.count) dependencies do") not exist and no stage"
                + " produces \(missing.count == 1 ? "it" : "them"); nothing was run:\n" + lines.joined(separator: "\n"))
        }
    }

    /// Every pipeline in the work tree as one validated graph.
    public static func loadGraph(repo: CairnRepository) throws -> StageGraph { try StageGraph.load(root: repo.root) }

    /// True when no two stages of the selection can ever run at the same time (each depends on the one before):
    /// then output needs no prefix even with -j.
    static func isChain(_ selection: [StageID], graph: StageGraph) -> Bool {
        for (previous, next) in zip(selection, selection.dropFirst()) where !graph.dependencies(of: next).contains(previous) {
            return false
        }
        return true
    }
}

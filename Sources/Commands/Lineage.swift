import ArgumentParser
import Basics
import Lineage
import Pipeline
import Workspace

struct LineageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lineage",
        abstract: "Show where a version of tracked data came from (or, with --downstream, what came from it).",
        discussion: "For a pipeline output, shows the run that made it (stage, command, commit, inputs with their "
            + "versions), recursively with --depth; with --downstream, every output ever derived from the version on "
            + "any branch. `cairn lineage rebuild` reconstructs .cairn/lineage.db (versions and runs) from Git history.",
        subcommands: [LineageShow.self, LineageRebuild.self], defaultSubcommand: LineageShow.self)
}

struct LineageShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show",
        abstract: "The provenance of the version of PATH in the work tree (or at --rev), or of a pipeline output.")

    @Argument(help: "A tracked file or directory, or a pipeline output or input.")
    var path: String

    @Option(help: "Take the version of PATH at this commit instead of the work tree's pointer.")
    var rev: String?

    @Flag(help: "List what was derived from the version instead of what it came from.")
    var downstream = false

    @Option(help: "How many runs to follow (default: 1 upstream, all downstream).")
    var depth: Int?

    @Flag(help: "Print machine-readable JSON (full 40-hex commit shas).")
    var json = false

    @Flag(help: "Print the graph in Graphviz DOT (`| dot -Tsvg`).")
    var dot = false

    func validate() throws {
        if json && dot { throw ValidationError("--json and --dot are exclusive") }
        if let depth, depth < 1 { throw ValidationError("--depth must be at least 1") }
    }

    func run() throws {
        let context = CommandContext()
        let repo = try CairnRepository.open(cwd: context.cwd, lockMode: .shared)
        ExperimentLabels.load(git: repo.git)
        let rel = TargetResolver.dataPath(forArgument: try TargetResolver.relativePath(path, cwd: context.cwd,
                                                                                        root: repo.root))
        // Tracked data (pointers and lock outputs) first: its versions, commits and replacements; then runs.
        var tracked: LineageQuery.Report?
        var key: VersionKey?
        do {
            tracked = try LineageQuery.run(repo: repo, argument: path, revision: rev, downstream: downstream,
                                           cwd: context.cwd)
            key = tracked.flatMap { report in
                ObjectID(prefixed: report.version.id).map { VersionKey(path: report.version.path, objectID: $0) }
            }
        } catch let error as CairnError {
            // A lock output the tracked view does not resolve, or a plain file a stage read (a script, a file
            // committed to Git): runs still tell its story.
            guard let found = try RunLineageTarget.lockOutput(repo: repo, rel: rel, revision: rev)
                ?? RunLineageTarget.file(repo: repo, rel: rel, revision: rev) else { throw error }
            key = found.key
        }
        let store = try LineageIndexer.upToDate(repo: repo)
        if let key, try tracked == nil || hasRuns(key, store: store) {
            let runs = try RunLineageQuery.run(store: store, key: key, downstream: downstream,
                                               depth: depth ?? (downstream ? nil : 1))
            if json { Terminal.stdout(try JSONOutput.encode(LineageRunsDisplay.JSON(tracked: tracked, runs: runs))) }
            else if dot { Terminal.stdout(LineageRunsDisplay.dot(runs, tracked: tracked)) }
            else {
                LineageRunsDisplay.text(runs).forEach { Terminal.stdout($0) }
                // What the run view leaves out: the versions this one replaced (or that replaced it).
                for edge in tracked?.edges ?? [] where edge.relation == "replaces" { printEdge(edge) }
            }
            return
        }
        guard let report = tracked else { return }
        if dot {
            Terminal.stdout(LineageRunsDisplay.dot(RunLineageQuery.Report(
                version: .init(path: report.version.path, id: report.version.id), direction: report.direction,
                versions: [], runs: []), tracked: report))
            return
        }
        if json {
            Terminal.stdout(try JSONOutput.encode(report))
            return
        }
        Terminal.stdout("\(report.version.path) \(HistoryDisplay.shortID(report.version.id)) "
            + "(\(HistoryDisplay.size(report.version.size)))")
        Terminal.stdout("    " + origin(report.version))
        if report.edges.isEmpty {
            Terminal.stdout(downstream ? "nothing replaced or was derived from this version"
                                       : "no earlier version: this is the first")
            return
        }
        Terminal.stdout(downstream ? "downstream:" : "upstream:")
        for edge in report.edges { printEdge(edge) }
    }

    private func printEdge(_ edge: LineageQuery.Edge) {
        let other = downstream ? edge.to : edge.from
        let verb: String
        switch (edge.relation, downstream) {
        case ("replaces", false): verb = "replaced"
        case ("replaces", true): verb = "replaced by"
        case (_, false): verb = "derived from"
        default: verb = "used to derive"
        }
        let run = edge.runID.map { " (run \($0))" } ?? ""
        Terminal.stdout("  \(verb)\(run) \(other.path) \(HistoryDisplay.shortID(other.id))"
            + " (\(HistoryDisplay.size(other.size))): \(origin(other))")
    }

    /// Whether a successful run read (downstream) or wrote (upstream) this version: then the run view says more.
    private func hasRuns(_ key: VersionKey, store: LineageStore) throws -> Bool {
        let runs = downstream ? try store.runs(consuming: key) : try store.runs(producing: key)
        return runs.contains { $0.status == .succeeded }
    }

    private func origin(_ version: LineageQuery.Version) -> String {
        if version.pending { return "added, not committed yet" }
        guard let commit = version.commit else { return "not in any indexed commit" }
        return "\(HistoryDisplay.shortSha(commit)) \(HistoryDisplay.date(version.time, offsetMinutes: version.timeOffsetMinutes))"
            + " \(version.author ?? "-"): \(version.subject ?? "")"
    }
}

struct LineageRebuild: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rebuild",
        abstract: "Reconstruct .cairn/lineage.db from Git history (pending versions and recorded runs are kept).")

    func run() throws {
        let repo = try CairnRepository.open(cwd: CommandContext().cwd, lockMode: .exclusive)
        let store = try LineageIndexer.openStore(repo: repo)
        let count = try LineageIndexer(repo: repo, store: store).rebuild()
        let counts = try store.counts()
        Terminal.stdout("indexed \(Display.count(count, "commit")): \(Display.count(counts.versions, "version"))"
            + (counts.pendingVersions > 0 ? " (\(counts.pendingVersions) pending)" : "")
            + (counts.runs > 0 ? ", \(Display.count(counts.runs, "run"))" : ""))
    }
}

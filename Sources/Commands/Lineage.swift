import ArgumentParser
import Basics
import Workspace

struct LineageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lineage",
        abstract: "Show where a version of tracked data came from (or, with --downstream, what came from it).",
        discussion: "`cairn lineage rebuild` reconstructs .cairn/lineage.db from Git history alone.",
        subcommands: [LineageShow.self, LineageRebuild.self], defaultSubcommand: LineageShow.self)
}

struct LineageShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show",
        abstract: "The provenance of the version of PATH in the work tree (or at --rev).")

    @Argument(help: "A tracked file or directory.")
    var path: String

    @Option(help: "Take the version of PATH at this commit instead of the work tree's pointer.")
    var rev: String?

    @Flag(help: "List what was derived from the version instead of what it came from.")
    var downstream = false

    @Flag(help: "Print machine-readable JSON (full 40-hex commit shas).")
    var json = false

    func run() throws {
        let context = CommandContext()
        let repo = try CairnRepository.open(cwd: context.cwd, lockMode: .shared)
        let report = try LineageQuery.run(repo: repo, argument: path, revision: rev, downstream: downstream,
                                          cwd: context.cwd)
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
        for edge in report.edges {
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
        abstract: "Reconstruct .cairn/lineage.db from Git history (pending versions are kept).")

    func run() throws {
        let repo = try CairnRepository.open(cwd: CommandContext().cwd, lockMode: .exclusive)
        let store = try LineageIndexer.openStore(repo: repo)
        let count = try LineageIndexer(repo: repo, store: store).rebuild()
        let counts = try store.counts()
        Terminal.stdout("indexed \(Display.count(count, "commit")): \(Display.count(counts.versions, "version"))"
            + (counts.pendingVersions > 0 ? " (\(counts.pendingVersions) pending)" : ""))
    }
}

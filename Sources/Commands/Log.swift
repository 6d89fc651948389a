import ArgumentParser
import Basics
import Workspace

struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List every version of tracked data in the history of HEAD.",
        discussion: "PATH is a tracked file or directory, or a file inside a tracked directory (then the commits "
            + "in which that file changed are listed; this needs the directory's trees in the local cache).")

    @Argument(help: "A tracked file or directory, or a file inside a tracked directory.")
    var path: String

    @Flag(help: "Print machine-readable JSON (full 40-hex commit shas).")
    var json = false

    func run() throws {
        let context = CommandContext()
        let repo = try CairnRepository.open(cwd: context.cwd, lockMode: .shared)
        let report = try LogOperation.run(repo: repo, argument: path, cwd: context.cwd)
        if json {
            Terminal.stdout(try JSONOutput.encode(report))
            return
        }
        for entry in report.entries {
            let size = entry.change == "removed" ? "removed" : HistoryDisplay.size(entry.size)
            let delta = HistoryDisplay.change(entry.sizeChange)
            let columns = [HistoryDisplay.shortSha(entry.commit),
                           HistoryDisplay.date(entry.time, offsetMinutes: entry.timeOffsetMinutes),
                           entry.author ?? "-", HistoryDisplay.shortID(entry.id),
                           delta.isEmpty ? size : "\(size) (\(delta))", entry.subject ?? "(not committed yet)"]
            Terminal.stdout(columns.joined(separator: "  "))
        }
        for sha in report.treesNotInCache {
            Terminal.stdout("note: the tree of \(Display.relative(report.trackedPath, repo: repo, cwd: context.cwd)) at \(HistoryDisplay.shortSha(sha == "pending" ? nil : sha))"
                + " is not in the cache; changes to \(Display.relative(report.path, repo: repo, cwd: context.cwd)) there are unknown")
        }
        if report.entries.isEmpty && report.treesNotInCache.isEmpty {
            Terminal.stdout("no versions of \(Display.relative(report.path, repo: repo, cwd: context.cwd)) in the history of HEAD")
        }
    }
}

import ArgumentParser
import Basics
import Workspace

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show tracked data added, removed or modified between two commits, or a commit and the work tree.",
        discussion: "No revision: HEAD against the pointer files in the work tree. One: that commit against the "
            + "work tree. Two: the first against the second. Leading arguments that name a commit (and no file) "
            + "are revisions; the rest are paths. Inside tracked directories each changed file is listed when "
            + "both trees are in the local cache.")

    @Argument(help: "[REV_A [REV_B]] [PATH...]")
    var items: [String] = []

    @Flag(help: "Print machine-readable JSON (full 40-hex commit shas).")
    var json = false

    func run() throws {
        let context = CommandContext()
        let repo = try CairnRepository.open(cwd: context.cwd, lockMode: .shared)
        let (revisions, paths) = DiffOperation.split(items, repo: repo, cwd: context.cwd)
        let report = try DiffOperation.run(repo: repo, revisions: revisions, arguments: paths, cwd: context.cwd)
        if json {
            Terminal.stdout(try JSONOutput.encode(report))
            return
        }
        for entry in report.entries {
            let label = entry.change.padding(toLength: 9, withPad: " ", startingAt: 0)
            Terminal.stdout("\(label) \(Display.relative(entry.path, repo: repo, cwd: context.cwd))  \(HistoryDisplay.sizes(old: entry.oldSize, new: entry.newSize))")
            for file in entry.files ?? [] {
                let fileLabel = file.change.padding(toLength: 9, withPad: " ", startingAt: 0)
                Terminal.stdout("    \(fileLabel) \(Display.relative(file.path, repo: repo, cwd: context.cwd))  \(HistoryDisplay.sizes(old: file.oldSize, new: file.newSize))")
            }
            if let note = entry.note { Terminal.stdout("    (\(note))") }
        }
        let summary = report.summary
        let target = report.to.map { String($0.prefix(7)) } ?? "work tree"
        Terminal.stdout("\(summary.added + summary.removed + summary.modified) changed between "
            + "\(report.from.prefix(7)) and \(target): \(summary.added) added, \(summary.removed) removed, "
            + "\(summary.modified) modified")
    }
}

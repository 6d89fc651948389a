import ArgumentParser
import Basics
import Workspace

struct GC: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Delete objects that no pointer in the kept scope references.",
        discussion: "The pointers in the work tree are always kept (--workspace, the default). The other scopes "
            + "add the pointers found in commits and can be combined.")

    @Flag(help: "Keep what the work tree's pointers reference (always on; the default scope).")
    var workspace = false

    @Flag(help: "Also keep what the tip of every local branch references.")
    var allBranches = false

    @Flag(help: "Also keep what every tag references.")
    var allTags = false

    @Flag(help: "Also keep what any commit reachable from a ref (or HEAD) references.")
    var allCommits = false

    @Option(name: .customLong("rev"), parsing: .upToNextOption, help: "Also keep what these commits reference.")
    var revisions: [String] = []

    @Flag(help: "Only report what would be removed.")
    var dryRun = false

    func run() throws {
        let repo = try CairnRepository.open(cwd: CommandContext().cwd, lockMode: .exclusive)
        let scope = GarbageCollector.Scope(allBranches: allBranches, allTags: allTags, allCommits: allCommits,
                                           revisions: revisions)
        let report = try GarbageCollector.run(repo: repo, scope: scope, dryRun: dryRun)
        let verb = dryRun ? "would remove" : "removed"
        Terminal.stdout("\(verb) \(Display.count(report.removedObjects, "object")), \(Progress.human(Int64(report.removedBytes)))")
    }
}

import ArgumentParser
import Basics
import Workspace

struct GC: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Delete objects that no pointer (nor cairn.lock output) in the kept scope references.",
        discussion: "The pointers in the work tree are always kept (--workspace, the default). The other scopes "
            + "add the pointers found in commits and can be combined. Experiments (refs/exps/, `cairn exp`) are kept "
            + "by default: --no-all-experiments lets gc delete the data only experiments reference.")

    @Flag(help: "Keep what the work tree's pointers reference (always on; the default scope).")
    var workspace = false

    @OptionGroup var scopeOptions: ScopeOptions

    @Flag(inversion: .prefixedNo, help: "Keep what experiment commits reference (the default).")
    var allExperiments = true

    @Flag(help: "Only report what would be removed.")
    var dryRun = false

    func run() throws {
        let repo = try CairnRepository.open(cwd: CommandContext().cwd, lockMode: .exclusive)
        var scope = scopeOptions.scope
        scope.allExperiments = allExperiments
        let report = try GarbageCollector.run(repo: repo, scope: scope, dryRun: dryRun)
        let verb = dryRun ? "would remove" : "removed"
        Terminal.stdout("\(verb) \(Display.count(report.removedObjects, "object")), \(Progress.human(Int64(report.removedBytes)))")
    }
}

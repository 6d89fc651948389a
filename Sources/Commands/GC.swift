import ArgumentParser
import Basics
import Workspace

struct GC: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Delete objects that no pointer in the work tree references.")

    @Flag(help: "Only report what would be removed.")
    var dryRun = false

    func run() throws {
        let repo = try CairnRepository.open(cwd: CommandContext().cwd, lockMode: .exclusive)
        let report = try GarbageCollector.run(repo: repo, dryRun: dryRun)
        let verb = dryRun ? "would remove" : "removed"
        Terminal.stdout("\(verb) \(report.removedObjects) objects, \(Progress.human(Int64(report.removedBytes)))")
    }
}

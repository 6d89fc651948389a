import ArgumentParser
import Basics
import Workspace

struct Move: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mv",
        abstract: "Move or rename tracked data together with its pointer file and .gitignore entry.",
        discussion: "DST may be an existing directory to move into. Also finishes a move begun with "
            + "`git mv SRC.cairn DST.cairn`. Nothing is staged in Git: the commands to do so are printed.")

    @Argument(help: "Tracked data to move (the data path or its .cairn pointer path).")
    var source: String

    @Argument(help: "The new path, or an existing directory to move into.")
    var destination: String

    @Flag(name: .shortAndLong, help: "Replace data (and its pointer) that already exists at DST.")
    var force = false

    func run() throws {
        let context = CommandContext()
        let repo = try CairnRepository.open(cwd: context.cwd, lockMode: .exclusive)
        let result = try MoveOperation.run(repo: repo, source: source, destination: destination, cwd: context.cwd,
                                           force: force)
        let shown = { (path: String) in Display.relative(path, repo: repo, cwd: context.cwd) }
        if result.movedData {
            Terminal.stdout("moved \(shown(result.source)) to \(shown(result.destination))")
        } else {
            Terminal.stdout("moved the pointer of \(shown(result.source)) to \(shown(result.destination))"
                + " (no data at \(shown(result.source)); cairn checkout \(Display.shellQuoted(shown(result.destination)))"
                + " writes it from the cache)")
        }
        func list(_ paths: [String]) -> String { paths.map { Display.shellQuoted(shown($0)) }.joined(separator: " ") }
        var lines = ["", "To record this in git, run:", "", "\tgit add \(list(result.toAdd))"]
        if !result.toRemove.isEmpty { lines.append("\tgit rm --cached \(list(result.toRemove))") }
        Terminal.stdout(lines.joined(separator: "\n"))
    }
}

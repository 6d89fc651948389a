import ArgumentParser
import Basics
import Workspace

struct Remove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Stop tracking data: delete its pointer file and .gitignore entry; the data stays on disk.")

    @Argument(help: "Tracked data (the data path or its .cairn pointer path).")
    var paths: [String]

    func run() throws {
        let context = CommandContext()
        let repo = try CairnRepository.open(cwd: context.cwd, lockMode: .exclusive)
        let results = try RemoveOperation.run(repo: repo, arguments: paths, cwd: context.cwd)
        var removed: [String] = [], added: [String] = []
        for result in results {
            Terminal.stdout("stopped tracking \(result.dataPath) (the data stays on disk)")
            removed.append(result.pointerPath)
            if let ignore = result.gitignore {
                if ignore.deleted { if !removed.contains(ignore.path) { removed.append(ignore.path) } }
                else if !added.contains(ignore.path) { added.append(ignore.path) }
            }
        }
        func shown(_ paths: [String]) -> String {
            paths.map { Display.shellQuoted(Display.relative($0, repo: repo, cwd: context.cwd)) }.joined(separator: " ")
        }
        var lines = ["", "To record this in git, run:", "", "\tgit rm --cached \(shown(removed))"]
        if !added.isEmpty { lines.append("\tgit add \(shown(added))") }
        Terminal.stdout(lines.joined(separator: "\n"))
    }
}

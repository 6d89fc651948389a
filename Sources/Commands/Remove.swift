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
        for result in results {
            Terminal.stdout("stopped tracking \(Display.relative(result.dataPath, repo: repo, cwd: context.cwd))"
                + " (the data stays on disk)")
        }
        let git = try RemoveOperation.gitChanges(results, repo: repo)
        func shown(_ paths: [String]) -> String {
            paths.map { Display.shellQuoted(Display.relative($0, repo: repo, cwd: context.cwd)) }.joined(separator: " ")
        }
        var commands: [String] = []
        if !git.remove.isEmpty { commands.append("\tgit rm --cached \(shown(git.remove))") }
        if !git.add.isEmpty { commands.append("\tgit add \(shown(git.add))") }
        if commands.isEmpty {
            Terminal.stdout("\nNothing to record in git: the pointer was never added to git.")
        } else {
            Terminal.stdout((["", "To record this in git, run:", ""] + commands).joined(separator: "\n"))
        }
    }
}

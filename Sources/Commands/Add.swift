import ArgumentParser
import Basics
import Workspace

extension PointerFile.Kind: ExpressibleByArgument {}

struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Store files or directories and write their .cairn pointer files.",
        discussion: "The data goes to cairn's store; commit the pointer files and .gitignore changes to Git.")

    @Argument(help: "Files or directories to track (the data path or its .cairn pointer path).")
    var paths: [String]

    @Option(help: "What the data is: dataset, feature or model.")
    var kind: PointerFile.Kind?

    @Option(help: "A description recorded in the pointer file.")
    var desc: String?

    func run() throws {
        let context = CommandContext()
        let repo = try CairnRepository.open(cwd: context.cwd, lockMode: .exclusive)
        let results = try AddOperation.run(repo: repo, arguments: paths, cwd: context.cwd, kind: kind, desc: desc)
        var toStage: [String] = []
        for result in results {
            let verb = result.changed ? "added" : "unchanged"
            Terminal.stdout("\(verb) \(Display.relative(result.dataPath, repo: repo, cwd: context.cwd)) (\(Progress.human(Int64(result.size))))")
            toStage.append(result.pointerPath)
            if let ignore = result.gitignore, !toStage.contains(ignore) { toStage.append(ignore) }
        }
        let relative = toStage.map { Display.relative($0, repo: repo, cwd: context.cwd) }
        Terminal.stdout("\nTo track the changes with git, run:\n\n\tgit add \(relative.map(Display.shellQuoted).joined(separator: " "))")
    }
}

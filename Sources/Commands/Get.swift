import ArgumentParser
import Basics
import Workspace

struct Get: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write tracked data as it was at a commit to another place, without touching the work tree.",
        discussion: "PATH is a tracked file or directory (or a file inside a tracked directory) as it was at "
            + "--rev (default HEAD). OUT (default: the name of PATH, in the current directory) must not exist yet, "
            + "unless --force replaces a file there.")

    @Argument(help: "Tracked data, named as in the repository.")
    var path: String

    @Option(help: "The commit, branch or tag to take the data from.")
    var rev: String = "HEAD"

    @Option(name: .shortAndLong, help: "Where to write it (default: its name in the current directory; must not exist).")
    var output: String?

    @Flag(name: .shortAndLong, help: "Replace a file that already exists at the output path.")
    var force = false

    func run() throws {
        let context = CommandContext()
        let repo = try CairnRepository.open(cwd: context.cwd, lockMode: .shared)
        let written = try RevisionCheckout.get(repo: repo, revision: rev, argument: path, output: output,
                                               cwd: context.cwd, force: force)
        let shown = output ?? Paths.relative(written.path, to: context.cwd) ?? written.path
        Terminal.stdout("wrote \(shown) (\(written.files) \(written.files == 1 ? "file" : "files"), "
            + "\(Progress.human(Int64(written.bytes))))")
    }
}

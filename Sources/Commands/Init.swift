import ArgumentParser
import Basics
import Workspace

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create .cairn/ in the current Git work tree.",
        discussion: "Safe to run again: an existing repository is left as it is.")

    func run() throws {
        switch try RepositoryInit.run(cwd: CommandContext().cwd) {
        case .created(let path): Terminal.stdout("Initialized cairn repository in \(path)")
        case .alreadyInitialized(let path): Terminal.stdout("cairn repository already initialized in \(path)")
        }
    }
}

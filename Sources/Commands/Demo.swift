import ArgumentParser
import Basics
import Workspace
#if canImport(Glibc)
import Glibc
#endif

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run cairn end to end on an embedded sample in a new Git repository.")

    @Option(help: "Directory for the demo repository (default: a new temporary directory).")
    var dir: String?

    func run() throws {
        let directory: String
        if let dir {
            directory = Paths.absolute(dir, cwd: FS.currentDirectory())
        } else {
            var template = Array("/tmp/cairn-demo-XXXXXX".utf8CString)
            guard let made = mkdtemp(&template) else { throw CairnError("cannot create a temporary directory") }
            directory = String(cString: made)
        }
        try DemoScenario.run(directory: directory) { Terminal.stdout($0) }
        Terminal.stdout("\nDemo finished: the repository is in \(directory)")
    }
}

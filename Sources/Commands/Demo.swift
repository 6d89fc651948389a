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
        let remoteFolder: String
        if let dir {
            directory = Paths.absolute(dir, cwd: FS.currentDirectory())
            remoteFolder = directory + "-remote"
        } else {
            // One temporary folder holds both the repository and the folder remote it pushes to.
            var template = Array("/tmp/cairn-demo-XXXXXX".utf8CString)
            guard let made = mkdtemp(&template) else { throw CairnError("cannot create a temporary directory") }
            directory = Paths.join(String(cString: made), "repo")
            remoteFolder = Paths.join(String(cString: made), "remote")
        }
        try DemoScenario.run(directory: directory, remoteFolder: remoteFolder) { Terminal.stdout($0) }
        try DemoPipeline.run(directory: directory) { Terminal.stdout($0) }
        try DemoExperiments.run(directory: directory) { Terminal.stdout($0) }
        Terminal.stdout("\nDemo finished: the repository is in \(directory), its remote in \(remoteFolder)")
    }
}

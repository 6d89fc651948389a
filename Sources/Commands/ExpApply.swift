import ArgumentParser
import Basics
import Experiments

struct ExpApply: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Bring an experiment's params, cairn.lock, metrics and outputs into the work tree.",
        discussion: "HEAD and the branch do not move: commit the result to keep it. Files with uncommitted changes "
            + "are not overwritten unless --force.")

    @Argument(help: "The experiment.") var name: String
    @Flag(help: "Overwrite uncommitted changes to the experiment's files and outputs.") var force = false

    func run() throws {
        let result = try ExperimentApply.run(name: name, cwd: CommandContext().cwd, force: force)
        let written = result.checkout?.filesWritten ?? 0
        Terminal.stdout("Applied experiment \(result.experiment.name): \(Display.count(result.filesWritten.count, "file"))"
            + " updated, \(Display.count(written, "output file")) checked out.")
        if !result.missingData.isEmpty {
            Terminal.stderr("cairn: warning: not in the cache, so not checked out: " + result.missingData.joined(separator: ", ")
                + " (`cairn pull` fetches them)")
        }
        Terminal.stdout("To keep it: git add the changed files and commit (`git status` lists them).")
    }
}

struct ExpPush: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Push experiments to a Git remote, and their data to the cairn remote.")

    @Argument(help: "The Git remote (e.g. origin).") var gitRemote: String
    @Argument(help: "Experiments to push.") var names: [String] = []
    @Flag(name: [.customShort("A"), .customLong("all")], help: "Push every experiment.") var all = false
    @Option(name: [.customShort("r"), .customLong("remote")], help: "The cairn remote for the data (default: the default remote).")
    var remote: String?
    @Flag(help: "Push only the Git refs, not the data.") var noData = false

    func validate() throws {
        if names.isEmpty && !all { throw ValidationError("name experiments to push, or give --all") }
    }

    func run() throws {
        let result = try ExperimentTransfer.push(gitRemote: gitRemote, names: names, all: all, cairnRemote: remote,
                                                 data: !noData, cwd: CommandContext().cwd)
        if !result.missing.isEmpty {
            Terminal.stderr("cairn: warning: data neither in the cache nor on the remote: " + result.missing.joined(separator: ", "))
        }
        Terminal.stdout(result.experiments.isEmpty ? "No experiments to push."
            : "Pushed \(Display.count(result.experiments.count, "experiment")) to \(gitRemote) (\(result.experiments.joined(separator: ", ")));"
              + " \(Display.count(result.objects, "object")) sent to the cairn remote.")
    }
}

struct ExpPull: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Fetch experiments from a Git remote, and their data from the cairn remote into the cache.")

    @Argument(help: "The Git remote (e.g. origin).") var gitRemote: String
    @Argument(help: "Experiments to pull.") var names: [String] = []
    @Flag(name: [.customShort("A"), .customLong("all")], help: "Pull every experiment the remote has.") var all = false
    @Option(name: [.customShort("r"), .customLong("remote")], help: "The cairn remote for the data (default: the default remote).")
    var remote: String?
    @Flag(help: "Fetch only the Git refs, not the data.") var noData = false

    func validate() throws {
        if names.isEmpty && !all { throw ValidationError("name experiments to pull, or give --all") }
    }

    func run() throws {
        let result = try ExperimentTransfer.pull(gitRemote: gitRemote, names: names, all: all, cairnRemote: remote,
                                                 data: !noData, cwd: CommandContext().cwd)
        if !result.missing.isEmpty {
            Terminal.stderr("cairn: warning: data neither in the cache nor on the remote: " + result.missing.joined(separator: ", "))
        }
        Terminal.stdout(result.experiments.isEmpty ? "No experiments to pull."
            : "Pulled \(Display.count(result.experiments.count, "experiment")) from \(gitRemote) (\(result.experiments.joined(separator: ", ")));"
              + " \(Display.count(result.objects, "object")) fetched into the cache.")
    }
}

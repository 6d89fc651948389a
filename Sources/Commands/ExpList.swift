import ArgumentParser
import Basics
import Experiments
import GitBridge
import Workspace

/// What the experiment commands share: the store of the repository around cwd.
enum ExperimentCommandSupport {
    static func store(cwd: String) throws -> ExperimentStore {
        let repo = try CairnRepository.open(cwd: cwd, lockMode: .shared)
        return ExperimentStore(git: repo.git)
    }

    /// The experiments `names` name, each once, in the order given; an unknown name is an error before anything
    /// is done.
    static func find(_ names: [String], in store: ExperimentStore) throws -> [Experiment] {
        var found: [Experiment] = []
        for name in names {
            let experiment = try store.find(name)
            if !found.contains(where: { $0.reference == experiment.reference }) { found.append(experiment) }
        }
        return found
    }
}

struct ExpList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List experiments by baseline commit (default: those of HEAD).")

    @Flag(name: [.customShort("A"), .customLong("all")], help: "Experiments of every baseline.")
    var all = false

    @Flag(help: "Print only the names, one per line.")
    var nameOnly = false

    @Flag(help: "Print JSON: [{name, baseline, commit, state, created, params}].")
    var json = false

    func run() throws {
        let store = try ExperimentCommandSupport.store(cwd: CommandContext().cwd)
        let head = try store.git.head()?.sha
        let experiments = try store.list().filter { all || $0.baseline == head }
        if json {
            struct Row: Encodable { let name, baseline, commit, state: String; let created: Int64; let params: [String]; let reference: String }
            Terminal.stdout(try JSONOutput.encode(experiments.map {
                Row(name: $0.name, baseline: $0.baseline, commit: $0.sha, state: $0.state.rawValue, created: $0.created,
                    params: $0.setParams, reference: $0.reference)
            }))
            return
        }
        if nameOnly {
            for experiment in experiments { Terminal.stdout(experiment.name) }
            return
        }
        let branches = try store.git.branches()
        var baselines: [String] = []
        for experiment in experiments where !baselines.contains(experiment.baseline) { baselines.append(experiment.baseline) }
        for baseline in baselines {
            let names = branches.filter { $0.sha == baseline }.map(\.name)
            Terminal.stdout("\(baseline.prefix(7))" + (names.isEmpty ? "" : " [\(names.joined(separator: ", "))]") + ":")
            for experiment in experiments where experiment.baseline == baseline {
                let params = experiment.setParams.isEmpty ? "" : "  " + experiment.setParams.joined(separator: " ")
                Terminal.stdout("    \(experiment.name)  \(experiment.state.rawValue)\(params)")
            }
        }
    }
}

struct ExpBranch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "branch",
        abstract: "Make a Git branch of an experiment (its commit, on top of its baseline).")

    @Argument(help: "The experiment.") var experiment: String
    @Argument(help: "The new branch's name.") var branch: String

    func run() throws {
        let store = try ExperimentCommandSupport.store(cwd: CommandContext().cwd)
        let found = try store.find(experiment)
        guard found.state == .done else {
            throw CairnError("experiment \(found.name) is \(found.state.rawValue): only a finished experiment can become a branch")
        }
        let reference = "refs/heads/" + branch
        guard GitRepository.isValidReferenceName(reference), !branch.hasPrefix("-") else {
            throw CairnError("'\(branch)' is not a valid branch name")
        }
        do {
            try store.git.setReference(reference, to: found.sha, force: false, logMessage: "cairn exp branch \(found.name)")
        } catch let error as CairnError where error.message.hasSuffix("already exists") {
            throw CairnError("a branch named '\(branch)' already exists; choose another name")
        }
        Terminal.stdout("Branch \(branch) now points at experiment \(found.name) (\(found.sha.prefix(7))). Switch to it"
            + " with `git checkout \(branch)` and `cairn checkout`.")
    }
}

struct ExpRemove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove experiments (their refs; their data stays in the cache until `cairn gc --no-all-experiments`).")

    @Argument(help: "Experiments to remove.") var names: [String] = []
    @Flag(name: [.customShort("A"), .customLong("all")], help: "Remove every experiment.") var all = false
    @Flag(help: "Remove the queued experiments (not yet run).") var queued = false

    func validate() throws {
        if names.isEmpty && !all && !queued { throw ValidationError("name experiments to remove, or give --all or --queued") }
        if !names.isEmpty && (all || queued) { throw ValidationError("give names or --all/--queued, not both") }
    }

    func run() throws {
        let store = try ExperimentCommandSupport.store(cwd: CommandContext().cwd)
        let chosen: [Experiment]
        if all { chosen = try store.list() }
        else if queued { chosen = try store.list().filter { $0.state == .queued } }
        else { chosen = try ExperimentCommandSupport.find(names, in: store) }
        for experiment in chosen {
            if experiment.state == .running {
                throw CairnError("experiment \(experiment.name) is running; wait for it to end (nothing was removed)")
            }
        }
        for experiment in chosen { try store.remove(experiment) }
        Terminal.stdout(chosen.isEmpty ? "No experiments to remove." : "Removed " + Display.count(chosen.count, "experiment")
            + ": " + chosen.map(\.name).joined(separator: ", "))
    }
}

import ArgumentParser
import Basics
import Foundation
import Pipeline
import Workspace

/// `cairn stage add`: writes one stage into ./cairn.yaml without running it (as `dvc stage add` does).
struct StageAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add",
        abstract: "Write a stage into the cairn.yaml of the current directory (created if missing).",
        discussion: "The stage's block is appended to `stages:`; the rest of the file (comments, order, quoting) "
            + "is kept as it is. Paths are written as given, relative to this directory (or to -w). The result "
            + "is checked like `cairn repro` checks it (no cycle, one producer per output, no overlapping "
            + "outputs) before the file is written. Everything after the first argument that is not an option "
            + "is the command: `cairn stage add -n train -d data -o model python train.py --epochs 3`.")

    @Option(name: .shortAndLong, help: "Stage name (letters, digits, '_' and '-').")
    var name: String

    @Option(name: [.customShort("d"), .customLong("deps")],
            help: ArgumentHelp("A dependency (file or directory); repeat for more.", valueName: "path"))
    var deps: [String] = []

    @Option(name: [.customShort("o"), .customLong("outs")],
            help: ArgumentHelp("An output, stored in the cache.", valueName: "path"))
    var outs: [String] = []

    @Option(name: [.customShort("O"), .customLong("outs-no-cache")],
            help: ArgumentHelp("An output not stored in the cache (cache: false).", valueName: "path"))
    var outsNoCache: [String] = []

    @Option(name: [.customShort("p"), .customLong("params")],
            help: ArgumentHelp("Params: KEY1,KEY2 (from params.yaml), FILE:KEY1,KEY2, or FILE: (all of it).", valueName: "keys"))
    var params: [String] = []

    @Option(name: .customLong("outs-persist"),
            help: ArgumentHelp("An output kept while the command runs (persist: true).", valueName: "path"))
    var outsPersist: [String] = []

    @Option(name: .customLong("outs-persist-no-cache"),
            help: ArgumentHelp("A persistent output not stored in the cache.", valueName: "path"))
    var outsPersistNoCache: [String] = []

    @Option(name: [.customShort("m"), .customLong("metrics")],
            help: ArgumentHelp("A metrics file, stored in the cache.", valueName: "path"))
    var metrics: [String] = []

    @Option(name: [.customShort("M"), .customLong("metrics-no-cache")],
            help: ArgumentHelp("A metrics file not stored in the cache (usually committed to Git).", valueName: "path"))
    var metricsNoCache: [String] = []

    @Option(name: .customLong("plots"), help: ArgumentHelp("A plots file (an output).", valueName: "path"))
    var plots: [String] = []

    @Option(name: .customLong("plots-no-cache"),
            help: ArgumentHelp("A plots file not stored in the cache.", valueName: "path"))
    var plotsNoCache: [String] = []

    @Option(name: [.customShort("w"), .customLong("wdir")],
            help: ArgumentHelp("Working directory of the command, relative to this directory.", valueName: "dir"))
    var wdir: String?

    @Flag(name: .shortAndLong, help: "Replace a stage of the same name.")
    var force = false

    @Flag(name: .customLong("always-changed"), help: "Run the stage on every `cairn repro`.")
    var alwaysChanged = false

    @Option(name: .customLong("desc"),
            help: ArgumentHelp("A description (shown by `cairn stage list`).", valueName: "text"))
    var desc: String?

    @Argument(parsing: .captureForPassthrough, help: "The command to run.")
    var command: [String] = []

    func validate() throws {
        if let problem = StageAddition.nameProblem(name) { throw ValidationError(problem) }
        if commandWords.isEmpty { throw ValidationError("missing the stage's command (e.g. `cairn stage add -n NAME python run.py`)") }
    }

    private var commandWords: [String] { command.first == "--" ? Array(command.dropFirst()) : command }

    /// One argument is the command as written (`"python run.py | tee log"`); several are joined, each quoted for
    /// the shell when it needs it, so `cairn stage add -n a cp "my file" out` runs what was typed.
    static func commandLine(_ words: [String]) -> String {
        if words.count == 1 { return words[0] }
        return words.map { word in
            let plain = !word.isEmpty && word.utf8.allSatisfy { c in
                (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || "._-/+@%=:,${}".utf8.contains(c)
            }
            return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }

    func run() throws {
        let cwd = CommandContext().cwd
        let repo = try CairnRepository.open(cwd: cwd, lockMode: .shared)
        var definition = StageDefinition(name: name, cmd: Self.commandLine(commandWords))
        definition.wdir = wdir
        definition.desc = desc
        definition.deps = deps
        for argument in params { definition.addParams(argument) }
        definition.outs = outs.map { .init(path: $0) } + outsNoCache.map { .init(path: $0, cache: false) }
            + outsPersist.map { .init(path: $0, persist: true) } + outsPersistNoCache.map { .init(path: $0, cache: false, persist: true) }
        definition.metrics = metrics.map { .init(path: $0) } + metricsNoCache.map { .init(path: $0, cache: false) }
        definition.plots = plots.map { .init(path: $0) } + plotsNoCache.map { .init(path: $0, cache: false) }
        definition.alwaysChanged = alwaysChanged
        let directory = Paths.relative(cwd, to: repo.root) ?? ""
        let result = try StageAddition.run(definition, root: repo.root, directory: directory, force: force)
        let file = Display.relative(result.pipelinePath, repo: repo, cwd: cwd)
        let verb = result.replaced ? "Replaced stage '\(name)' in" : result.created ? "Created \(file) with stage '\(name)'" : "Added stage '\(name)' to"
        Terminal.stdout((result.created ? verb : "\(verb) \(file)") + "; run it with `cairn repro \(name)`")
    }
}

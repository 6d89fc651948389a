import Basics
import Experiments
import GitBridge
import Pipeline

/// The experiments part of `cairn demo` (after DemoPipeline): two queued experiments with different smoothing run
/// side by side in temporary worktrees, `exp show` compares them, the better one is applied and committed (and
/// `lineage` shows the run that made the model, with its environment), and
/// `cairn reproduce` proves the committed result (identical) and catches a stage that writes the time (diverged,
/// named). Every claim is checked against files and exit codes, not wording.
enum DemoExperiments {
    static func run(directory: String, say: @escaping (String) -> Void) throws {
        let git = try GitRepository.discover(startingAt: directory)
        say("\n# Experiments: two smoothing values, queued and run side by side (HEAD and your files stay put)")
        for (name, value) in [("smooth-0", "0"), ("smooth-2000", "2000")] {
            try DemoPipeline.cairn(["exp", "run", "--queue", "-n", name, "-S", "train.smoothing=\(value)"], in: directory, say: say)
        }
        let head = try git.head()?.sha
        try DemoPipeline.cairn(["exp", "run", "--run-all", "-j", "2"], in: directory, say: say)
        guard try git.head()?.sha == head, try DemoPipeline.read(directory, "params.yaml") == DemoPipeline.params else {
            throw CairnError("demo: exp run --run-all moved HEAD or changed the work tree; this is a bug")
        }
        try DemoPipeline.cairn(["exp", "show"], in: directory, say: say)

        // The better experiment: the lower mean absolute error, read from each experiment commit.
        let store = ExperimentStore(git: git)
        var best: (name: String, error: Double)?
        for experiment in try store.list() where experiment.baseline == head {
            guard experiment.state == .done, let bytes = try git.readFile(at: experiment.sha, path: "metrics.json"),
                  let error = try MetricsFile.parse(bytes, path: "metrics.json")["mean_abs_error"],
                  case .float(let value) = error else { continue }
            if best == nil || value < best!.error { best = (experiment.name, value) }
        }
        guard let best else { throw CairnError("demo: no experiment recorded a mean_abs_error; this is a bug") }
        say("\n# \(best.name) has the lower error: apply it and commit")
        try DemoPipeline.cairn(["exp", "diff", best.name], in: directory, say: say)
        try DemoPipeline.cairn(["exp", "apply", best.name], in: directory, say: say)
        try git.commit(paths: ["params.yaml", "cairn.lock", "metrics.json"], message: "Keep experiment \(best.name)")
        say("$ git commit -am 'Keep experiment \(best.name)'        # done through libgit2")

        say("\n# Where the committed model came from: the run, its params, inputs and environment")
        let lineage = try DemoPipeline.cairn(["lineage", "model.csv"], in: directory, say: say)
        guard lineage.output.contains("in experiment \(best.name)"), lineage.output.contains("      environment ") else {
            throw CairnError("demo: lineage of model.csv does not name the experiment run and its environment; this is a bug")
        }

        say("\n# Months later: does the committed result really come from its data, code and params?")
        let proof = try DemoPipeline.cairn(["reproduce", "HEAD"], in: directory, say: say)
        guard proof.output.contains("reproduced: every output is identical") else {
            throw CairnError("demo: reproduce of a deterministic pipeline did not reproduce; this is a bug")
        }

        say("\n# A stage that writes the time cannot reproduce, and reproduce names it")
        let pipeline = try DemoPipeline.read(directory, "cairn.yaml")
            + "  stamp:\n    cmd: date +%s%N > stamp.txt\n    outs: [stamp.txt]\n"
        try FS.writeAtomically(Paths.join(directory, "cairn.yaml"), pipeline)
        say("$ cat >> cairn.yaml   # stamp: date +%s%N > stamp.txt")
        try DemoPipeline.cairn(["repro", "stamp"], in: directory, say: say)
        try git.commit(paths: ["cairn.yaml", "cairn.lock", ".gitignore"], message: "A stage that writes the time")
        say("$ git commit -am 'A stage that writes the time'        # done through libgit2")
        let diverged = try DemoPipeline.cairn(["reproduce", "HEAD"], in: directory, say: say, allowFailure: true)
        guard diverged.status == 1, diverged.output.contains("Stage 'stamp': diverged"),
              diverged.output.contains("Stage 'evaluate': reproduced") else {
            throw CairnError("demo: reproduce did not name the non-deterministic stage; this is a bug")
        }
    }
}

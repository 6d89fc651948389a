import Basics
import GitBridge
#if canImport(Glibc)
import Glibc
#endif

/// Reading and writing experiments: the references under refs/exps/ and their commits' messages. A reference
/// under refs/exps/ that cairn did not write (DVC's own `refs/exps/exec/…`, a stash) is ignored, not an error.
public struct ExperimentStore: Sendable {
    public let git: GitRepository

    public init(git: GitRepository) { self.git = git }

    /// Every experiment, oldest first (by `cairn-exp-created`, nanoseconds; then by name).
    public func list() throws -> [Experiment] {
        var found: [Experiment] = []
        for (reference, sha) in try git.references(withPrefix: ExperimentRefs.prefix) {
            guard let parsed = ExperimentRefs.parse(reference),
                  let message = ExperimentMessage.parse(try git.message(of: sha)) else { continue }
            let commit = try git.resolve(sha)
            var state = message.state
            if state == .queued && isRunning(parsed.name) { state = .running }
            // The trailer (queue time, nanoseconds) when there is a sane one; a stranger's can only reorder the list.
            let createdNs = message.createdNs.flatMap { $0 > 0 ? $0 : nil }
            found.append(Experiment(name: parsed.name, reference: reference, sha: sha, baseline: parsed.baseline,
                                    state: state, created: createdNs.map { $0 / 1_000_000_000 } ?? commit.time,
                                    setParams: message.setParams, targets: message.targets, failure: message.failure,
                                    createdNs: createdNs,
                                    environments: message.environments.map { .init(stage: $0.stage, json: $0.json) }))
        }
        return found.sorted { ($0.createdNs, $0.name) < ($1.createdNs, $1.name) }
    }

    /// The experiment called `name` (or with that full reference name). Unknown: an error with the hint.
    public func find(_ name: String) throws -> Experiment {
        let all = try list()
        let matches = all.filter { $0.name == name || $0.reference == name }
        if matches.count > 1 {
            throw CairnError("ambiguous experiment name '\(name)': " + matches.map(\.reference).joined(separator: ", ")
                + " (give the full reference name)")
        }
        guard let found = matches.first else {
            throw CairnError("no experiment named '\(name)' (`cairn exp list` shows them)")
        }
        return found
    }

    /// True when some experiment (of any baseline) is called `name`.
    public func exists(_ name: String) throws -> Bool {
        try git.references(withPrefix: ExperimentRefs.prefix).contains { ExperimentRefs.parse($0.name)?.name == name }
    }

    /// Commits `changes` onto `baseline` with `message` and points the experiment's reference at it. A queued
    /// experiment that ran is replaced (`replace`); otherwise an existing name is an error.
    @discardableResult
    public func save(_ message: ExperimentMessage, changes: [String: GitRepository.TreeChange],
                     replace: Bool) throws -> String {
        let sha = try git.createCommit(parent: message.baseline, changes: changes, message: message.text)
        let reference = ExperimentRefs.reference(baseline: message.baseline, name: message.name)
        do {
            try git.setReference(reference, to: sha, force: replace, logMessage: "cairn exp: \(message.state.rawValue)")
        } catch let error as CairnError where error.message.hasSuffix("already exists") {
            throw CairnError("an experiment named '\(message.name)' already exists (choose another -n NAME, or"
                + " `cairn exp remove \(message.name)` first)")
        }
        return sha
    }

    /// Deletes the experiment's reference; its data stays in the cache until gc.
    public func remove(_ experiment: Experiment) throws {
        try git.deleteReference(experiment.reference)
        clearRunning(experiment.name)
    }

    // MARK: running markers

    /// `<common .git>/cairn-exp/running/<name>` holds the pid of the process running a queued experiment: the
    /// state is "running" while that process lives. A marker left by a killed process reads as queued again.
    var runningDirectory: String { Paths.join(git.commonGitDir, "cairn-exp", "running") }

    public func markRunning(_ name: String) throws {
        try FS.makeDirectories(runningDirectory)
        try FS.writeAtomically(Paths.join(runningDirectory, name), Array("\(getpid())\n".utf8))
    }

    public func clearRunning(_ name: String) {
        try? FS.removeFile(Paths.join(runningDirectory, name))
    }

    public func isRunning(_ name: String) -> Bool {
        guard let bytes = try? FS.readAll(Paths.join(runningDirectory, name)),
              let pid = Int32(String(decoding: bytes.filter { $0 >= 48 && $0 <= 57 }, as: UTF8.self))
        else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}

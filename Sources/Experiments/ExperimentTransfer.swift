import Basics
import GitBridge
import Remotes
import Sync
import Workspace

/// `cairn exp push/pull GIT_REMOTE NAME…`: the experiments' refs go to (or come from) a Git remote through libgit2,
/// and the data their commits reference goes to (or comes from) the cairn remote, so a teammate who pulls sees
/// the same `exp show` and can `exp apply` with the data in place.
public enum ExperimentTransfer {
    public struct Result: Sendable {
        public var experiments: [String] = []
        public var objects = 0
        /// Data neither in the cache nor on the cairn remote.
        public var missing: [String] = []
    }

    /// `names` empty with `all`: every experiment. `cairnRemote` nil: the default remote (none configured: only
    /// the refs travel, and the result says so through `dataSkipped`).
    public static func push(gitRemote: String, names: [String], all: Bool, cairnRemote: String?, data: Bool,
                            cwd: String) throws -> Result {
        let repo = try CairnRepository.open(cwd: cwd, lockMode: .exclusive)
        let store = ExperimentStore(git: repo.git)
        let chosen = all ? try store.list() : try names.map { try store.find($0) }
        if chosen.isEmpty { return Result() }
        for experiment in chosen where experiment.state == .running {
            throw CairnError("experiment \(experiment.name) is running; push it when it has finished")
        }
        var result = Result(experiments: chosen.map(\.name))
        // Data first: a teammate must never see a ref whose data is not on the remote yet.
        if data, let remote = try openRemote(cairnRemote, repo: repo) {
            let targets = try pointers(of: chosen, repo: repo, pushableOnly: true)
            let pushed = try PushOperation.run(repo: repo, remote: remote.remote, targets: targets, jobs: remote.jobs)
            result.objects = pushed.objectsSent
            result.missing = pushed.missingEverywhere
        }
        try repo.git.push(remote: gitRemote, refspecs: chosen.map { "+\($0.reference):\($0.reference)" })
        return result
    }

    public static func pull(gitRemote: String, names: [String], all: Bool, cairnRemote: String?, data: Bool,
                            cwd: String) throws -> Result {
        let repo = try CairnRepository.open(cwd: cwd, lockMode: .exclusive)
        let offered = try repo.git.remoteReferences(remote: gitRemote, prefix: ExperimentRefs.prefix)
            .filter { ExperimentRefs.parse($0.name) != nil }
        var references: [String] = []
        if all {
            references = offered.map(\.name)
        } else {
            for name in names {
                let matches = offered.filter { $0.name == name || ExperimentRefs.parse($0.name)?.name == name }
                if matches.isEmpty { throw CairnError("\(gitRemote) has no experiment named '\(name)'") }
                if matches.count > 1 {
                    throw CairnError("ambiguous experiment name '\(name)' on \(gitRemote): "
                        + matches.map(\.name).joined(separator: ", ") + " (give the full reference name)")
                }
                references.append(matches[0].name)
            }
        }
        if references.isEmpty { return Result() }
        try repo.git.fetch(remote: gitRemote, refspecs: references.map { "+\($0):\($0)" })
        let store = ExperimentStore(git: repo.git)
        let pulled = try references.map { try store.find($0) }
        var result = Result(experiments: pulled.map(\.name))
        if data, let remote = try openRemote(cairnRemote, repo: repo) {
            let targets = try pointers(of: pulled, repo: repo, pushableOnly: true)
            let fetched = try FetchOperation.run(repo: repo, remote: remote.remote, targets: targets, jobs: remote.jobs)
            result.objects = fetched.objectsFetched
            result.missing = fetched.missing
        }
        return result
    }

    /// The data the experiments' commits reference that their baselines do not already have in common with them
    /// is not worth telling apart: every pointer and lock output of each experiment commit.
    static func pointers(of experiments: [Experiment], repo: CairnRepository, pushableOnly: Bool) throws -> [TransferTarget] {
        let scope = CommitScope(revisions: experiments.map(\.sha))
        var seen = Set<ObjectID>()
        return try scope.pointers(repo: repo, pushableOnly: pushableOnly).compactMap { pointer in
            seen.insert(pointer.id).inserted ? TransferTarget(label: pointer.label, id: pointer.id) : nil
        }
    }

    static func openRemote(_ name: String?, repo: CairnRepository) throws -> (remote: any Remote, jobs: Int)? {
        if name == nil && RemoteConfiguration.defaultName(config: repo.config) == nil { return nil }
        let configured = try RemoteConfiguration.remote(named: name, config: repo.config)
        return (try RemoteOpener.open(configured), RemoteOpener.jobs(configured, override: nil))
    }
}

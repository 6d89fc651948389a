import Basics
import GitBridge
import Workspace

/// `cairn exp apply NAME`: the experiment's files (params, cairn.lock, metrics, and any code it changed) are written
/// into the work tree, then its outputs are checked out from the cache. HEAD, the index and the branch stay; the
/// user commits the result like any change. A file with uncommitted changes of the user's is never overwritten
/// without `force`.
public enum ExperimentApply {
    public struct Result: Sendable {
        public var experiment: Experiment
        public var filesWritten: [String]
        public var checkout: CheckoutOperation.Result?
        /// Outputs whose data this cache lacks (`cairn exp pull` / `cairn pull` brings it).
        public var missingData: [String]
    }

    public static func run(name: String, cwd: String, force: Bool) throws -> Result {
        let files: [String]
        let experiment: Experiment
        let root: String
        do {
            let repo = try CairnRepository.open(cwd: cwd, lockMode: .exclusive)
            root = repo.root
            let store = ExperimentStore(git: repo.git)
            experiment = try store.find(name)
            guard experiment.state == .done else {
                throw CairnError("experiment \(experiment.name) is \(experiment.state.rawValue): only a finished experiment can be applied")
            }
            files = try repo.git.changedFiles(from: experiment.baseline, to: experiment.sha)
            // An experiment pulled from someone else is a tree cairn did not write: no path may reach .git or
            // .cairn or leave the repository.
            for path in files {
                if let problem = Paths.unsafeReason(path) {
                    throw CairnError("experiment \(experiment.name) (\(experiment.sha.prefix(7))): \(problem); nothing was applied")
                }
            }
            let head = try repo.git.head()?.sha ?? experiment.baseline
            // Uncommitted = the work tree's file differs from HEAD's; it is only a loss if it differs from the
            // experiment's version too.
            var conflicts: [String] = []
            for path in files {
                let current = try readWorkTree(Paths.join(root, path))
                let committed = try repo.git.readFile(at: head, path: path)
                let incoming = try repo.git.readFile(at: experiment.sha, path: path)
                if current != committed && current != incoming { conflicts.append(path) }
            }
            if !conflicts.isEmpty && !force {
                throw CairnError("exp apply would overwrite uncommitted changes in " + conflicts.joined(separator: ", ")
                    + "; commit or stash them (git stash), or run `cairn exp apply --force \(experiment.name)`")
            }
            for path in files {
                let absolute = Paths.join(root, path)
                try TargetResolver.checkNoSymlinkParents(path, root: root)
                if let bytes = try repo.git.readFile(at: experiment.sha, path: path) {
                    try FS.makeDirectories(Paths.parent(absolute))
                    let executable = (try FS.lstat(absolute))?.isExecutable ?? false
                    try FS.writeAtomically(absolute, bytes, mode: executable ? 0o755 : 0o644)
                } else if try FS.lstat(absolute) != nil {
                    try FS.removeFile(absolute)
                }
            }
        }
        // The lock files now name the experiment's outputs: check out what the cache has.
        let repo = try CairnRepository.open(cwd: root, lockMode: .exclusive)
        let tracked = try TargetResolver.trackedTargets([], cwd: root, root: root)
        let available = tracked.filter { OutputStorer.isCached(type: $0.pointer.type, id: $0.pointer.id, repo: repo) }
        let missing = tracked.filter { !OutputStorer.isCached(type: $0.pointer.type, id: $0.pointer.id, repo: repo) }
        let checkout = available.isEmpty ? nil : try CheckoutOperation.run(repo: repo, targets: available, force: force)
        return Result(experiment: experiment, filesWritten: files, checkout: checkout,
                      missingData: missing.map(\.dataPath))
    }

    private static func readWorkTree(_ path: String) throws -> [UInt8]? {
        guard let info = try FS.lstat(path) else { return nil }
        if !info.isRegular { return [] }   // a directory or symlink where a file was: never equal, so a conflict
        return try FS.readAll(path)
    }
}

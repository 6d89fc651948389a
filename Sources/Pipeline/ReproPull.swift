import Basics
import Sync
import Workspace

/// `repro --pull`: before anything runs, fetch from the default remote what the selected stages need and the
/// cache lacks: the outputs their cairn.lock entries name (so an unchanged stage whose outputs are missing is
/// checked out instead of run) and pointer-tracked data among their deps (checked out, so the stages that run
/// find their inputs).
enum ReproPull {
    static func pull(_ selection: [StageID], graph: StageGraph, repo: CairnRepository, locks: LockBook) throws {
        var targets: [TransferTarget] = []
        var seen = Set<ObjectID>()
        var depPaths: [String] = []
        for id in selection {
            let lockDirectory = graph.pipeline(id).directory
            depPaths += graph.stage(id).deps.map(\.repoPath)
            guard let entry = try locks.entry(for: id) else { continue }
            for out in entry.outs where out.cache && !OutputStorer.isCached(type: out.type, id: out.id, repo: repo) {
                if seen.insert(out.id).inserted {
                    targets.append(TransferTarget(label: LockPaths.repoPath(out.path, lockDirectory: lockDirectory), id: out.id))
                }
            }
        }
        let tracked = try TargetResolver.trackedTargets([], cwd: repo.root, root: repo.root).filter { data in
            depPaths.contains { dep in dep == data.dataPath || dep.hasPrefix(data.dataPath + "/") || data.dataPath.hasPrefix(dep + "/") }
        }
        let missingData = tracked.filter { (try? FS.lstat(repo.absolute($0.dataPath))) == nil }
        for data in missingData where seen.insert(data.pointer.id).inserted {
            targets.append(TransferTarget(label: data.dataPath, id: data.pointer.id))
        }
        guard !targets.isEmpty else { return }
        let configured = try RemoteConfiguration.remote(named: nil, config: repo.config)
        let remote = try RemoteOpener.open(configured)
        let result = try FetchOperation.run(repo: repo, remote: remote, targets: targets,
                                            jobs: RemoteOpener.jobs(configured, override: nil))
        for label in result.missing {
            Diagnostics.warning("\(label): not on remote '\(configured.name)' either; the stage that makes it will run")
        }
        if !missingData.isEmpty { _ = try CheckoutOperation.run(repo: repo, targets: missingData, force: false) }
    }
}

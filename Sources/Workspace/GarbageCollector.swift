import Basics
import GitBridge
import ObjectStore

/// `cairn gc`: deletes objects that no pointer (nor lock file output) in the kept scope references. The work
/// tree's pointers and locks are always kept (they name data just added, which no commit holds yet); the other
/// scopes add the pointers and locks found in commits: branch tips, tags, every commit reachable from any ref,
/// or named revisions.
public enum GarbageCollector {
    public typealias Scope = CommitScope

    public static func run(repo: CairnRepository, dryRun: Bool) throws -> GarbageReport {
        try run(repo: repo, scope: Scope(), dryRun: dryRun)
    }

    public static func run(repo: CairnRepository, scope: Scope, dryRun: Bool) throws -> GarbageReport {
        let roots = try keptRoots(repo: repo, scope: scope)
        return try repo.store.collectGarbage(keeping: roots, dryRun: dryRun)
    }

    /// The object ids to keep: work tree pointers plus the pointers in every commit of the scope.
    public static func keptRoots(repo: CairnRepository, scope: Scope) throws -> Set<ObjectID> {
        let targets = try TargetResolver.trackedTargets([], cwd: repo.root, root: repo.root)
        var roots = Set(targets.map(\.pointer.id))
        // A shared cache (linked worktrees, cache.dir) also holds what the other work trees' pointers name.
        for worktree in try repo.cache.otherUsers(than: repo.root, prune: true) {
            do {
                for target in try TargetResolver.trackedTargets([], cwd: worktree, root: worktree) {
                    roots.insert(target.pointer.id)
                }
            } catch let error as CairnError {
                throw CairnError("gc: the cache is shared with \(worktree), whose pointers cannot all be read, so "
                    + "gc cannot tell what it needs: \(error.message)")
            }
        }
        for pointer in try commitPointers(repo: repo, scope: scope) { roots.insert(pointer.id) }
        return roots
    }

    /// The data every pointer in the scope's commits names (see `CommitScope.pointers`).
    public static func commitPointers(repo: CairnRepository, scope: Scope,
                                      pushableOnly: Bool = false) throws -> [(label: String, id: ObjectID)] {
        try scope.pointers(repo: repo, pushableOnly: pushableOnly)
    }
}

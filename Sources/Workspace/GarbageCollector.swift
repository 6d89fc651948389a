import Basics
import ObjectStore

/// `cairn gc`: deletes objects that no pointer in the work tree references.
/// (Later scopes — branches, tags, all commits — widen the set of roots; the store does the rest.)
public enum GarbageCollector {
    public static func run(repo: CairnRepository, dryRun: Bool) throws -> GarbageReport {
        let targets = try TargetResolver.trackedTargets([], cwd: repo.root, root: repo.root)
        let roots = Set(targets.map(\.pointer.id))
        return try repo.store.collectGarbage(keeping: roots, dryRun: dryRun)
    }
}

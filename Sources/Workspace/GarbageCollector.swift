import Basics
import GitBridge
import ObjectStore

/// `cairn gc`: deletes objects that no pointer in the kept scope references. The work tree's pointers are
/// always kept (they name data just added, which no commit holds yet); the other scopes add the pointers
/// found in commits: branch tips, tags, every commit reachable from any ref, or named revisions.
public enum GarbageCollector {
    public struct Scope: Sendable, Equatable {
        public var allBranches = false
        public var allTags = false
        public var allCommits = false
        public var revisions: [String] = []
        public init(allBranches: Bool = false, allTags: Bool = false, allCommits: Bool = false, revisions: [String] = []) {
            self.allBranches = allBranches; self.allTags = allTags; self.allCommits = allCommits
            self.revisions = revisions
        }
    }

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
        for pointer in try commitPointers(repo: repo, scope: scope) { roots.insert(pointer.id) }
        return roots
    }

    /// The data every pointer in the scope's commits names, labelled "path at commit abc1234" (the work tree is
    /// not included). Shared by gc and by push/fetch/pull, which take the same scopes.
    public static func commitPointers(repo: CairnRepository, scope: Scope) throws -> [(label: String, id: ObjectID)] {
        var commits = Set<String>()
        // Resolve everything before reading any tree, so a bad revision fails before any work. A range
        // (`A..B`) stands for each of its commits, so every version it holds is taken, not only the tip.
        for revision in scope.revisions {
            if let range = try RevisionRange.parse(revision) {
                commits.formUnion(try repo.git.commits(in: range))
            } else {
                commits.insert(try repo.git.resolve(revision).sha)
            }
        }
        if scope.allBranches { for branch in try repo.git.branches() { commits.insert(branch.sha) } }
        if scope.allTags { for tag in try repo.git.tags() { commits.insert(tag.sha) } }
        if scope.allCommits {
            var tips = try repo.git.allRefCommits()
            if let head = try repo.git.head() { tips.append(head.sha) }
            for sha in try repo.git.commits(reachableFrom: tips) { commits.insert(sha) }
        }
        // Commits share most trees and pointer blobs: read each subtree once, decode each blob once.
        var seenBlobs = Set<String>()
        var found: [(label: String, id: ObjectID)] = []
        for (sha, path, blob) in try repo.git.files(inCommits: commits.sorted(), withSuffix: PointerFile.suffix)
            where seenBlobs.insert(blob).inserted && Paths.basename(path).count > PointerFile.suffix.count {
            guard let bytes = try repo.git.readFile(at: sha, path: path) else { continue }
            // A pointer that cannot be read could name data to keep: refuse rather than guess.
            let tracked = try PointerScanner.decode(bytes, pointerPath: path, source: "\(path) at commit \(sha.prefix(7))")
            found.append(("\(tracked.dataPath) at commit \(sha.prefix(7))", tracked.pointer.id))
        }
        return found
    }
}

import Basics
import Workspace

/// One piece of tracked data to move: a file or directory object, labelled for messages with its path
/// (and the commit, for data found in history).
public struct TransferTarget: Sendable, Equatable {
    public var label: String
    public var id: ObjectID

    public init(label: String, id: ObjectID) {
        self.label = label
        self.id = id
    }
}

/// What push, fetch, pull and `status --remote` act on: the named paths (or every pointer in the work tree),
/// plus the pointers in the commits of a gc-style scope (`--all-branches`, `--all-tags`, `--all-commits`,
/// `--rev`).
public enum TransferTargets {
    public struct Selection: Sendable {
        /// The work tree's pointers that were selected (what pull checks out).
        public var workspace: [TrackedData]
        /// Every distinct object to move, work tree first.
        public var targets: [TransferTarget]
    }

    public static func select(repo: CairnRepository, arguments: [String], cwd: String,
                              scope: CommitScope) throws -> Selection {
        let selected = try TargetResolver.trackedTargets(arguments, cwd: cwd, root: repo.root)
        var seen = Set<ObjectID>()
        var targets: [TransferTarget] = []
        // Outputs marked `push: false` never travel (DVC's rule): they are neither sent nor fetched; pull's
        // checkout writes them when this clone has them and warns otherwise (CheckoutOperation).
        for tracked in selected where tracked.push && seen.insert(tracked.pointer.id).inserted {
            targets.append(TransferTarget(label: tracked.dataPath, id: tracked.pointer.id))
        }
        for pointer in try GarbageCollector.commitPointers(repo: repo, scope: scope, pushableOnly: true)
            where seen.insert(pointer.id).inserted {
            targets.append(TransferTarget(label: pointer.label, id: pointer.id))
        }
        return Selection(workspace: selected, targets: targets)
    }
}

import Basics
import Sync
import Workspace
import GitBridge

/// The pre-commit hook's question: would this commit record pointers whose data is not what the work tree
/// holds, or data this clone does not have? Each problem is one line naming the path and the fixing command.
public enum PreCommitCheck {
    public static func problems(repo: CairnRepository) throws -> [String] {
        var problems: [String] = []
        for entry in try StatusOperation.run(repo: repo, arguments: [], cwd: repo.root) where entry.state == .modified {
            problems.append("\(entry.path): changed since its pointer was written; run `cairn add \(entry.path)`"
                + " (or `cairn checkout --force \(entry.path)` to discard the change)")
        }
        // Pointers that this commit would change: staged, and different from HEAD's. The staged copy is the
        // one that counts (after `git add -p` it can differ from the work tree's).
        let head = try repo.git.head()
        var stagedTargets: [TrackedData] = []
        for target in try TargetResolver.trackedTargets([], cwd: repo.root, root: repo.root) {
            guard let bytes = try repo.git.stagedFile(target.pointerPath) else { continue }
            stagedTargets.append(try PointerScanner.decode(bytes, pointerPath: target.pointerPath, source: "\(target.pointerPath) (staged)"))
        }
        for target in stagedTargets {
            if let head, let before = try? RevisionPointers.pointer(git: repo.git, commit: head,
                                                                     pointerPath: target.pointerPath),
               before.pointer.id == target.pointer.id { continue }
            if let missing = try missingObject(target, repo: repo) {
                problems.append("\(target.dataPath): its pointer names \(missing.prefixed), which is not in the cache;"
                    + " run `cairn add \(target.dataPath)` with the data present, or `git restore --staged"
                    + " \(target.pointerPath)`")
            }
        }
        return problems
    }

    /// The first object of `target` the cache lacks, or nil when it holds them all.
    static func missingObject(_ target: TrackedData, repo: CairnRepository) throws -> ObjectID? {
        let pointer = target.pointer
        if pointer.type == .file { return repo.store.hasFile(pointer.id) ? nil : pointer.id }
        guard repo.store.hasObject(pointer.id) else { return pointer.id }
        let tree = try TreeBuilder.flatten(pointer.id, store: repo.store)
        return tree.files.values.first { !repo.store.hasFile($0.id) }?.id
    }
}

import Basics
import Sync
import Workspace
import GitBridge

/// The pre-commit hook's question: would this commit record pointers (or cairn.lock outputs) whose data is not
/// what the work tree holds, or data this clone does not have? Only the pointers the commit changes count (staged,
/// and different from HEAD's): a commit of NOTES.md is never refused because some tracked data has unsaved edits.
/// Each problem is one line naming the path and the fixing command.
public enum PreCommitCheck {
    public static func problems(repo: CairnRepository) throws -> [String] {
        let committed = try committedPointers(repo: repo)
        var problems: [String] = []
        for target in committed {
            if let missing = try missingObject(target, repo: repo) {
                let record = target.isRecorded ? "\(target.pointerPath) (stage \(target.stage ?? "?"))" : "its pointer"
                let remake = target.isRecorded ? "`cairn repro`" : "`cairn add \(Shell.quoted(target.dataPath))`"
                problems.append("\(target.dataPath): \(record) names \(missing.prefixed), which is not in the cache;"
                    + " run `cairn pull \(Shell.quoted(target.dataPath))` if it is on the remote, \(remake)"
                    + " with the data present, or `git restore --staged \(Shell.quoted(target.pointerPath))`")
            }
        }
        let complete = committed.filter { (try? missingObject($0, repo: repo)) == .some(nil) }
        for entry in try StatusOperation.run(repo: repo, targets: complete) where entry.state == .modified {
            let quoted = Shell.quoted(entry.path)
            if entry.stage != nil {
                problems.append("\(entry.path): changed since \(entry.pointer) recorded it; run `cairn repro`"
                    + " (or `cairn checkout --force \(quoted)` to discard the change)")
                continue
            }
            problems.append("\(entry.path): changed since its pointer was written; run `cairn add \(quoted)`"
                + " (or `cairn checkout --force \(quoted)` to discard the change)")
        }
        return problems
    }

    /// The pointers this commit records: staged in Git's index (the staged copy counts: after `git add -p` it can
    /// differ from the work tree's) and naming other data than HEAD's (a changed `desc` alone names the same data).
    static func committedPointers(repo: CairnRepository) throws -> [TrackedData] {
        let head = try repo.git.head()
        var result: [TrackedData] = []
        for path in try repo.git.trackedPaths(under: "") where path.hasSuffix(PointerFile.suffix) {
            guard Paths.basename(path).count > PointerFile.suffix.count,
                  let bytes = try repo.git.stagedFile(path) else { continue }
            let staged = try PointerScanner.decode(bytes, pointerPath: path, source: "\(path) (staged)")
            if let head, let before = try? RevisionPointers.pointer(git: repo.git, commit: head, pointerPath: path),
               before.pointer.id == staged.pointer.id { continue }
            result.append(staged)
        }
        return result + (try committedOutputs(repo: repo, head: head))
    }

    /// The outputs of staged lock files that name other data than HEAD's lock file did at the same path.
    static func committedOutputs(repo: CairnRepository, head: CommitInfo?) throws -> [TrackedData] {
        guard let provider = TrackedDataProviders.current else { return [] }
        var result: [TrackedData] = []
        for path in try repo.git.trackedPaths(under: "") where TrackedDataProviders.isRecordFile(path) {
            guard let bytes = try repo.git.stagedFile(path) else { continue }
            let staged = try provider.decode(bytes, path: path, source: "\(path) (staged)")
            let before = head.flatMap { try? RecordedData.decode(git: repo.git, commitSha: $0.sha, path: path) } ?? []
            let previous = Dictionary(before.map { (PathKey($0.dataPath), $0.pointer.id) }, uniquingKeysWith: { a, _ in a })
            result += staged.filter { previous[PathKey($0.dataPath)] != $0.pointer.id }
        }
        return result
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

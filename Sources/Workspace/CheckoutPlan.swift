import Basics
import ObjectStore

/// What a checkout will do, worked out before anything is touched, so that a refusal writes nothing at all.
struct CheckoutPlan: Sendable {
    /// Said wherever data is missing locally, so the user knows it is not lost, only not fetched.
    static let fetchHint = "; run `cairn pull` to fetch it from the remote"
    struct Write: Sendable { var path: String; var id: ObjectID; var executable: Bool; var size: UInt64 }
    /// Repo-relative files to (re)write.
    var writes: [Write] = []
    /// Files whose content is right but whose executable bit is not.
    var modeFixes: [(path: String, executable: Bool)] = []
    /// Files to delete (extra files in tracked directories) and things in the way of a write
    /// (a directory or link where a file goes), deleted before writing.
    var removals: [String] = []
    /// Directories to create (empty ones in trees and parents of writes).
    var directories: [String] = []
    /// Directories that are not in their tree; removed after the removals if they end up empty.
    var prunable: [String] = []
    /// Local data that would be lost: content not in the cache.
    var conflicts: [String] = []
    /// Targets (data paths) that change.
    var changedTargets: [String] = []
    var unchangedFiles = 0

    /// Plans one pointer's data. `force` turns conflicts into removals/overwrites.
    mutating func add(_ target: TrackedData, repo: CairnRepository, identifier: FileIdentifier, force: Bool) throws {
        let pointer = target.pointer
        try CheckoutPlan.requireSafe(target.dataPath)
        let abs = repo.absolute(target.dataPath)
        let observed = FS.nowNs()
        let st = try FS.lstat(abs)
        switch pointer.type {
        case .file:
            try requireInCache(pointer.id, target.dataPath, repo)
            let write = Write(path: target.dataPath, id: pointer.id, executable: pointer.executable, size: pointer.size)
            guard let st else { writes.append(write); changedTargets.append(target.dataPath); return }
            if st.isRegular {
                let current = try identifier.hash(target.dataPath, absolute: abs, stat: st, observedNs: observed)
                if current == pointer.id {
                    unchangedFiles += 1
                    if st.isExecutable != pointer.executable {
                        modeFixes.append((target.dataPath, pointer.executable))
                        changedTargets.append(target.dataPath)
                    }
                    return
                }
                if !repo.store.hasFile(current) && !force { conflicts.append(target.dataPath); return }
                writes.append(write)
            } else {
                // A directory or link where the file belongs: its content is not known to the cache.
                if !force { conflicts.append(target.dataPath); return }
                removals.append(target.dataPath)
                writes.append(write)
            }
            changedTargets.append(target.dataPath)
        case .directory:
            guard repo.store.hasObject(pointer.id) else {
                if let damage = repo.store.damage(of: pointer.id) { throw CairnError("\(target.dataPath): \(damage)") }
                throw CairnError("\(target.dataPath): object \(pointer.id.prefixed) is not in the cache"
                    + CheckoutPlan.fetchHint)
            }
            let tree = try TreeBuilder.flatten(pointer.id, store: repo.store, dataPath: target.dataPath)
            for path in tree.files.keys.map(\.path) + tree.directories { try CheckoutPlan.requireSafe(target.dataPath + "/" + path) }
            for file in tree.files.values { try requireInCache(file.id, target.dataPath, repo) }
            if let st, !st.isDirectory {
                if st.isRegular, let id = try? ContentHasher.hashFile(abs).id, repo.store.hasFile(id) || force {
                    removals.append(target.dataPath)
                } else if force { removals.append(target.dataPath) } else { conflicts.append(target.dataPath); return }
            }
            let before = (writes.count, removals.count, modeFixes.count, directories.count)
            if let st, st.isDirectory {
                try planDirectoryUpdate(target, tree: tree, repo: repo, identifier: identifier, force: force)
            } else {
                for (key, file) in tree.files {
                    writes.append(Write(path: target.dataPath + "/" + key.path, id: file.id, executable: file.executable, size: file.size))
                }
                directories.append(target.dataPath)
                directories += tree.directories.map { target.dataPath + "/" + $0 }
            }
            if (writes.count, removals.count, modeFixes.count, directories.count) != before {
                changedTargets.append(target.dataPath)
            }
        }
    }

    private mutating func planDirectoryUpdate(_ target: TrackedData, tree: (files: [PathKey: TreeFile], directories: [String]),
                                              repo: CairnRepository, identifier: FileIdentifier, force: Bool) throws {
        let prefix = target.dataPath + "/"
        let diff = try DirectoryComparison.compare(dataPath: target.dataPath, repo: repo, recorded: tree.files,
                                                   identifier: identifier, identifyChanges: true)
        unchangedFiles += diff.unchanged.count
        let stats = Dictionary(diff.scan.files.map { (PathKey($0.path), $0.stat) }, uniquingKeysWith: { a, _ in a })
        for path in diff.unchanged {
            if let file = tree.files[PathKey(path)], let st = stats[PathKey(path)], st.isExecutable != file.executable {
                modeFixes.append((prefix + path, file.executable))
            }
        }
        // Local content that the cache does not hold would be lost by overwriting or deleting it.
        for path in diff.modified + diff.added {
            let safe = diff.currentIDs[PathKey(path)].map { repo.store.hasFile($0) } ?? false
            if !safe && !force { conflicts.append(prefix + path) }
        }
        // Modified and removed files are, by construction, files of the recorded tree.
        for path in diff.modified + diff.removed {
            guard let file = tree.files[PathKey(path)] else {
                throw CairnError.bug("\(prefix + path) compared as recorded but is not in the tree of \(target.dataPath)")
            }
            writes.append(Write(path: prefix + path, id: file.id, executable: file.executable, size: file.size))
        }
        removals += diff.added.map { prefix + $0 }
        // Links and special files inside a tracked directory are not ours; they only matter when in the way.
        let wanted = Set(tree.files.keys).union(tree.directories.map(PathKey.init))
        for other in diff.scan.symlinks + diff.scan.special where blocks(other, wanted: wanted) {
            if force { removals.append(prefix + other) } else { conflicts.append(prefix + other) }
        }
        let existingDirs = Set(diff.scan.directories.map(PathKey.init))
        for dir in tree.directories where !existingDirs.contains(PathKey(dir)) { directories.append(prefix + dir) }
        let treeDirs = Set(tree.directories.map(PathKey.init))
        prunable += diff.scan.directories.filter { !treeDirs.contains(PathKey($0)) }.map { prefix + $0 }
    }

    /// The last guard before anything is touched: every path the plan writes, removes or creates must be a safe
    /// repo-relative path (no `..`, no `.git` or `.cairn` component, no control characters). Pointers and trees
    /// are validated when read; this makes a missed case a refusal instead of a write into `.git`.
    func checkEveryPathIsSafe() throws {
        let paths = writes.map(\.path) + removals + directories + prunable + modeFixes.map(\.0)
        for path in paths {
            if let reason = Paths.unsafeReason(path) {
                throw CairnError("refusing to check out: \(reason); nothing was changed")
            }
        }
    }

    /// True when `path` occupies a place the tree needs: the same path, or an ancestor of a tree path.
    private func blocks(_ path: String, wanted: Set<PathKey>) -> Bool {
        if wanted.contains(PathKey(path)) { return true }
        let slash = path + "/"
        return wanted.contains { $0.path.utf8.starts(with: slash.utf8) }
    }

    /// The last guard before anything is written or deleted: pointers and trees were checked when read, but a
    /// path that names `.git`, `.cairn` or `..` must never reach the file system, whatever let it through.
    static func requireSafe(_ dataPath: String) throws {
        if let reason = Paths.unsafeReason(dataPath) { throw CairnError("\(Paths.quoted(dataPath)): refusing to check out: \(reason)") }
    }

    private func requireInCache(_ id: ObjectID, _ dataPath: String, _ repo: CairnRepository) throws {
        guard repo.store.hasFile(id) else {
            if let damage = repo.store.damage(of: id) { throw CairnError("\(dataPath): \(damage)") }
            throw CairnError("\(dataPath): object \(id.prefixed) is not in the cache" + CheckoutPlan.fetchHint)
        }
    }
}

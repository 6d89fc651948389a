import Basics
import ObjectStore

/// Stores what a pipeline stage wrote, as `cairn add` stores data but without a pointer file: the stage's
/// cairn.lock names the result instead. Also answers "does the cache hold this version?" for the runner, which
/// restores missing outputs from the cache instead of running a stage again. (Pipeline cannot see the store's
/// internals; this is its one door to them.)
public enum OutputStorer {
    public struct Stored: Sendable, Equatable {
        public var identity: DataIdentity
        /// Files only: the executable bit as found.
        public var executable: Bool
    }

    /// Stores every file and directory at `repoPaths` (relative to the root; each must exist), then makes the
    /// store durable, so a lock written afterwards never names data the cache lacks. Ids are those `cairn add`
    /// gives: a file's SHA-256, a directory's root tree.
    public static func store(_ repoPaths: [String], repo: CairnRepository) throws -> [Stored] {
        let identifier = try repo.makeFileIdentifier()
        defer { identifier.save() }
        var results: [Stored] = []
        for repoPath in repoPaths {
            let abs = repo.absolute(repoPath)
            let observed = FS.nowNs()
            guard let st = try FS.lstat(abs) else { throw CairnError("\(repoPath): no such file or directory") }
            if st.isDirectory {
                let tree = try AddOperation.storeDirectory(repoPath, repo: repo, identifier: identifier)
                identifier.waitForSave()
                results.append(Stored(identity: DataIdentity(type: .directory, id: tree.id, size: tree.size,
                                                             fileCount: tree.fileCount), executable: false))
            } else if st.isRegular {
                let stored = try identifier.store(repoPath, absolute: abs, stat: st, observedNs: observed,
                                                  into: repo.store, progress: nil)
                results.append(Stored(identity: DataIdentity(type: .file, id: stored.id, size: stored.size, fileCount: 1),
                                      executable: st.isExecutable))
            } else {
                throw CairnError("\(repoPath): not a regular file or directory (a symbolic link?); an output must be one")
            }
        }
        try repo.store.commit()
        return results
    }

    /// True when the cache holds all of the data: the file, or the tree and every file below it.
    public static func isCached(type: PointerFile.DataType, id: ObjectID, repo: CairnRepository) -> Bool {
        if type == .file { return repo.store.hasFile(id) }
        guard repo.store.hasObject(id), let files = try? TreeBuilder.flatten(id, store: repo.store).files else { return false }
        return repo.store.hasFiles(files.values.lazy.map(\.id))
    }
}

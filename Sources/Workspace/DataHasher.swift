import Basics
import ObjectStore

/// What a path in the work tree holds, named as `cairn add` would name it, without storing anything.
public struct DataIdentity: Sendable, Equatable {
    public var type: PointerFile.DataType
    public var id: ObjectID
    public var size: UInt64
    /// Files below a directory; 1 for a file.
    public var fileCount: UInt64
}

/// Hashing of work-tree data through the stat cache, for callers outside Workspace (the pipeline's change
/// detection asks "did this dependency change?" for every stage): unchanged files are vouched for by the stat
/// cache under the racy-git rule, so a second `repro` reads nothing it read before. Call `finish()` once at the
/// end to keep what was learned.
public final class DataHasher: @unchecked Sendable {
    private let repo: CairnRepository
    private let identifier: FileIdentifier

    public init(repo: CairnRepository) throws {
        self.repo = repo
        self.identifier = try repo.makeFileIdentifier()
    }

    /// The identity of the file or directory at `repoPath` (relative to the repository root), nil when nothing
    /// is there. Symbolic links and special files below a directory are skipped, as `add` skips them.
    public func identify(_ repoPath: String) throws -> DataIdentity? {
        let absolute = repo.absolute(repoPath)
        let observed = FS.nowNs()
        guard let stat = try FS.lstat(absolute) else { return nil }
        if stat.isRegular {
            let id = try identifier.hash(repoPath, absolute: absolute, stat: stat, observedNs: observed)
            return DataIdentity(type: .file, id: id, size: stat.size, fileCount: 1)
        }
        guard stat.isDirectory else {
            throw CairnError("\(repoPath): not a regular file or directory")
        }
        let scan = try DirectoryScanner.scan(absolute)
        let files = scan.files
        let hashed = Locked([PathKey: TreeFile]())
        try Parallel.forEach(files.count) { [identifier] i in
            let file = files[i]
            let id = try identifier.hash(repoPath + "/" + file.path, absolute: absolute + "/" + file.path,
                                         stat: file.stat, observedNs: observed)
            hashed.withLock { $0[PathKey(file.path)] = TreeFile(id: id, size: file.stat.size, executable: file.stat.isExecutable) }
        }
        let tree = try TreeBuilder.treeID(files: hashed.snapshot, directories: scan.directories)
        return DataIdentity(type: .directory, id: tree.id, size: tree.size, fileCount: tree.fileCount)
    }

    /// Writes what the stat cache learned (failing to is only a warning: the cache is an optimisation).
    public func finish() { identifier.save() }
}

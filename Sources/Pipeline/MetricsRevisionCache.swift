#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Basics
import GitBridge
import Workspace

/// Reads cached outputs out of the local cache for `RevisionTree`: DVC's metrics and plots are cached outputs
/// unless marked `cache: false`, and then only the commit's cairn.lock knows which content they had.
public struct CachedOutputReader: Sendable {
    let repo: CairnRepository

    public init(repo: CairnRepository) { self.repo = repo }

    /// The bytes of the file `id` names, or nil when the local cache does not have it (not fetched yet).
    func read(_ id: ObjectID, path: String) throws -> [UInt8]? {
        guard let size = try repo.store.fileSize(id) else { return nil }
        guard size <= UInt64(RevisionTree.maxFileSize) else {
            throw CairnError("\(path): \(size) bytes in the cache is over the limit of \(RevisionTree.maxFileSize) bytes for this file")
        }
        let temp = try RevisionTree.makeTemporaryDirectory()
        defer { try? FS.removeTree(temp) }
        let file = Paths.join(temp, "output")
        try repo.store.materialize(id, to: file, executable: false, temporaryDirectory: temp)
        return try FS.readAll(file)
    }
}

extension RevisionTree {
    /// `path` as a file output recorded in the commit's cairn.lock (the lock next to any cairn.yaml above it),
    /// read from the local cache; nil when no lock records it or the cache lacks it.
    func readCachedOutput(_ path: String, commit: CommitInfo) throws -> [UInt8]? {
        guard let cachedOutputs else { return nil }
        var directory = Paths.parent(path)
        while true {
            let lockPath = Paths.join(directory, PipelineLock.fileName)
            if let bytes = try git.readFile(at: commit.sha, path: lockPath), bytes.count <= Self.maxFileSize,
               let text = String(validating: bytes, as: UTF8.self),
               let lock = try? PipelineLockCodec.decode(text, file: lockPath) {
                for (_, stage) in lock.stages.sorted(by: { $0.key < $1.key }) {
                    for out in stage.outs where out.type == .file && LockPaths.repoPath(out.path, lockDirectory: directory) == path {
                        return try cachedOutputs.read(out.id, path: path)
                    }
                }
            }
            if directory.isEmpty { return nil }
            directory = Paths.parent(directory)
        }
    }
}

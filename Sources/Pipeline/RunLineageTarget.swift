import Basics
import GitBridge
import Lineage
import Workspace

/// Which version `cairn lineage PATH` asks about when PATH is a pipeline output or input rather than
/// pointer-tracked data: an out recorded in a cairn.lock (of the work tree, or of `--rev`), else a file the work
/// tree (or the commit) holds, identified by its content as a dep is.
public enum RunLineageTarget {
    public struct Found: Sendable {
        public var key: VersionKey
        /// Where the version came from, for messages: `models/cairn.lock (stage train)`, `the work tree`.
        public var source: String
    }

    /// The version of the lock output `rel` (repo-relative), or of the directory output holding it; nil when no
    /// lock names it. Work tree: the locks next to every cairn.yaml; `revision`: every cairn.lock in that commit.
    public static func lockOutput(repo: CairnRepository, rel: String, revision: String?) throws -> Found? {
        for (lockPath, lock) in try locks(repo: repo, revision: revision) {
            let directory = Paths.parent(lockPath)
            for name in lock.stages.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                for out in lock.stages[name]!.outs {
                    let path = LockPaths.repoPath(out.path, lockDirectory: directory)
                    guard path == rel || (out.type == .directory && rel.hasPrefix(path + "/")) else { continue }
                    let stage = RunLineage.stageDisplay(lockPath: lockPath, name: name)
                    return Found(key: VersionKey(path: path, objectID: out.id), source: "\(lockPath) (stage \(stage))")
                }
            }
        }
        return nil
    }

    /// A plain file (a script or data committed to Git) as a dep version: its content id in the work tree or at
    /// `revision`; nil when there is no such file.
    public static func file(repo: CairnRepository, rel: String, revision: String?) throws -> Found? {
        if let revision {
            let commit = try repo.git.resolve(revision)
            guard let bytes = try repo.git.readFile(at: commit.sha, path: rel) else { return nil }
            return Found(key: VersionKey(path: rel, objectID: ObjectID.of(bytes)), source: "commit \(commit.shortSha)")
        }
        let absolute = repo.absolute(rel)
        guard let stat = try FS.lstat(absolute), stat.isRegular else { return nil }
        return Found(key: VersionKey(path: rel, objectID: try ContentHasher.hashFile(absolute).id),
                     source: "the work tree")
    }

    /// Every readable lock; one that is not (damaged, hostile) is skipped with a warning, as the indexer does, so it
    /// cannot hide the answer about another path.
    static func locks(repo: CairnRepository, revision: String?) throws -> [(String, PipelineLock)] {
        var result: [(String, PipelineLock)] = []
        func add(_ lockPath: String, _ read: () throws -> PipelineLock?) {
            do {
                if let lock = try read() { result.append((lockPath, lock)) }
            } catch {
                Diagnostics.warning("skipping \(lockPath): \(error)")
            }
        }
        if let revision {
            let commit = try repo.git.resolve(revision)
            for file in try repo.git.files(at: commit.sha, withSuffix: PipelineLock.fileName)
                where Paths.basename(file.path) == PipelineLock.fileName {
                add(file.path) {
                    guard let bytes = try repo.git.readFile(at: commit.sha, path: file.path) else { return nil }
                    guard bytes.count <= PipelineFileReader.maxFileSize,
                          let text = String(validating: bytes, as: UTF8.self) else {
                        throw CairnError("\(file.path): not a lock file (too large, or not UTF-8)")
                    }
                    return try PipelineLockCodec.decode(text, file: file.path)
                }
            }
            return result
        }
        for pipeline in try PipelineDiscovery.find(root: repo.root) {
            let lockPath = Paths.join(Paths.parent(pipeline), PipelineLock.fileName)
            add(lockPath) { try PipelineLockCodec.load(root: repo.root, lockPath: lockPath) }
        }
        return result
    }
}

import Basics
import GitBridge
import Pipeline
import Workspace

/// What an experiment commit holds on top of its baseline: every tracked file the run's work tree changed (code,
/// pointers, params), and the small files pipelines describe even when Git does not track them yet: params files,
/// cairn.lock files, and metrics and plots outputs kept out of the cache (`cache: false`). Cached outputs are not
/// in the commit: their lock entries are, and their data is in the cache.
enum ExperimentFiles {
    /// Files above this size are left out of the commit (a `cache: false` output that is really data).
    static let maxFileSize: UInt64 = 16 << 20

    /// `git` is the work tree's own repository (a linked worktree's, for queued runs): its changed tracked files
    /// are relative to its HEAD, so a worktree at a queued commit also names the files that commit changed
    /// (`alsoChanged`).
    static func changes(root: String, git: GitRepository, baseline: String, graph: StageGraph?,
                        alsoChanged: [String] = []) throws -> [String: GitRepository.TreeChange] {
        var paths = Set(try git.changedTrackedFiles()).union(alsoChanged)
        if let graph { paths.formUnion(describedFiles(graph, root: root)) }
        var changes: [String: GitRepository.TreeChange] = [:]
        for path in paths.sorted() {
            let absolute = Paths.join(root, path)
            if let info = try FS.lstat(absolute), info.isRegular {
                if info.size > maxFileSize { continue }
                changes[path] = .write(try FS.readAll(absolute), executable: info.mode & 0o111 != 0)
            } else if try FS.lstat(absolute) == nil, try git.blobID(at: baseline, path: path) != nil {
                changes[path] = .remove
            }
        }
        // Unchanged files need no entry: the tree starts as the baseline's.
        for (path, change) in changes {
            if case .write(let bytes, _) = change, try git.readFile(at: baseline, path: path) == bytes {
                changes[path] = nil
            }
        }
        return changes
    }

    /// Params files, lock files, and uncached metrics and plots outputs of every pipeline in the graph.
    static func describedFiles(_ graph: StageGraph, root: String) -> [String] {
        var files = Set<String>()
        if FS.exists(Paths.join(root, "params.yaml")) { files.insert("params.yaml") }
        for pipeline in graph.pipelineFiles {
            for path in pipeline.params + pipeline.metrics { files.insert(path.repoPath) }
            for stage in pipeline.stages {
                files.insert(StageID(pipelinePath: pipeline.path, name: stage.name).lockPath)
                for params in stage.params { files.insert(params.file.repoPath) }
                for out in stage.outs where !out.cache && out.kind != .out { files.insert(out.path.repoPath) }
            }
        }
        return files.filter { !$0.isEmpty && !$0.hasPrefix("../") }.sorted()
    }
}

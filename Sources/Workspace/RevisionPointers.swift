import Basics
import GitBridge

/// Pointer files as they were at a commit, read from Git blobs (never from the work tree). This is how
/// time travel, diff, log and gc see history: the pointer is the record of which data went with a commit.
public enum RevisionPointers {
    /// Every pointer in `commit`'s tree, sorted by path. A malformed pointer is reported through `warn` and
    /// skipped when `strict` is false (history may hold a pointer someone edited by hand); with `strict` it
    /// is an error naming the file and the commit.
    public static func load(git: GitRepository, commit: CommitInfo, strict: Bool,
                            warn: (String) -> Void = { Diagnostics.line($0) }) throws -> [TrackedData] {
        var result: [TrackedData] = []
        for (path, _) in try git.files(at: commit.sha, withSuffix: PointerFile.suffix) {
            guard Paths.basename(path).count > PointerFile.suffix.count else { continue }
            do {
                if let loaded = try pointer(git: git, commit: commit, pointerPath: path) { result.append(loaded) }
            } catch let error as CairnError where !strict {
                warn("cairn: warning: skipping malformed pointer: \(error.message)")
            }
        }
        // Outputs recorded in lock files are tracked data of the commit too (a path tracked both ways, which
        // repro refuses to create, is taken from its pointer).
        let recorded = try RecordedData.at(commit, git: git, strict: strict, warn: warn)
        if recorded.isEmpty { return result }
        var data = Set(result.map { PathKey($0.dataPath) })
        result += recorded.filter { data.insert(PathKey($0.dataPath)).inserted }
        return result.sorted { Paths.bytewiseLess($0.dataPath + PointerFile.suffix, $1.dataPath + PointerFile.suffix) }
    }

    /// The tracked data at `dataPath` in `commit`: its pointer, or the output a lock file above it records.
    public static func tracked(git: GitRepository, commit: CommitInfo, dataPath: String) throws -> TrackedData? {
        if let found = try pointer(git: git, commit: commit, pointerPath: dataPath + PointerFile.suffix) { return found }
        return try RecordedData.entry(dataPath, git: git, commitSha: commit.sha)
    }

    /// The pointer at `pointerPath` in `commit`, or nil when the commit has no such file.
    public static func pointer(git: GitRepository, commit: CommitInfo, pointerPath: String) throws -> TrackedData? {
        guard let bytes = try git.readFile(at: commit.sha, path: pointerPath) else { return nil }
        return try PointerScanner.decode(bytes, pointerPath: pointerPath,
                                         source: "\(pointerPath) at commit \(commit.shortSha)")
    }

    /// The pointers that user `arguments` select from `pointers`: an argument names a tracked path (data or
    /// pointer spelling) or a directory containing tracked paths. No arguments select everything. An
    /// argument that selects nothing is an error naming `where` (e.g. "at commit 1a2b3c4").
    public static func select(_ arguments: [String], from pointers: [TrackedData], cwd: String, root: String,
                              where place: String) throws -> [TrackedData] {
        if arguments.isEmpty { return pointers }
        var chosen: [String: TrackedData] = [:]
        for argument in arguments {
            let rel = TargetResolver.dataPath(
                forArgument: try TargetResolver.relativePath(argument, cwd: cwd, root: root))
            let matching = pointers.filter { $0.dataPath == rel || $0.dataPath.hasPrefix(rel + "/") }
            guard !matching.isEmpty else { throw CairnError("\(argument): not tracked by cairn \(place)") }
            for target in matching { chosen[target.dataPath] = target }
        }
        return chosen.values.sorted { $0.dataPath < $1.dataPath }
    }
}

import Basics
import GitBridge

/// Tracked data recorded somewhere other than a pointer file: the outputs a pipeline stage wrote, recorded in the
/// `cairn.lock` next to its `cairn.yaml`. Workspace knows nothing of pipelines; the Pipeline module decodes its
/// lock files and answers, and the command layer registers it at startup (`TrackedDataProviders.register`), so
/// every command that lists pointer-tracked data (status, checkout, diff, log, gc, fsck, push/fetch/pull, the
/// hooks, lineage) sees these outputs too. Keeping it a protocol keeps the dependency pointing up.
public protocol TrackedDataProvider: Sendable {
    /// The name of the files that record data (`cairn.lock`); such a file may sit in any directory.
    var fileName: String { get }
    /// The data recorded by the file at repo path `path` in the work tree (read through the hardened loader);
    /// each entry's `pointerPath` is `path` and its `recordedBy` is set. Malformed files and unsafe paths throw
    /// one CairnError naming the file.
    func workTree(root: String, path: String) throws -> [TrackedData]
    /// The same for the file's bytes read from Git; `source` names it in errors (`cairn.lock at commit 1a2b3c4`).
    func decode(_ bytes: [UInt8], path: String, source: String) throws -> [TrackedData]
}

/// The provider the command layer registered (none in library tests: then only pointers are tracked data).
public enum TrackedDataProviders {
    private static let registered = Locked<(any TrackedDataProvider)?>(nil)

    public static func register(_ provider: any TrackedDataProvider) { registered.withLock { $0 = provider } }

    public static var current: (any TrackedDataProvider)? { registered.snapshot }

    /// True when `path` (repo-relative) names a file the provider reads.
    public static func isRecordFile(_ path: String) -> Bool {
        guard let name = current?.fileName else { return false }
        return Paths.basename(path) == name
    }
}

/// Recorded data (lock outputs) looked up the way commands need it. Every path a record names lies in the
/// record file's directory or below it, so the records that can name `dataPath` are those in its ancestors.
public enum RecordedData {
    /// The record files (repo paths) in `dataPath`'s ancestor directories, nearest first, that exist in the work tree.
    static func recordFiles(above dataPath: String, root: String) -> [String] {
        guard let name = TrackedDataProviders.current?.fileName else { return [] }
        var result: [String] = []
        var directory = Paths.parent(dataPath)
        while true {
            let path = directory.isEmpty ? name : directory + "/" + name
            if path != dataPath, FS.exists(Paths.join(root, path)) { result.append(path) }
            if directory.isEmpty { break }
            directory = Paths.parent(directory)
        }
        return result
    }

    /// The data recorded by the work tree's record file at `path`.
    public static func load(root: String, path: String) throws -> [TrackedData] {
        guard let provider = TrackedDataProviders.current else { return [] }
        return try provider.workTree(root: root, path: path)
    }

    /// Recorded data in the work tree equal to `dataPath`, or (with `inside`) below it, from the record files
    /// above it. A record file that cannot be read is an error: it might name exactly this path.
    public static func covering(_ dataPath: String, root: String, inside: Bool = false) throws -> [TrackedData] {
        var found: [TrackedData] = []
        for file in recordFiles(above: dataPath, root: root) {
            for entry in try load(root: root, path: file)
            where entry.dataPath == dataPath || inside && entry.dataPath.hasPrefix(dataPath + "/") {
                found.append(entry)
            }
        }
        return found
    }

    /// The recorded output that `dataPath` equals or lies inside, if any (for the refusals of add, mv and rm).
    /// Unreadable record files are skipped here: they are reported by the commands that read them.
    public static func owner(of dataPath: String, root: String) -> TrackedData? {
        for file in recordFiles(above: dataPath, root: root) {
            guard let entries = try? load(root: root, path: file) else { continue }
            if let hit = entries.first(where: { $0.dataPath == dataPath || dataPath.hasPrefix($0.dataPath + "/") }) {
                return hit
            }
        }
        return nil
    }

    /// The recorded data in `commit`'s tree, sorted by record file. A malformed record file is reported through
    /// `warn` and skipped unless `strict`, like a malformed pointer in history.
    public static func at(_ commit: CommitInfo, git: GitRepository, strict: Bool,
                          warn: (String) -> Void = { Diagnostics.line($0) }) throws -> [TrackedData] {
        guard let provider = TrackedDataProviders.current else { return [] }
        var result: [TrackedData] = []
        for (path, _) in try git.files(at: commit.sha, withSuffix: provider.fileName)
        where Paths.basename(path) == provider.fileName {
            do {
                result += try decode(git: git, commitSha: commit.sha, path: path) ?? []
            } catch let error as CairnError where !strict {
                warn("cairn: warning: skipping malformed \(provider.fileName): \(error.message)")
            }
        }
        return result
    }

    /// The data the record file `path` names at `commitSha`; nil when the commit has no such file.
    public static func decode(git: GitRepository, commitSha: String, path: String) throws -> [TrackedData]? {
        guard let provider = TrackedDataProviders.current,
              let bytes = try git.readFile(at: commitSha, path: path) else { return nil }
        return try provider.decode(bytes, path: path, source: "\(path) at commit \(commitSha.prefix(7))")
    }

    /// The recorded output equal to `dataPath` at `commitSha`, from the record files above it there.
    public static func entry(_ dataPath: String, git: GitRepository, commitSha: String) throws -> TrackedData? {
        guard let name = TrackedDataProviders.current?.fileName else { return nil }
        var directory = Paths.parent(dataPath)
        while true {
            let path = directory.isEmpty ? name : directory + "/" + name
            let entries = try decode(git: git, commitSha: commitSha, path: path) ?? []
            if let hit = entries.first(where: { $0.dataPath == dataPath }) { return hit }
            if directory.isEmpty { return nil }
            directory = Paths.parent(directory)
        }
    }
}

extension RecordedData {
    /// Why add, mv and rm leave `output` (named by the user as `argument`) alone: the lock file is the pipeline's
    /// record, written by `cairn repro`, and a pointer beside it would make two records fight over one path.
    public static func refusal(_ argument: String, path: String, output: TrackedData, verb: String) -> CairnError {
        let inside = output.dataPath == path ? "" : " (inside \(output.dataPath))"
        return CairnError("\(argument): is an output of stage \(output.stage ?? "?") in \(output.pointerPath)\(inside),"
            + " so cairn \(verb) leaves it alone; change the stage in cairn.yaml and run `cairn repro`"
            + " (`cairn checkout \(Shell.quoted(output.dataPath))` restores the recorded version)")
    }
}

import Basics
import GitBridge
import ObjectStore

/// `cairn diff`: tracked data added, removed or modified between two commits, or between a commit and the
/// pointer files in the work tree; inside tracked directories, file by file when both trees are cached.
public enum DiffOperation {
    public struct FileChange: Codable, Sendable {
        public var path: String
        public var change: String
        public var oldSize: Int64?
        public var newSize: Int64?
        enum CodingKeys: String, CodingKey { case path, change, oldSize = "old_size", newSize = "new_size" }
    }

    public struct Entry: Codable, Sendable {
        public var path: String
        /// `added`, `removed` or `modified`.
        public var change: String
        public var type: String
        public var oldID: String?
        public var newID: String?
        public var oldSize: Int64?
        public var newSize: Int64?
        /// Files changed inside a tracked directory; nil when not a directory or a tree is not in the cache.
        public var files: [FileChange]?
        /// Why `files` is missing for a modified directory (a tree not in the local cache).
        public var note: String?
        enum CodingKeys: String, CodingKey {
            case path, change, type, oldID = "old_id", newID = "new_id", oldSize = "old_size", newSize = "new_size"
            case files, note
        }
    }

    public struct Summary: Codable, Sendable { public var added = 0, removed = 0, modified = 0 }

    public struct Report: Codable, Sendable {
        /// Full sha of the old side.
        public var from: String
        /// Full sha of the new side; nil for the work tree.
        public var to: String?
        public var entries: [Entry]
        public var summary: Summary
    }

    /// Leading items that name a commit and no existing file are revisions (at most two); the rest are paths.
    public static func split(_ items: [String], repo: CairnRepository, cwd: String) -> (revisions: [String], paths: [String]) {
        var revisions: [String] = []
        var paths = items[...]
        while revisions.count < 2, let first = paths.first, !FS.exists(Paths.absolute(first, cwd: cwd)),
              (try? repo.git.resolve(first)) != nil {
            revisions.append(first)
            paths = paths.dropFirst()
        }
        return (revisions, Array(paths))
    }

    /// No revision: HEAD against the work tree's pointers; one: it against the work tree; two: A against B.
    public static func run(repo: CairnRepository, revisions: [String], arguments: [String], cwd: String) throws -> Report {
        let from: CommitInfo
        if let first = revisions.first {
            from = try repo.git.resolve(first)
        } else {
            guard let head = try repo.git.head() else { throw CairnError("HEAD: no commits yet; nothing to diff against") }
            from = head
        }
        let to = try revisions.count >= 2 ? repo.git.resolve(revisions[1]) : nil
        return try run(repo: repo, from: from, to: to, arguments: arguments, cwd: cwd)
    }

    public static func run(repo: CairnRepository, from: CommitInfo, to: CommitInfo?, arguments: [String],
                           cwd: String) throws -> Report {
        let old = try RevisionPointers.load(git: repo.git, commit: from, strict: false)
        let new = try to.map { try RevisionPointers.load(git: repo.git, commit: $0, strict: false) }
            ?? TargetResolver.trackedTargets([], cwd: repo.root, root: repo.root)
        let filters = try arguments.map {
            TargetResolver.dataPath(forArgument: try TargetResolver.relativePath($0, cwd: cwd, root: repo.root))
        }
        // Keyed by bytes (PathKey): NFC and NFD twins are two tracked paths.
        let oldByPath = Dictionary(old.map { (PathKey($0.dataPath), $0.pointer) }, uniquingKeysWith: { a, _ in a })
        let newByPath = Dictionary(new.map { (PathKey($0.dataPath), $0.pointer) }, uniquingKeysWith: { a, _ in a })
        let paths = Set(oldByPath.keys).union(newByPath.keys).sorted().map(\.path)
        for (argument, filter) in zip(arguments, filters) where !paths.contains(where: { matches($0, filter) }) {
            if !FS.exists(Paths.absolute(argument, cwd: cwd)), (try? repo.git.resolve(argument)) != nil {
                // Only the first two leading revisions are taken as revisions; a third one lands here.
                throw CairnError("\(argument): a third revision; diff compares two revisions, and what follows"
                    + " them must name tracked data")
            }
            if !FS.exists(Paths.absolute(argument, cwd: cwd)) && !argument.contains("/") {
                throw CairnError("\(argument): unknown revision, and not tracked data either")
            }
            throw CairnError("\(argument): not tracked by cairn at either side of the diff")
        }
        var report = Report(from: from.sha, to: to?.sha, entries: [], summary: Summary())
        for path in paths {
            let inside = filters.isEmpty ? [] : filters.filter { $0.hasPrefix(path + "/") }
            guard filters.isEmpty || filters.contains(where: { matches(path, $0) }) else { continue }
            guard var entry = try compare(path, oldByPath[PathKey(path)], newByPath[PathKey(path)], store: repo.store) else { continue }
            if !inside.isEmpty, let files = entry.files {
                entry.files = files.filter { file in inside.contains { file.path == $0 || file.path.hasPrefix($0 + "/") } }
                if entry.files?.isEmpty == true { continue }
            }
            switch entry.change {
            case "added": report.summary.added += 1
            case "removed": report.summary.removed += 1
            default: report.summary.modified += 1
            }
            report.entries.append(entry)
        }
        return report
    }

    /// A tracked path matches a filter that names it, a directory above it, or a file inside it.
    static func matches(_ path: String, _ filter: String) -> Bool {
        path == filter || path.hasPrefix(filter + "/") || filter.hasPrefix(path + "/")
    }

    static func compare(_ path: String, _ old: PointerFile?, _ new: PointerFile?, store: ObjectStore) throws -> Entry? {
        if let old, let new, old.id == new.id, old.executable == new.executable { return nil }
        let change = old == nil ? "added" : new == nil ? "removed" : "modified"
        var entry = Entry(path: path, change: change, type: (new ?? old)?.type.rawValue ?? "file",
                          oldID: old?.id.prefixed, newID: new?.id.prefixed,
                          oldSize: old.map { Int64($0.size) }, newSize: new.map { Int64($0.size) })
        guard let old, let new, old.type == .directory, new.type == .directory else { return entry }
        let missing = [old.id, new.id].filter { !store.hasObject($0) }
        if !missing.isEmpty {
            entry.note = "tree \(missing[0].prefixed) is not in the cache: per-file changes unknown"
            return entry
        }
        let before = try TreeBuilder.flatten(old.id, store: store).files
        let after = try TreeBuilder.flatten(new.id, store: store).files
        var files: [FileChange] = []
        for name in Set(before.keys).union(after.keys).sorted() {   // PathKeys: NFC/NFD twins stay two
            let a = before[name], b = after[name]
            if let a, let b, a.id == b.id, a.executable == b.executable { continue }
            files.append(FileChange(path: path + "/" + name.path, change: a == nil ? "added" : b == nil ? "removed" : "modified",
                                    oldSize: a.map { Int64($0.size) }, newSize: b.map { Int64($0.size) }))
        }
        entry.files = files
        return entry
    }
}

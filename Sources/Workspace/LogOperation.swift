import Basics
import GitBridge
import Lineage
import ObjectStore

/// `cairn log PATH`: every version of a tracked file or directory in the history of HEAD, from the lineage
/// database, newest first; or, for a file inside a tracked directory, the versions of the directory in
/// which that file's entry changed (read from the directory's trees in the local cache).
public enum LogOperation {
    public struct Entry: Codable, Sendable {
        /// Full 40-hex sha; nil for a version recorded by `cairn add` and not committed yet.
        public var commit: String?
        public var time: Int64?
        public var timeOffsetMinutes: Int32?
        public var author: String?
        public var subject: String?
        /// `added`, `modified` or `removed` (removed only for a file inside a tracked directory); `changed`
        /// when the previous version's tree is not in the cache, so added and modified cannot be told apart.
        public var change: String
        public var id: String?
        public var size: Int64?
        public var sizeChange: Int64?

        enum CodingKeys: String, CodingKey {
            case commit, time, timeOffsetMinutes = "time_offset_minutes", author, subject, change, id, size
            case sizeChange = "size_change"
        }
    }

    public struct Report: Codable, Sendable {
        /// The path asked about, repo-relative.
        public var path: String
        /// The tracked file or directory whose pointer history answers it.
        public var trackedPath: String
        public var entries: [Entry]
        /// For a file inside a tracked directory: versions whose tree is not in the local cache, so the
        /// file's state in them is unknown (full shas; "pending" for an uncommitted version).
        public var treesNotInCache: [String]

        enum CodingKeys: String, CodingKey {
            case path, trackedPath = "tracked_path", entries, treesNotInCache = "trees_not_in_cache"
        }
    }

    public static func run(repo: CairnRepository, argument: String, cwd: String) throws -> Report {
        let store = try LineageIndexer.upToDate(repo: repo)
        let rel = TargetResolver.dataPath(forArgument: try TargetResolver.relativePath(argument, cwd: cwd, root: repo.root))
        let onHead = try versionsOnHead(repo: repo, store: store)
        var tracked = rel
        while true {
            let versions = try onHead(tracked)
            if !versions.isEmpty {
                if tracked == rel { return Report(path: rel, trackedPath: rel, entries: entries(versions), treesNotInCache: []) }
                return try fileInside(repo: repo, path: rel, directory: tracked, versions: versions)
            }
            tracked = Paths.parent(tracked)
            if tracked.isEmpty { break }
        }
        throw CairnError("\(argument): no versions in the history of HEAD (not tracked by cairn, or never added)")
    }

    /// A function giving the versions of a tracked path that belong to HEAD's history (plus a pending one).
    private static func versionsOnHead(repo: CairnRepository, store: LineageStore) throws
        -> (String) throws -> [VersionRecord] {
        // HEAD's history in git log order (time, then topology): commits made within one second must
        // still be listed child before parent, which the database's time order cannot promise.
        let history = try repo.git.head() == nil ? [] : try repo.git.history(path: nil, from: "HEAD")
        let position = Dictionary(history.enumerated().map { ($1.sha, $0) }, uniquingKeysWith: { a, _ in a })
        return { path in
            let versions = try store.versions(of: path).filter { version in
                guard let sha = version.commitSha else { return true }
                return position[sha] != nil
            }
            return versions.sorted { (position[$0.commitSha ?? ""] ?? -1) < (position[$1.commitSha ?? ""] ?? -1) }
        }
    }

    /// Versions newest first; each is compared with the version it replaced in its commit's first parent (for a
    /// pending version: HEAD), not with the next entry of the list, which on branched history may be a version
    /// from another branch.
    static func entries(_ versions: [VersionRecord]) -> [Entry] {
        let sizes = Dictionary(versions.map { ($0.objectID, $0.size) }, uniquingKeysWith: { a, _ in a })
        return versions.map { version in
            let before = version.previousObjectID
            return Entry(commit: version.commitSha, time: version.time, timeOffsetMinutes: version.timeOffsetMinutes,
                         author: version.authorName, subject: version.subject,
                         change: before == nil ? "added" : "modified", id: version.objectID.prefixed,
                         size: version.size, sizeChange: before.flatMap { sizes[$0] }.map { version.size - $0 })
        }
    }

    /// Keeps the directory's versions in which the file's entry differs from the version each one replaced
    /// (its commit's first parent), listed newest first like the directory's versions.
    static func fileInside(repo: CairnRepository, path: String, directory: String,
                           versions: [VersionRecord]) throws -> Report {
        let inner = String(path.dropFirst(directory.count + 1))
        var report = Report(path: path, trackedPath: directory, entries: [], treesNotInCache: [])
        for version in versions {
            guard let current = try entry(inner, in: version.objectID, store: repo.store) else {
                report.treesNotInCache.append(version.commitSha ?? "pending")
                continue
            }
            // .none: the replaced tree is not in the cache; .some(nil): no file there (or no earlier version).
            let previous: TreeEntry?? = try version.previousObjectID.map { try entry(inner, in: $0, store: repo.store) }
                ?? .some(nil)
            let known = previous != nil
            let before = previous ?? nil
            if before?.id == current?.id { continue }   // unchanged, absent in both, or unknown and absent now
            // After a version whose tree is missing, "added" or "modified" cannot be told apart.
            let change = current == nil ? "removed" : !known ? "changed" : before == nil ? "added" : "modified"
            report.entries.append(Entry(
                commit: version.commitSha, time: version.time, timeOffsetMinutes: version.timeOffsetMinutes,
                author: version.authorName, subject: version.subject, change: change,
                id: current?.id.prefixed, size: current.map { Int64($0.size) },
                sizeChange: (current != nil && before != nil) ? Int64(current!.size) - Int64(before!.size) : nil))
        }
        return report
    }

    /// The entry at `inner` below the tree `root`: nil (outer) when a tree on the way is not in the cache,
    /// .some(nil) when there is no file there.
    static func entry(_ inner: String, in root: ObjectID, store: ObjectStore) throws -> TreeEntry?? {
        var treeID = root
        let parts = inner.split(separator: "/").map(String.init)
        for (index, part) in parts.enumerated() {
            guard store.hasObject(treeID) else { return nil }
            guard let found = try store.readTree(treeID).entry(named: part) else { return .some(nil) }
            if index == parts.count - 1 { return found.kind == .directory ? .some(nil) : .some(found) }
            guard found.kind == .directory else { return .some(nil) }
            treeID = found.id
        }
        return .some(nil)
    }
}

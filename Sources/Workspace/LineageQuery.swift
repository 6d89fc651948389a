import Basics
import GitBridge
import Lineage

/// `cairn lineage PATH`: where a version came from (the versions it replaced, and later the runs that made
/// it) or, downstream, what came from it; each version with the commit that introduced it.
public enum LineageQuery {
    public struct Version: Codable, Sendable {
        public var path: String
        public var id: String
        public var size: Int64?
        /// Full sha of the commit that introduced this version; nil when pending or unknown.
        public var commit: String?
        public var author: String?
        public var time: Int64?
        public var timeOffsetMinutes: Int32?
        public var subject: String?
        /// True for a version `cairn add` recorded that is not committed yet.
        public var pending: Bool
        enum CodingKeys: String, CodingKey {
            case path, id, size, commit, author, time, timeOffsetMinutes = "time_offset_minutes", subject, pending
        }
    }

    public struct Edge: Codable, Sendable {
        public var from: Version
        public var to: Version
        /// `replaces` (same path, next version) or `derived` (a pipeline run read `from` and wrote `to`).
        public var relation: String
        public var runID: Int64?
        enum CodingKeys: String, CodingKey { case from, to, relation, runID = "run_id" }
    }

    public struct Report: Codable, Sendable {
        public var version: Version
        public var direction: String
        public var edges: [Edge]
    }

    /// The version of `argument` at `revision` (default: the pointer in the work tree) and its lineage.
    public static func run(repo: CairnRepository, argument: String, revision: String?, downstream: Bool,
                           cwd: String) throws -> Report {
        let store = try LineageIndexer.upToDate(repo: repo)
        let rel = TargetResolver.dataPath(forArgument: try TargetResolver.relativePath(argument, cwd: cwd, root: repo.root))
        if let owner = try directoryAbove(rel, repo: repo, revision: revision) {
            return try fileInside(repo: repo, store: store, path: rel, owner: owner, argument: argument, cwd: cwd,
                                  downstream: downstream)
        }
        let tracked: TrackedData
        if let revision {
            let commit = try repo.git.resolve(revision)
            guard let found = try RevisionPointers.tracked(git: repo.git, commit: commit, dataPath: rel) else {
                throw CairnError("\(argument): not tracked by cairn at \(revision) (\(commit.shortSha))")
            }
            tracked = found
        } else {
            tracked = try TargetResolver.trackedTargets([argument], cwd: cwd, root: repo.root).first
                ?? { throw CairnError("\(argument): not tracked by cairn") }()
            guard tracked.dataPath == rel else { throw CairnError("\(argument): names a directory of tracked data; name one tracked path") }
        }
        let key = VersionKey(path: tracked.dataPath, objectID: tracked.pointer.id)
        var described: [VersionKey: Version] = [:]
        func describe(_ key: VersionKey) throws -> Version {
            if let known = described[key] { return known }
            let version = try LineageQuery.describe(key, store: store)
            described[key] = version
            return version
        }
        let edges = try store.lineage(of: key, downstream: downstream).map { edge in
            Edge(from: try describe(edge.from), to: try describe(edge.to), relation: edge.relation.rawValue,
                 runID: edge.runID)
        }
        var version = try describe(key)
        if version.size == nil { version.size = Int64(tracked.pointer.size) }
        return Report(version: version, direction: downstream ? "downstream" : "upstream", edges: edges)
    }

    /// A version with the commit that introduced it, or as pending when only `cairn add` recorded it.
    static func describe(_ key: VersionKey, store: LineageStore) throws -> Version {
        if let intro = try store.introduction(of: key) {
            return Version(path: key.path, id: key.objectID.prefixed, size: intro.size, commit: intro.commitSha,
                           author: intro.authorName, time: intro.time, timeOffsetMinutes: intro.timeOffsetMinutes,
                           subject: intro.subject, pending: false)
        }
        let pending = try store.versions(of: key.path).first { $0.isPending && $0.objectID == key.objectID }
        return Version(path: key.path, id: key.objectID.prefixed, size: pending?.size, commit: nil, author: nil,
                       time: nil, timeOffsetMinutes: nil, subject: nil, pending: pending != nil)
    }
}

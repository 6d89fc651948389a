import Basics
import ObjectStore

/// `cairn status`: how the work tree differs from the pointers (and from the outputs lock files record). Reads
/// only files whose stat data the stat cache cannot vouch for, so a status with nothing changed costs about one
/// lstat per file.
public enum StatusOperation {
    public enum State: String, Codable, Sendable {
        case unchanged, modified, deleted
        case notInCache = "not-in-cache"
    }

    public struct Change: Codable, Sendable, Equatable {
        public var path: String
        public var change: String   // added | modified | removed
    }

    public struct Entry: Codable, Sendable {
        public var path: String
        /// The pointer file, or the lock file that records this output.
        public var pointer: String
        public var state: State
        public var changes: [Change]
        /// For an output recorded in a lock file: the stage that wrote it (absent for pointers).
        public var stage: String?
        /// `false` for an output marked `push: false` (no remote has it: `pull` cannot bring it); absent otherwise.
        public var push: Bool?
    }

    /// With `unreadable`, a pointer that cannot be loaded is handed to it and the others are still checked.
    public static func run(repo: CairnRepository, arguments: [String], cwd: String,
                           unreadable: ((CairnError) -> Void)? = nil) throws -> [Entry] {
        let targets = try TargetResolver.trackedTargets(arguments, cwd: cwd, root: repo.root, unreadable: unreadable)
        PhaseTimer.mark("find pointers")
        return try run(repo: repo, targets: targets)
    }

    /// Status of already-loaded pointers (the pre-commit hook passes the staged ones).
    public static func run(repo: CairnRepository, targets: [TrackedData]) throws -> [Entry] {
        let identifier = try repo.makeFileIdentifier()
        PhaseTimer.mark("load stat cache")
        defer { identifier.save() }
        let entries = try targets.map { try status(of: $0, repo: repo, identifier: identifier) }
        PhaseTimer.mark("presence check")
        return entries
    }

    static func status(of target: TrackedData, repo: CairnRepository, identifier: FileIdentifier) throws -> Entry {
        var entry = Entry(path: target.dataPath, pointer: target.pointerPath, state: .unchanged, changes: [],
                          stage: target.stage, push: target.push ? nil : false)
        let abs = repo.absolute(target.dataPath)
        let observed = FS.nowNs()
        // Data the cache lacks is `not in cache` whatever the work tree holds: `modified` would invite a
        // `cairn add` that replaces a version the user never had, `deleted` a checkout that cannot work.
        if target.pointer.type == .file && !repo.store.hasFile(target.pointer.id)
            || target.pointer.type == .directory && !repo.store.hasObject(target.pointer.id) {
            entry.state = .notInCache
            return entry
        }
        guard let st = try FS.lstat(abs) else {
            if target.pointer.type == .directory, try !hasAllFiles(target, repo: repo) { entry.state = .notInCache }
            else { entry.state = .deleted }
            return entry
        }
        switch target.pointer.type {
        case .file:
            guard st.isRegular else { entry.state = .modified; return entry }
            let id = try identifier.hash(target.dataPath, absolute: abs, stat: st, observedNs: observed)
            if id != target.pointer.id { entry.state = .modified }
            else if st.isExecutable != target.pointer.executable { entry.state = .modified }
        case .directory:
            guard st.isDirectory else {
                entry.state = try hasAllFiles(target, repo: repo) ? .modified : .notInCache
                return entry
            }
            let recorded = try TreeBuilder.flatten(target.pointer.id, store: repo.store, dataPath: target.dataPath).files
            PhaseTimer.mark("flatten tree")
            let diff = try DirectoryComparison.compare(dataPath: target.dataPath, repo: repo, recorded: recorded,
                                                       identifier: identifier, identifyChanges: false)
            PhaseTimer.mark("compare directory")
            let prefix = target.dataPath + "/"
            entry.changes = diff.added.map { Change(path: prefix + $0, change: "added") }
                + diff.modified.map { Change(path: prefix + $0, change: "modified") }
                + diff.removed.map { Change(path: prefix + $0, change: "removed") }
            entry.changes.sort { Paths.bytewiseLess($0.path, $1.path) }
            // The changes are still listed: they say what a pull would have to reconcile.
            if !repo.store.hasFiles(recorded.values.lazy.map(\.id)) { entry.state = .notInCache }
            else if !diff.isClean { entry.state = .modified }
        }
        return entry
    }

    /// True when the cache holds every file of a tracked directory whose tree it holds.
    private static func hasAllFiles(_ target: TrackedData, repo: CairnRepository) throws -> Bool {
        let recorded = try TreeBuilder.flatten(target.pointer.id, store: repo.store, dataPath: target.dataPath).files
        return repo.store.hasFiles(recorded.values.lazy.map(\.id))
    }
}

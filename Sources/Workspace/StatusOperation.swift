import Basics
import ObjectStore

/// `cairn status`: how the work tree differs from the pointers. Reads only files whose stat data the stat
/// cache cannot vouch for, so a status with nothing changed costs about one lstat per file.
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
        public var pointer: String
        public var state: State
        public var changes: [Change]
    }

    public static func run(repo: CairnRepository, arguments: [String], cwd: String) throws -> [Entry] {
        let targets = try TargetResolver.trackedTargets(arguments, cwd: cwd, root: repo.root)
        PhaseTimer.mark("find pointers")
        let identifier = try repo.makeFileIdentifier()
        PhaseTimer.mark("load stat cache")
        defer { identifier.save() }
        let entries = try targets.map { try status(of: $0, repo: repo, identifier: identifier) }
        PhaseTimer.mark("presence check")
        return entries
    }

    static func status(of target: TrackedData, repo: CairnRepository, identifier: FileIdentifier) throws -> Entry {
        var entry = Entry(path: target.dataPath, pointer: target.pointerPath, state: .unchanged, changes: [])
        let abs = repo.absolute(target.dataPath)
        let observed = FS.nowNs()
        guard let st = try FS.lstat(abs) else {
            entry.state = .deleted
            return entry
        }
        switch target.pointer.type {
        case .file:
            guard st.isRegular else { entry.state = .modified; return entry }
            let id = try identifier.hash(target.dataPath, absolute: abs, stat: st, observedNs: observed)
            if id != target.pointer.id { entry.state = .modified }
            else if st.isExecutable != target.pointer.executable { entry.state = .modified }
            else if !repo.store.hasFile(id) { entry.state = .notInCache }
        case .directory:
            guard st.isDirectory else { entry.state = .modified; return entry }
            guard repo.store.hasObject(target.pointer.id) else { entry.state = .notInCache; return entry }
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
            if !diff.isClean { entry.state = .modified }
            else if !repo.store.hasFiles(recorded.values.lazy.map(\.id)) { entry.state = .notInCache }
        }
        return entry
    }
}

import Basics
import Workspace
import ObjectStore
import Remotes

/// What a remote holds: which pack each object is in, read from the remote's pack indexes.
///
/// Index files never change once written (they are named by their pack's hash), so each is downloaded once and
/// kept in `.cairn/remotes/<key>/index/`; loading the catalog costs one listing of `index/` plus the indexes
/// that are new since last time. Indexes that disappeared from the remote are dropped from the cache.
final class RemoteCatalog: @unchecked Sendable {
    let remote: any Remote
    let cacheDirectory: String
    private let state = Locked<[ObjectID: ObjectID]>([:])   // object id → pack id

    private init(remote: any Remote, cacheDirectory: String) {
        self.remote = remote
        self.cacheDirectory = cacheDirectory
    }

    /// The folder for a remote's cached indexes: keyed by the remote's location, not its name, so renaming a
    /// remote keeps the cache and two names for one place share it.
    static func cacheDirectory(dotCairn: String, remote: any Remote) -> String {
        let key = ObjectID.of(Array(remote.displayName.utf8)).hex.prefix(16)
        return Paths.join(dotCairn, "remotes", String(key), "index")
    }

    /// Lists the remote's indexes, downloads the ones not cached yet (in parallel, each checked against its
    /// checksum and name) and builds the object → pack map. A damaged index is reported on stderr and skipped:
    /// its objects count as absent, so a push sends them again.
    static func load(remote: any Remote, dotCairn: String, jobs: Int) throws -> RemoteCatalog {
        let catalog = RemoteCatalog(remote: remote, cacheDirectory: cacheDirectory(dotCairn: dotCairn, remote: remote))
        try FS.makeDirectories(catalog.cacheDirectory)
        let urlFile = Paths.join(Paths.parent(catalog.cacheDirectory), "url")
        if !FS.exists(urlFile) { try? FS.writeAtomically(urlFile, remote.displayName + "\n") }
        var onRemote = Set<ObjectID>()
        for file in try remote.list(prefix: RemoteLayout.indexPrefix) {
            if let id = RemoteLayout.packID(fromIndexName: file.name) { onRemote.insert(id) }
        }
        var cached = Set<ObjectID>()
        for (name, _) in try FS.listDirectory(catalog.cacheDirectory) {
            guard name.hasSuffix(".idx"), let id = ObjectID(hex: name.dropLast(4)) else { continue }
            if onRemote.contains(id) { cached.insert(id) } else {
                try? FS.removeFile(Paths.join(catalog.cacheDirectory, name))
            }
        }
        let packs = Array(onRemote)
        let alreadyCached = cached
        let problems = Locked<[String]>([])
        try Parallel.forEachBlocking(packs.count, workers: jobs) { i in
            let pack = packs[i]
            let path = Paths.join(catalog.cacheDirectory, pack.hex + ".idx")
            if !alreadyCached.contains(pack) { try remote.download(RemoteLayout.indexName(pack), to: path) }
            do {
                let decoded = try ObjectStore.decodePackIndex(try FS.readAll(path), path: RemoteLayout.indexName(pack))
                guard decoded.packID == pack else {
                    throw CairnError("\(RemoteLayout.indexName(pack)): belongs to pack \(decoded.packID.hex)")
                }
                catalog.add(decoded.ids, pack: pack)
            } catch let error as CairnError {
                try? FS.removeFile(path)
                problems.withLock { $0.append(error.message) }
            }
        }
        for problem in problems.snapshot.sorted() {
            Diagnostics.warning("remote \(remote.displayName): \(problem); its objects are treated as absent")
        }
        return catalog
    }

    private func add(_ ids: [ObjectID], pack: ObjectID) {
        state.withLock { map in for id in ids where map[id] == nil { map[id] = pack } }
    }

    /// Records a pack this process has just uploaded (its index is copied into the cache).
    func record(_ pack: ExportedPack) throws {
        let target = Paths.join(cacheDirectory, pack.id.hex + ".idx")
        try FS.writeAtomically(target, try FS.readAll(pack.indexPath))
        add(pack.ids, pack: pack.id)
    }

    func pack(containing id: ObjectID) -> ObjectID? { state.withLock { $0[id] } }
    func contains(_ id: ObjectID) -> Bool { pack(containing: id) != nil }
    var objectCount: Int { state.withLock { $0.count } }
}

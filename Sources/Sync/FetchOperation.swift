import Basics
import Workspace
import ObjectStore
import Remotes

/// `cairn fetch`: brings the objects of the selected data that the cache lacks from a remote.
///
/// A directory's files (and a large file's chunks) are known only once its tree (manifest) is here, so fetch
/// works in rounds: find what is missing, download the packs holding it (in parallel), import them, then look
/// into the trees and manifests that just arrived. A pack is downloaded once, so every manifest in it is kept:
/// push puts all manifests into packs of their own, so the manifest of a file inside a directory can arrive in
/// the same pack as a manifest asked for by name, one round before anyone knows it is needed. Every object is
/// verified before it enters the cache: pack records are decoded and hashed as they are imported, and a
/// manifest is stored only after its chunks have arrived and hash, in order, to the file's id.
public enum FetchOperation {
    public struct Result: Sendable {
        public var objectsFetched = 0
        public var packsFetched = 0
        public var bytesFetched: UInt64 = 0
        /// Targets whose data is neither in the cache nor on the remote (after the fetch).
        public var missing: [String] = []
        /// Objects or packs on the remote that failed verification, one message each.
        public var damaged: [String] = []
        /// Local packs that held a damaged copy of selected data and were moved to quarantine (one line each);
        /// their damaged objects were then fetched like missing ones.
        public var quarantined: [String] = []
    }

    /// With `stageManifests` (pull), downloaded manifests are staged instead of proven here: the checkout that
    /// follows proves them by hashing what it writes (ObjectStore+Staging.swift), and the caller proves the
    /// rest with `proveStagedManifests()`. That saves one full read of every large file.
    /// `verifyLocal` (on by default) first verifies the local copies of the selected data: a copy that fails is
    /// not "up to date" but damaged, so its pack is quarantined (good objects kept) and it is fetched again.
    public static func run(repo: CairnRepository, remote: any Remote, targets: [TransferTarget], jobs: Int,
                           stageManifests: Bool = false, verifyLocal: Bool = true,
                           progressEnabled: Bool = true) throws -> Result {
        let folder = try TransferFolder(cacheDirectory: repo.store.directory)
        defer { folder.remove() }
        try RemoteLayout.check(remote, create: false, scratch: folder.path)
        let catalog = try RemoteCatalog.load(remote: remote, dotCairn: repo.dotCairn, jobs: jobs)
        PhaseTimer.mark("remote catalog (\(catalog.objectCount) objects)")
        var result = Result()
        if verifyLocal {
            let failing = repo.store.failingObjects(reachableFrom: targets.map(\.id))
            if !failing.isEmpty { result.quarantined = try repo.store.quarantinePacks(holding: failing) }
            PhaseTimer.mark("verify local copies (\(failing.count) damaged)")
        }
        do {
            try fetchRounds(repo: repo, remote: remote, catalog: catalog, targets: targets, jobs: jobs,
                            folder: folder, stageManifests: stageManifests, progressEnabled: progressEnabled,
                            result: &result)
        } catch {
            // What was verified and imported before the failure stays: the next fetch resumes from there.
            try? repo.store.commit()
            throw error
        }
        try repo.store.commit()
        PhaseTimer.mark("commit")
        result.missing = try PushOperation.labelsMissing(try repo.store.closure(of: targets.map(\.id)).missing,
                                                         targets: targets, store: repo.store)
        return result
    }

    private static func fetchRounds(repo: CairnRepository, remote: any Remote, catalog: RemoteCatalog,
                                    targets: [TransferTarget], jobs: Int, folder: TransferFolder,
                                    stageManifests: Bool, progressEnabled: Bool, result: inout Result) throws {
        let store = repo.store
        var visited = Set<ObjectID>()
        var available: [ObjectID: [UInt8]] = [:]      // every manifest of the downloaded packs
        var manifests: [ObjectID: [UInt8]] = [:]      // the ones the targets reach, waiting for their chunks
        var downloaded = Set<ObjectID>()              // packs
        var queue = targets.map(\.id)
        var packSizes: [ObjectID: UInt64]?
        // One bar for all rounds: each round adds the packs it found to the total.
        let progress = Progress("Fetching", total: 0, unit: .bytes, enabled: progressEnabled, keepsFinalLine: true)
        defer { progress.finish() }
        while true {
            var need: [ObjectID] = []
            while let id = queue.popLast() {
                guard visited.insert(id).inserted else { continue }
                if let children = try store.children(of: id) {
                    queue.append(contentsOf: children)
                } else if let raw = available[id] {
                    manifests[id] = raw
                    queue.append(contentsOf: try ObjectStore.manifestChunks(raw, label: "remote \(remote.displayName)"))
                } else {
                    need.append(id)
                }
            }
            var packs = Set<ObjectID>()
            for id in need {
                // An object whose pack was already imported without it is not really on the remote.
                if let pack = catalog.pack(containing: id), !downloaded.contains(pack) { packs.insert(pack) }
            }
            if packs.isEmpty { break }
            // Pack sizes only serve the progress bar's total: no listing of packs/ when nothing is shown.
            if packSizes == nil { packSizes = progressEnabled ? try listPackSizes(remote) : [:] }
            let round = Array(packs)
            progress.addToTotal(Int64(round.reduce(UInt64(0)) { $0 + (packSizes?[$1] ?? 0) }))
            let gathered = Locked(Result())
            let arrived = Locked<[ObjectID: [UInt8]]>([:])
            try Parallel.forEachBlocking(round.count, workers: jobs) { i in
                let pack = round[i]
                let name = RemoteLayout.packName(pack)
                let local = folder.file(pack.hex + ".pack")
                defer { try? FS.removeFile(local) }
                try remote.download(name, to: local)
                let size = (try? FS.stat(local))??.size ?? 0
                do {
                    let imported = try store.importPack(at: local, expectedID: pack,
                                                        label: "remote \(remote.displayName): \(name)",
                                                        wantsManifest: { _ in true })
                    arrived.withLock { $0.merge(imported.manifests) { old, _ in old } }
                    gathered.withLock { $0.objectsFetched += imported.importedObjects }
                } catch let error as CairnError where !error.isLocalIO {
                    // The pack failed verification: damage on the remote. A local I/O failure (full disk,
                    // rename) is not the remote's fault: it propagates and stops the fetch as itself.
                    gathered.withLock { $0.damaged.append(error.message) }
                }
                CrashPoint.midFetch.reached()   // a pack imported, the fetch not finished
                progress.advance(by: Int64(size))
                gathered.withLock {
                    $0.packsFetched += 1
                    $0.bytesFetched += size
                }
            }
            let got = gathered.snapshot
            PhaseTimer.mark("fetch round: \(round.count) packs, \(Progress.human(Int64(got.bytesFetched)))")
            result.objectsFetched += got.objectsFetched
            result.packsFetched += got.packsFetched
            result.bytesFetched += got.bytesFetched
            result.damaged += got.damaged
            available.merge(arrived.snapshot) { old, _ in old }
            downloaded.formUnion(packs)
            // Look again at what was needed: now stored (expand a tree), waiting (a manifest's chunks), or gone.
            for id in need {
                visited.remove(id)
                queue.append(id)
            }
        }
        progress.finish()
        if stageManifests {
            for (id, raw) in manifests {
                let chunks = (try? ObjectStore.manifestChunks(raw, label: "")) ?? []
                guard chunks.allSatisfy({ store.hasObject($0) }) else { continue }   // reported as missing
                try store.stageManifest(id, raw: raw, label: "remote \(remote.displayName)")
                result.objectsFetched += 1
            }
        } else {
            try storeManifests(manifests, store: store, remote: remote, result: &result)
            PhaseTimer.mark("verify \(manifests.count) manifests")
        }
    }

    /// Verifies and stores the downloaded manifests whose chunks are all here (in parallel: each one reads
    /// and hashes its whole file).
    private static func storeManifests(_ manifests: [ObjectID: [UInt8]], store: ObjectStore, remote: any Remote,
                                       result: inout Result) throws {
        let ids = Array(manifests.keys)
        let damaged = Locked<[String]>([])
        let stored = Locked(0)
        try Parallel.forEach(ids.count) { i in
            let id = ids[i]
            let raw = manifests[id] ?? []
            let label = "remote \(remote.displayName)"
            let chunks = (try? ObjectStore.manifestChunks(raw, label: label)) ?? []
            guard chunks.allSatisfy({ store.hasObject($0) }) else { return }   // reported as missing
            do {
                try store.importManifest(id, raw: raw, label: label)
                stored.withLock { $0 += 1 }
            } catch let error as CairnError where !error.isLocalIO {
                damaged.withLock { $0.append(error.message) }
            }
        }
        result.objectsFetched += stored.snapshot
        result.damaged += damaged.snapshot.sorted()
    }

    private static func listPackSizes(_ remote: any Remote) throws -> [ObjectID: UInt64] {
        var sizes: [ObjectID: UInt64] = [:]
        for file in try remote.list(prefix: RemoteLayout.packsPrefix) where file.name.hasSuffix(".pack") {
            if let id = ObjectID(hex: Paths.basename(file.name).dropLast(5)) { sizes[id] = file.size }
        }
        return sizes
    }
}

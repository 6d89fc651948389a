import Basics
import Workspace
import ObjectStore
import Remotes

/// `cairn push`: sends the objects of the selected data that the remote lacks, packed (remote layout:
/// RemoteLayout), verified before they leave, uploaded in parallel while the next pack is built.
public enum PushOperation {
    public struct Result: Sendable {
        public var objectsSent = 0
        public var packsSent = 0
        public var bytesSent: UInt64 = 0
        /// Objects of the selection the remote already had.
        public var objectsPresent = 0
        /// Targets with data that is neither in the local cache nor on the remote (not pushed). Data missing
        /// here that the remote already has is fine: there is nothing to send.
        public var missingEverywhere: [String] = []
    }

    /// Packs sent to a remote are about this size: big enough that 100k small files cost a few dozen
    /// requests, small enough to spread over parallel uploads and to keep a partial pull cheap.
    public static let packTargetSize: UInt64 = 16 << 20

    public static func run(repo: CairnRepository, remote: any Remote, targets: [TransferTarget], jobs: Int,
                           progressEnabled: Bool = true) throws -> Result {
        var result = Result()
        let (present, missing) = try repo.store.closure(of: targets.map(\.id))
        PhaseTimer.mark("closure (\(present.count) objects)")
        let folder = try TransferFolder(cacheDirectory: repo.store.directory)
        defer { folder.remove() }
        try RemoteLayout.check(remote, create: true, scratch: folder.path)
        let catalog = try RemoteCatalog.load(remote: remote, dotCairn: repo.dotCairn, jobs: jobs)
        PhaseTimer.mark("remote catalog (\(catalog.objectCount) objects)")
        // What is missing here but on the remote (a clone that never pulled an old version) needs no sending.
        // The children of a missing tree are unknown: the tree being on the remote has to do.
        let unavailable = missing.filter { !catalog.contains($0) }
        if !unavailable.isEmpty {
            result.missingEverywhere = try labelsMissing(unavailable, targets: targets, store: repo.store)
        }
        let toSend = present.filter { !catalog.contains($0) }
        result.objectsPresent = present.count - toSend.count
        if toSend.isEmpty { return result }

        // Packs of an interrupted push may be on the remote without their index; the same objects in the same
        // order rebuild the same pack, which then needs only its index.
        var uploadedPacks: [String: UInt64] = [:]
        for file in try remote.list(prefix: RemoteLayout.packsPrefix) { uploadedPacks[file.name] = file.size }
        let alreadyUploaded = uploadedPacks

        let progress = Progress("Pushing", total: Int64(repo.store.storedSize(of: toSend)), unit: .bytes,
                                enabled: progressEnabled, keepsFinalLine: true)
        defer { progress.finish() }
        let totals = Locked(Result())
        let uploads = WorkQueue<ExportedPack>(workers: jobs, capacity: jobs + 1) { pack in
            let packName = RemoteLayout.packName(pack.id)
            if alreadyUploaded[packName] != pack.size {
                try remote.upload(localFile: pack.packPath, as: packName, knownSHA256: pack.id)
            }
            CrashPoint.midPush.reached()   // the pack is on the remote, its index not yet
            try remote.upload(localFile: pack.indexPath, as: RemoteLayout.indexName(pack.id))
            try catalog.record(pack)
            try? FS.removeFile(pack.packPath)
            try? FS.removeFile(pack.indexPath)
            progress.advance(by: Int64(pack.size))
            totals.withLock {
                $0.objectsSent += pack.objectCount
                $0.packsSent += 1
                $0.bytesSent += pack.size
            }
        }
        do {
            try repo.store.exportPacks(toSend, to: folder.path, targetSize: packTargetSize) { try uploads.submit($0) }
        } catch {
            try? uploads.finish()
            throw error
        }
        try uploads.finish()
        PhaseTimer.mark("export + upload")
        let sent = totals.snapshot
        result.objectsSent = sent.objectsSent
        result.packsSent = sent.packsSent
        result.bytesSent = sent.bytesSent
        return result
    }

    /// The labels of the targets whose closure reaches one of the `missing` objects.
    static func labelsMissing(_ missing: Set<ObjectID>, targets: [TransferTarget], store: ObjectStore) throws -> [String] {
        var labels: [String] = []
        for target in targets {
            if missing.contains(target.id) { labels.append(target.label); continue }
            if !(try store.closure(of: [target.id]).missing.isDisjoint(with: missing)) { labels.append(target.label) }
        }
        return labels
    }
}

import Basics

/// A pack written for a remote by `exportPacks`: `<id>.pack` and `<id>.idx` in the export folder, in the same
/// format as the packs of the local store, so the receiving side verifies it with the same code.
public struct ExportedPack: Sendable {
    public var id: ObjectID
    public var packPath: String
    public var indexPath: String
    /// The objects in the pack, in pack order.
    public var ids: [ObjectID]
    public var size: UInt64

    public var objectCount: Int { ids.count }
}

/// What importing one downloaded pack did.
public struct ImportedPack: Sendable {
    public var importedObjects = 0
    public var importedBytes: UInt64 = 0
    /// The decoded manifests that were asked for. They are not stored yet: a manifest is only known to be right
    /// once its chunks are in the cache and hash to the file's id (`importManifest`).
    public var manifests: [ObjectID: [UInt8]] = [:]
}

/// Moving objects between this store and a remote (issue 4): the closure of what to send, packs built from
/// stored records without recompressing them, and downloaded packs verified object by object before anything
/// enters the cache.
extension ObjectStore {
    /// Every stored object reachable from `roots`, ordered by where it is stored (so exported packs read the
    /// local packs sequentially and come out the same for the same store), and the reachable ids that are
    /// not stored (roots, or children of stored trees and manifests).
    public func closure(of roots: some Sequence<ObjectID>) throws -> (present: [ObjectID], missing: Set<ObjectID>) {
        var seen = Set<ObjectID>()
        var missingIDs = Set<ObjectID>()
        var found: [(id: ObjectID, pack: String, offset: UInt64)] = []
        var pending = Array(roots)
        while let id = pending.popLast() {
            guard seen.insert(id).inserted else { continue }
            guard let location = lookup(id) else {
                if let staged = stagedManifest(id) { pending.append(contentsOf: staged.manifest.chunks.map(\.id)) }
                else { missingIDs.insert(id) }
                continue
            }
            found.append((id, location.pack.path, location.entry.offset))
            switch location.entry.kind {
            case .blob: break
            case .manifest: pending.append(contentsOf: try readManifest(id)?.chunks.map(\.id) ?? [])
            case .tree: pending.append(contentsOf: try readTree(id).entries.map(\.id))
            }
        }
        found.sort { ($0.pack, $0.offset) < ($1.pack, $1.offset) }
        return (found.map(\.id), missingIDs)
    }

    /// The bytes the stored records of `ids` take (what a push of them sends, before pack framing).
    public func storedSize(of ids: [ObjectID]) -> UInt64 {
        ids.reduce(0) { $0 + (lookup($1)?.entry.recordLength ?? 0) }
    }

    /// The ids a stored object refers to (a tree's entries, a manifest's chunks, nothing for a blob); nil when
    /// the object is not stored.
    public func children(of id: ObjectID) throws -> [ObjectID]? {
        guard let location = lookup(id) else { return stagedManifest(id)?.manifest.chunks.map(\.id) }
        switch location.entry.kind {
        case .blob: return []
        case .manifest: return try readManifest(id)?.chunks.map(\.id) ?? []
        case .tree: return try readTree(id).entries.map(\.id)
        }
    }

    /// Writes the objects `ids` (all stored) into packs of about `targetSize` bytes in `directory` and hands
    /// each finished pack to `emit`, in order. Records are copied as stored; each is verified first (decoded
    /// and hashed, in parallel), so a damaged local object is reported here instead of being uploaded.
    /// Manifests go into packs of their own, after the rest: a pack without manifests holds only objects that
    /// verify by their own hash, so the receiver can adopt it whole (see `importPack`).
    public func exportPacks(_ ids: [ObjectID], to directory: String, targetSize: UInt64,
                            _ emit: (ExportedPack) throws -> Void) throws {
        let isManifest = { (id: ObjectID) in self.lookup(id)?.entry.kind == .manifest }
        try exportPacks(part: ids.filter { !isManifest($0) }, to: directory, targetSize: targetSize, emit)
        try exportPacks(part: ids.filter(isManifest), to: directory, targetSize: targetSize, emit)
    }

    private func exportPacks(part ids: [ObjectID], to directory: String, targetSize: UInt64,
                             _ emit: (ExportedPack) throws -> Void) throws {
        try FS.makeDirectories(directory)
        var writer: PackWriter?
        func finish() throws {
            guard let w = writer else { return }
            writer = nil
            let id = try w.finalize(packsDirectory: directory, temporaryDirectory: directory)
            try emit(ExportedPack(id: id, packPath: Paths.join(directory, id.hex + ".pack"),
                                  indexPath: Paths.join(directory, id.hex + ".idx"),
                                  ids: w.entries.map(\.id), size: w.size))
        }
        let batchSize = 128
        var start = 0
        while start < ids.count {
            let batch = Array(ids[start..<min(start + batchSize, ids.count)])
            start += batch.count
            let records = Locked<[Int: (IndexEntry, [UInt8])]>([:])
            try Parallel.forEach(batch.count) { i in
                guard let location = lookup(batch[i]) else { throw missing(batch[i]) }
                let bytes = try location.pack.readRecordBytes(location.entry)
                _ = try bytes.withUnsafeBytes { try location.pack.decodeRecord($0, entry: location.entry) }
                records.withLock { $0[i] = (location.entry, bytes) }
            }
            let ready = records.snapshot
            for i in 0..<batch.count {
                guard let (entry, bytes) = ready[i] else { continue }
                let w = try writer ?? PackWriter(temporaryDirectory: directory)
                writer = w
                try bytes.withUnsafeBytes { _ = try w.append(EncodedRecord(header: entry.header, bytes: $0)) }
                if w.size >= targetSize { try finish() }
            }
        }
        try finish()
    }

    /// The pack id and object ids listed in a pack index file (e.g. one downloaded from a remote). The index's
    /// own checksum is verified; offsets are checked against the pack when the pack itself is imported.
    public static func decodePackIndex(_ bytes: [UInt8], path: String) throws -> (packID: ObjectID, ids: [ObjectID]) {
        let decoded = try PackFormat.decodeIndex(bytes, path: path, packSize: UInt64.max)
        return (decoded.packID, decoded.entries.map(\.id))
    }

    /// Verifies a downloaded pack completely (every record decoded and hashed, the trailer, the file's hash
    /// against `expectedID`) and stores the blobs and trees it holds that are not stored yet. Manifests for
    /// which `wantsManifest` holds are returned decoded instead (see `importManifest`). `label` names the pack
    /// in messages (e.g. "remote origin: packs/ab/ab12….pack"). Nothing is stored from a pack that fails.
    ///
    /// A pack without manifests (push writes them into packs of their own) is adopted as it is: moved into the
    /// store with a new index, instead of copying its records (the file at `path` is gone afterwards).
    public func importPack(at path: String, expectedID: ObjectID, label: String,
                           wantsManifest: (ObjectID) -> Bool) throws -> ImportedPack {
        let pack = try PackFile.open(path)
        let scan = try PackScanner.scan(pack, expectedID: expectedID)
        guard scan.isIntact else {
            let reason = scan.summary.replacingOccurrences(of: " in \(path)", with: "")
            throw CairnError("\(label): fails verification: damaged pack (\(reason))")
        }
        let entries = scan.entries
        var result = ImportedPack()
        let fresh = entries.filter { !hasObject($0.id) }
        if !entries.contains(where: { $0.kind == .manifest }) {
            if !fresh.isEmpty { try adopt(pack, id: expectedID, entries: entries) }
            result.importedObjects = fresh.count
            result.importedBytes = fresh.reduce(0) { $0 + $1.recordLength }
            return result
        }
        for entry in fresh {
            if entry.kind == .manifest {
                if wantsManifest(entry.id) { result.manifests[entry.id] = try pack.readObject(entry) }
                continue
            }
            let bytes = try pack.readRecordBytes(entry)
            try bytes.withUnsafeBytes { try append(EncodedRecord(header: entry.header, bytes: $0)) }
            result.importedObjects += 1
            result.importedBytes += entry.recordLength
        }
        return result
    }

    /// Moves a verified pack into packs/ and makes its objects readable: fsync, index, rename, as a finished
    /// local pack. A pack of that name already here has the same bytes (names are content hashes).
    private func adopt(_ pack: PackFile, id: ObjectID, entries: [IndexEntry]) throws {
        let target = Paths.join(packsDirectory, id.hex + ".pack")
        // Durable before it is visible; the wait for the disk happens outside the store's lock, so parallel
        // imports and reads go on meanwhile.
        try FS.fsync(pack.fd, path: pack.path)
        try mutex.withLock {
            if FS.exists(target) { return }
            try FS.rename(pack.path, target)
            pack.path = target
            FS.fsyncDirectory(packsDirectory)
            try PackWriter.writeIndex(entries, packID: id, packsDirectory: packsDirectory,
                                      temporaryDirectory: temporaryDirectory)
            addLocked(LoadedPack(file: pack, entries: entries))
        }
    }

    /// The chunk ids a decoded manifest lists.
    public static func manifestChunks(_ raw: [UInt8], label: String) throws -> [ObjectID] {
        do { return try ChunkManifest.decode(raw).chunks.map(\.id) } catch let error as CairnError {
            throw CairnError("\(label): \(error.message)")
        }
    }

    /// Stores the manifest of file `id` once it is proven right: every chunk is stored and their content,
    /// in order, hashes to `id`. A manifest that fails is never stored (`label` names where it came from).
    public func importManifest(_ id: ObjectID, raw: [UInt8], label: String) throws {
        if hasObject(id) { return }
        // The chunks were verified on import; the whole-file hash proves the manifest lists the right ones.
        try stageManifest(id, raw: raw, label: label)
        if let failure = try proveStaged(id) { throw failure }
    }
}

extension IndexEntry {
    /// The record header this entry was read from.
    var header: RecordHeader {
        RecordHeader(kind: kind, codec: codec, storedLength: storedLength, rawLength: rawLength, id: id)
    }
}

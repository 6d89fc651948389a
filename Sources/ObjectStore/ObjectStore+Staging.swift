import Basics

/// Manifests that arrived from a remote, all of whose chunks are stored, but whose whole-file hash has not been
/// checked yet. A pull would otherwise read every chunk twice: once to prove the manifest, once to write the
/// file. A staged manifest is proven by the first full read instead — `materialize` hashes what it writes and
/// only renames the file into place, and stores the manifest, when it matches — and `proveStagedManifests`
/// proves the rest. Staged manifests live only in memory: they are never in a pack until proven, so nothing
/// unverified enters the cache, and a crash simply forgets them.
struct StagedManifest {
    var raw: [UInt8]
    var manifest: ChunkManifest
    /// Where it came from, for messages ("remote origin").
    var label: String
}

extension ObjectStore {
    /// Stages the downloaded manifest of file `id` (see above). Throws when it does not decode or a chunk is
    /// missing; a manifest already stored is left alone.
    public func stageManifest(_ id: ObjectID, raw: [UInt8], label: String) throws {
        if hasObject(id) { return }
        let manifest: ChunkManifest
        do { manifest = try ChunkManifest.decode(raw) } catch let error as CairnError {
            throw CairnError("\(label): object sha256:\(id.hex) fails verification (\(error.message))")
        }
        for chunk in manifest.chunks where !hasObject(chunk.id) {
            throw CairnError("\(label): chunk sha256:\(chunk.id.hex) of sha256:\(id.hex) is missing")
        }
        mutex.withLock { staged[id] = StagedManifest(raw: raw, manifest: manifest, label: label) }
    }

    func stagedManifest(_ id: ObjectID) -> StagedManifest? { mutex.withLock { staged[id] } }

    /// Stores a staged manifest whose content has just been hashed to `id` by the caller.
    func promoteStaged(_ id: ObjectID) throws {
        guard let entry = mutex.withLock({ staged.removeValue(forKey: id) }) else { return }
        try entry.raw.withUnsafeBytes { buffer in
            try EncodedRecord.encode(kind: .manifest, id: id, raw: buffer, level: compressionLevel) { try append($0) }
        }
    }

    /// Drops a staged manifest that failed its proof and returns the message naming it.
    func rejectStaged(_ id: ObjectID) -> CairnError {
        let label = mutex.withLock { staged.removeValue(forKey: id)?.label } ?? "staged manifest"
        return CairnError("\(label): object sha256:\(id.hex) fails verification (its chunks do not hash to its id)")
    }

    /// Proves every manifest still staged (in parallel: each reads and hashes its whole file) and stores the
    /// ones that hold; returns one message per manifest that failed.
    public func proveStagedManifests() throws -> [String] {
        let ids = mutex.withLock { Array(staged.keys) }
        let failures = Locked<[String]>([])
        try Parallel.forEach(ids.count) { i in
            if let failure = try self.proveStaged(ids[i]) { failures.withLock { $0.append(failure.message) } }
        }
        return failures.snapshot.sorted()
    }

    /// Reads a staged manifest's chunks and hashes them: stores it when they hash to `id`, drops it and returns
    /// the error naming it when they do not. Nothing to do (nil) when it is no longer staged.
    func proveStaged(_ id: ObjectID) throws -> CairnError? {
        guard let entry = stagedManifest(id) else { return nil }
        var hasher = ContentHasher()
        try streamChunks(entry.manifest, of: id) { hasher.update($0) }
        guard hasher.finalize() == id else { return rejectStaged(id) }
        try promoteStaged(id)
        return nil
    }
}

import Basics

extension ObjectStore {
    /// Checks a file object completely: its blob, or its manifest, every chunk and the reassembled hash.
    /// Problems are collected, not thrown, so one run reports every damaged chunk.
    public func verifyFile(_ id: ObjectID) -> [ObjectProblem] {
        guard let location = lookup(id) else {
            return [ObjectProblem(id: id, kind: isDamaged(id) ? .corrupt : .missing, detail: missing(id).message)]
        }
        let bytes: [UInt8]
        do { bytes = try location.pack.readObject(location.entry) } catch {
            return [ObjectProblem(id: id, kind: .corrupt, detail: "\(error)")]
        }
        guard location.entry.kind == .manifest else { return [] }
        let manifest: ChunkManifest
        do { manifest = try ChunkManifest.decode(bytes) } catch {
            return [ObjectProblem(id: id, kind: .corrupt, detail: location.pack.corrupt(id, "\(error)").message)]
        }
        var problems: [ObjectProblem] = []
        var hasher = ContentHasher()
        for chunk in manifest.chunks {
            guard hasObject(chunk.id) else {
                problems.append(ObjectProblem(id: chunk.id, kind: isDamaged(chunk.id) ? .corrupt : .missing,
                                              detail: "\(missing(chunk.id).message) (chunk of sha256:\(id.hex))"))
                continue
            }
            do {
                let content = try readChunk(chunk, of: id)
                if problems.isEmpty { hasher.update(content) }
            } catch {
                problems.append(ObjectProblem(id: chunk.id, kind: .corrupt, detail: "\(error)"))
            }
        }
        if problems.isEmpty && hasher.finalize() != id {
            problems.append(ObjectProblem(id: id, kind: .corrupt,
                                          detail: location.pack.corrupt(id, "reassembled chunks do not match the file's hash").message))
        }
        return problems
    }

    /// Reads and verifies every record in every pack (in parallel), including shadowed duplicates.
    public func verifyAll() -> [ObjectProblem] {
        let work: [(PackFile, IndexEntry)] = mutex.withLock {
            var all: [(PackFile, IndexEntry)] = []
            for pack in packs { for entry in pack.entries { all.append((pack.file, entry)) } }
            if let w = writer {
                do { try w.flush() } catch { abandonWriterLocked(error) }
                for entry in writer?.entries ?? [] { all.append((w.file, entry)) }
            }
            return all
        }
        let problems = Locked<[ObjectProblem]>([])
        try? Parallel.forEach(work.count) { i in
            let (file, entry) = work[i]
            do { _ = try file.readObject(entry) } catch {
                problems.withLock { $0.append(ObjectProblem(id: entry.id, kind: .corrupt, detail: "\(error)")) }
            }
        }
        return problems.snapshot.sorted { $0.id < $1.id }
    }
}

extension ObjectStore {
    /// The objects reachable from `roots` that are stored but fail verification (decoded and hashed, blobs and
    /// chunks in parallel). A tree or manifest that fails is not followed. Unstored ids are skipped: this
    /// answers "is what we have intact", not "is everything here" (`closure(of:)` answers that).
    public func failingObjects(reachableFrom roots: some Sequence<ObjectID>) -> Set<ObjectID> {
        var seen = Set<ObjectID>()
        var failing = Set<ObjectID>()
        var leaves: [ObjectID] = []
        var pending = Array(roots)
        while let id = pending.popLast() {
            guard seen.insert(id).inserted, let location = lookup(id) else { continue }
            do {
                switch location.entry.kind {
                case .blob: leaves.append(id)
                case .manifest: pending.append(contentsOf: try readManifest(id)?.chunks.map(\.id) ?? [])
                case .tree: pending.append(contentsOf: try readTree(id).entries.map(\.id))
                }
            } catch {
                failing.insert(id)
            }
        }
        return failing.union(failingObjects(leaves))
    }
}

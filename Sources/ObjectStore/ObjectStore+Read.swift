#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Basics
import Dispatch

extension ObjectStore {
    public func readTree(_ id: ObjectID) throws -> Tree {
        let (kind, bytes, location) = try read(id)
        guard kind == .tree else { throw CairnError("object sha256:\(id.hex) is a \(kind.name), not a tree") }
        do {
            return try Tree.decode(bytes)
        } catch let error as CairnError {
            throw location.pack.corrupt(id, error.message)
        }
    }

    /// The size of a stored file's content (a blob's length, or a manifest's total), without reading chunks.
    /// nil when the id is not a stored file. Lets fsck check the sizes pointer files claim.
    public func fileSize(_ id: ObjectID) throws -> UInt64? {
        guard let location = lookup(id) else { return nil }
        switch location.entry.kind {
        case .blob: return location.entry.rawLength
        case .tree: return nil
        case .manifest: return try readManifest(id)?.totalSize
        }
    }

    /// The chunk list of a large file; nil when the file is stored as a single blob.
    func readManifest(_ id: ObjectID) throws -> ChunkManifest? {
        let (kind, bytes, location) = try read(id)
        switch kind {
        case .blob: return nil
        case .tree: throw CairnError("object sha256:\(id.hex) is a tree, not a file")
        case .manifest:
            do { return try ChunkManifest.decode(bytes) } catch let error as CairnError {
                throw location.pack.corrupt(id, error.message)
            }
        }
    }

    /// Writes a file's content to `destination`: into a temp file next to it, every chunk verified, the
    /// whole content checked against `id`, mode 0644 or 0755, then renamed over the destination. On any
    /// error the destination is left as it was. Workspace files are not fsynced: the store can recreate them.
    /// `temporaryDirectory` should be on the destination's file system and swept after a crash (the
    /// workspace passes `.cairn/tmp`, so a killed checkout leaves no debris in the work tree); by default the
    /// temp file goes next to the destination. If the rename crosses file systems, it is retried there.
    public func materialize(_ id: ObjectID, to destination: String, executable: Bool,
                            temporaryDirectory: String? = nil) throws {
        let location = lookup(id)
        let staged = location == nil ? stagedManifest(id) : nil
        if location == nil && staged == nil { throw missing(id) }
        let parent = Paths.parent(destination)
        let directory = temporaryDirectory ?? (parent.isEmpty ? "." : parent)
        // A short name: the destination's own name may already be at NAME_MAX.
        let tmp = Paths.join(directory, ".cairn-tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 { throw CairnError.posix("open", tmp, errno: errno) }
        var closed = false
        do {
            if let location {
                switch location.entry.kind {
                case .blob:
                    let bytes = try location.pack.readObject(location.entry)
                    try bytes.withUnsafeBytes { try FS.writeAll(fd, $0, path: tmp) }
                case .manifest:
                    try writeChunks(of: id, location: location, to: fd, path: tmp)
                case .tree:
                    throw CairnError("object sha256:\(id.hex) is a tree, not a file")
                }
            } else if let staged {
                // Writing the file is the staged manifest's proof: the content must hash to its id.
                var hasher = ContentHasher()
                try streamChunks(staged.manifest, of: id) { bytes in
                    hasher.update(bytes)
                    try bytes.withUnsafeBytes { try FS.writeAll(fd, $0, path: tmp) }
                }
                guard hasher.finalize() == id else { throw rejectStaged(id) }
                try promoteStaged(id)
            }
            if fchmod(fd, executable ? 0o755 : 0o644) != 0 { throw CairnError.posix("fchmod", tmp, errno: errno) }
            closed = true
            if close(fd) != 0 { throw CairnError.posix("close", tmp, errno: errno) }
            if rename(tmp, destination) != 0 {
                let err = errno
                unlink(tmp)
                if err == EXDEV && temporaryDirectory != nil {
                    return try materialize(id, to: destination, executable: executable, temporaryDirectory: nil)
                }
                throw CairnError.posix("rename to \(destination)", tmp, errno: err)
            }
        } catch {
            if !closed { close(fd) }
            unlink(tmp)
            throw error
        }
    }

    /// Reassembles a chunked file into `fd`, computing the whole-file hash on the way; nothing is renamed into
    /// place unless it matches `id`.
    private func writeChunks(of id: ObjectID, location: Location, to fd: Int32, path: String) throws {
        let manifestBytes = try location.pack.readObject(location.entry)
        let manifest: ChunkManifest
        do { manifest = try ChunkManifest.decode(manifestBytes) } catch let error as CairnError {
            throw location.pack.corrupt(id, error.message)
        }
        var hasher = ContentHasher()
        try streamChunks(manifest, of: id) { bytes in
            hasher.update(bytes)
            try bytes.withUnsafeBytes { try FS.writeAll(fd, $0, path: path) }
        }
        guard hasher.finalize() == id else {
            throw try corruptChunk(in: manifest, of: id)
                ?? location.pack.corrupt(id, "reassembled chunks do not match the file's hash")
        }
    }

    /// Hands the content of a chunked file to `body`, chunk by chunk, in order. Chunks are read and decompressed
    /// in parallel in windows of a few per worker (bounded memory: two windows at a time), and the next window
    /// is decompressed while `body` hashes and writes the current one. Chunk hashes are not checked here: every
    /// caller hashes the whole file, which covers each chunk, and `corruptChunk` names the culprit when that fails.
    func streamChunks(_ manifest: ChunkManifest, of id: ObjectID, _ body: ([UInt8]) throws -> Void) throws {
        let chunks = manifest.chunks
        let window = max(2, Parallel.workers * 4)
        let load: @Sendable (Int) -> Result<[[UInt8]], Error> = { start in
            let batch = Array(chunks[start..<min(start + window, chunks.count)])
            let contents = Locked([[UInt8]](repeating: [], count: batch.count))
            do {
                try Parallel.forEach(batch.count) { i in
                    let bytes = try self.readChunk(batch[i], of: id, verifyHash: false)
                    contents.withLock { $0[i] = bytes }
                }
            } catch { return .failure(error) }
            return .success(contents.snapshot)
        }
        var start = 0
        var current = chunks.isEmpty ? [] : try load(0).get()
        while !current.isEmpty {
            let nextStart = start + current.count
            let next = Locked<Result<[[UInt8]], Error>>(.success([]))
            let prefetch = DispatchGroup()
            if nextStart < chunks.count {
                DispatchQueue.global().async(group: prefetch) { next.withLock { $0 = load(nextStart) } }
            }
            do {
                for bytes in current { try body(bytes) }
            } catch {
                prefetch.wait()
                throw error
            }
            prefetch.wait()
            current = try next.snapshot.get()
            start = nextStart
        }
    }

    /// After a whole-file hash mismatch: the first chunk that fails its own verification, to name it.
    func corruptChunk(in manifest: ChunkManifest, of id: ObjectID) throws -> CairnError? {
        for chunk in manifest.chunks {
            do { _ = try readChunk(chunk, of: id) } catch let error as CairnError { return error }
        }
        return nil
    }

    /// One verified chunk of the file `file`.
    func readChunk(_ chunk: ChunkManifest.Chunk, of file: ObjectID, verifyHash: Bool = true) throws -> [UInt8] {
        guard let location = lookup(chunk.id) else {
            throw CairnError("object sha256:\(chunk.id.hex) is not in the cache (chunk of sha256:\(file.hex))")
        }
        guard location.entry.kind == .blob else {
            throw location.pack.corrupt(chunk.id, "a chunk of sha256:\(file.hex) is a \(location.entry.kind.name)")
        }
        let bytes = try location.pack.readObject(location.entry, verifyHash: verifyHash)
        guard bytes.count == Int(chunk.length) else {
            throw location.pack.corrupt(chunk.id, "chunk is \(bytes.count) bytes, the manifest says \(chunk.length)")
        }
        return bytes
    }
}

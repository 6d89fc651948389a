#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Basics
import Dispatch

extension ObjectStore {
    /// Stores a file's content and returns its id (SHA-256 of the content) and size. A file smaller than the
    /// chunker's maximum (or one that makes a single chunk) is one blob; a larger one becomes chunk blobs and
    /// a manifest stored under the file's id. Safe to call from many threads at once.
    public func storeFile(path: String, progress: Progress? = nil) throws -> (id: ObjectID, size: UInt64) {
        let fd = try FS.openRead(path)
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) != 0 { throw CairnError.posix("fstat", path, errno: errno) }
        if st.st_size < chunker.parameters.maxSize {
            if let small = try storeSmallFile(fd: fd, path: path, expectedSize: Int(st.st_size)) {
                progress?.advance(by: Int64(small.size))
                return small
            }
            // The file grew past the chunk limit since stat: start over as a large file.
            if lseek(fd, 0, SEEK_SET) < 0 { throw CairnError.posix("lseek", path, errno: errno) }
        }
        return try storeLargeFile(fd: fd, path: path, progress: progress)
    }

    /// One read, one hash, one compression. Returns nil when the file turns out to be too big for one blob.
    private func storeSmallFile(fd: Int32, path: String, expectedSize: Int) throws -> (id: ObjectID, size: UInt64)? {
        let capacity = expectedSize + 1
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        let n = try FS.readFully(fd, into: buffer, path: path)
        if n == capacity { return nil }
        let content = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
        let id = ObjectID.of(content)
        try storeBlob(id: id, content: content)
        return (id, UInt64(n))
    }

    private func storeBlob(id: ObjectID, content: UnsafeRawBufferPointer) throws {
        if hasObject(id) { return }
        try EncodedRecord.encode(kind: .blob, id: id, raw: content, level: compressionLevel) { try append($0) }
    }

    public func storeTree(_ tree: Tree) throws -> ObjectID {
        try tree.validate()
        let bytes = tree.encode()
        let id = ObjectID.of(bytes)
        if hasObject(id) { return id }
        try bytes.withUnsafeBytes { raw in
            try EncodedRecord.encode(kind: .tree, id: id, raw: raw, level: compressionLevel) { try append($0) }
        }
        return id
    }

    /// The pipeline for large files. This thread reads 8 MiB blocks, cuts chunks and feeds the whole-file
    /// hash; worker threads hash, compress and append the chunks. The store's semaphore bounds the chunks in
    /// flight across all large files being stored, so memory stays under about 32 x maxSize (plus 9 MiB of
    /// read buffer per caller) whatever the file sizes. A slot is released when its chunk is done, which
    /// never waits on a reader, so callers cannot deadlock each other.
    private func storeLargeFile(fd: Int32, path: String, progress: Progress?) throws -> (id: ObjectID, size: UInt64) {
        let maxSize = chunker.parameters.maxSize
        let capacity = max(8 << 20, 2 * maxSize) + maxSize
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 64)
        defer { buffer.deallocate() }

        let job = LargeFileJob(store: self, slots: chunkSlots, progress: progress)
        var fileHasher = ContentHasher()
        var total: UInt64 = 0
        var start = 0, end = 0, atEnd = false
        while true {
            if !atEnd {
                if start > 0 {
                    // Keep the uncut tail (< maxSize) at the front and read the next block behind it.
                    if end > start { memmove(buffer.baseAddress!, buffer.baseAddress! + start, end - start) }
                    end -= start
                    start = 0
                }
                let wanted = capacity - end
                let n = try FS.readFully(fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[end..<capacity]), path: path)
                fileHasher.update(UnsafeRawBufferPointer(rebasing: buffer[end..<end + n]))
                end += n
                total += UInt64(n)
                atEnd = n < wanted
            }
            // Cut only where at least maxSize bytes are visible (or the file ends), so cut points never
            // depend on how the file happened to be read.
            while end - start >= maxSize || (atEnd && end > start) {
                let length = chunker.cutPoint(UnsafeRawBufferPointer(rebasing: buffer[start..<end]))
                job.submit(UnsafeRawBufferPointer(rebasing: buffer[start..<start + length]))
                start += length
            }
            if atEnd || job.failed { break }
        }
        let chunks = try job.finish()
        let fileID = fileHasher.finalize()
        // One chunk is the whole file: it is already stored as a blob under the file's id.
        if chunks.count > 1 {
            let manifest = ChunkManifest(chunks: chunks).encode()
            if !hasObject(fileID) {
                try manifest.withUnsafeBytes {
                    try EncodedRecord.encode(kind: .manifest, id: fileID, raw: $0, level: compressionLevel) { try append($0) }
                }
            }
        } else if chunks.isEmpty {
            try storeBlob(id: fileID, content: UnsafeRawBufferPointer(start: nil, count: 0))
        }
        return (fileID, total)
    }
}

/// The chunks of one large file in flight on worker threads, and their results in file order.
private final class LargeFileJob: @unchecked Sendable {
    private let store: ObjectStore
    private let progress: Progress?
    private let slots: DispatchSemaphore
    private let group = DispatchGroup()
    private let queue = DispatchQueue.global(qos: .userInitiated)
    private let results = Locked<[ChunkManifest.Chunk?]>([])
    private let failure = Locked<Error?>(nil)

    init(store: ObjectStore, slots: DispatchSemaphore, progress: Progress?) {
        self.store = store
        self.progress = progress
        self.slots = slots
    }

    var failed: Bool { failure.snapshot != nil }

    /// Copies the chunk (the read buffer is reused) and hands it to a worker.
    func submit(_ bytes: UnsafeRawBufferPointer) {
        slots.wait()
        let index = results.withLock { r -> Int in
            r.append(nil)
            return r.count - 1
        }
        let copy = ChunkBytes(bytes)
        group.enter()
        queue.async { [self] in
            defer {
                slots.signal()
                group.leave()
            }
            if failed { return }
            do {
                let content = copy.bytes
                let id = ObjectID.of(content)
                if !store.hasObject(id) {
                    try EncodedRecord.encode(kind: .blob, id: id, raw: content, level: store.compressionLevel) {
                        try store.append($0)
                    }
                }
                results.withLock { $0[index] = ChunkManifest.Chunk(id: id, length: UInt32(content.count)) }
                progress?.advance(by: Int64(content.count))
            } catch {
                failure.withLock { if $0 == nil { $0 = error } }
            }
        }
    }

    /// Waits for every chunk; rethrows the first failure.
    func finish() throws -> [ChunkManifest.Chunk] {
        group.wait()
        if let error = failure.snapshot { throw error }
        return try results.snapshot.map { chunk in
            guard let chunk else { throw CairnError.bug("a chunk finished without a result") }
            return chunk
        }
    }
}

/// An owned copy of one chunk's bytes.
private final class ChunkBytes: @unchecked Sendable {
    private let storage: UnsafeMutableRawBufferPointer

    init(_ source: UnsafeRawBufferPointer) {
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: source.count, alignment: 16)
        storage.copyMemory(from: source)
    }

    deinit { storage.deallocate() }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(storage) }
}

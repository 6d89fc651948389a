#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Basics

/// An open pack. Reads use pread on one descriptor opened once, so any number of threads can read at the
/// same time. The active pack of a writer is a PackFile too (opened read-write), so objects are readable
/// before commit; finalizing renames it and only the path changes.
final class PackFile: @unchecked Sendable {
    let fd: Int32
    private let currentPath: Locked<String>

    var path: String {
        get { currentPath.snapshot }
        set { currentPath.withLock { $0 = newValue } }
    }

    init(fd: Int32, path: String) {
        self.fd = fd
        currentPath = Locked(path)
    }

    static func open(_ path: String) throws -> PackFile {
        PackFile(fd: try FS.openRead(path), path: path)
    }

    deinit { close(fd) }

    var size: UInt64 {
        var st = stat()
        return fstat(fd, &st) == 0 ? UInt64(st.st_size) : 0
    }

    func corrupt(_ id: ObjectID, _ detail: String) -> CairnError {
        CairnError("object sha256:\(id.hex) is corrupt (\(detail)) in \(path)")
    }

    /// Reads exactly buffer.count bytes at `offset`; false at a short read (truncated pack).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws -> Bool {
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if n < 0 { if errno == EINTR { continue }; throw CairnError.posix("pread", path, errno: errno) }
            if n == 0 { return false }
            done += n
        }
        return true
    }

    /// Reads a whole record (header and stored bytes) as written, checking that its header matches the index.
    func readRecordBytes(_ entry: IndexEntry) throws -> [UInt8] {
        let total = Int(entry.recordLength)
        var bytes = [UInt8](repeating: 0, count: total)
        let complete = try bytes.withUnsafeMutableBytes { try read(into: $0, at: entry.offset) }
        guard complete else { throw corrupt(entry.id, "pack is truncated") }
        let header = bytes.withUnsafeBytes { RecordHeader.parse($0) }
        guard let header, header == RecordHeader(kind: entry.kind, codec: entry.codec, storedLength: entry.storedLength,
                                                 rawLength: entry.rawLength, id: entry.id) else {
            throw corrupt(entry.id, "record header does not match the index")
        }
        return bytes
    }

    /// The object's raw bytes, decompressed and verified: blobs and trees must hash to their id; a manifest
    /// is checked by its own checksum when decoded.
    /// `verifyHash: false` skips only the hash of a blob or tree, for callers that hash the content anyway
    /// (a chunked file's whole-file hash covers every chunk in it).
    func readObject(_ entry: IndexEntry, verifyHash: Bool = true) throws -> [UInt8] {
        let record = try readRecordBytes(entry)
        return try record.withUnsafeBytes { try decodeRecord($0, entry: entry, verifyHash: verifyHash) }
    }

    /// Decodes one record (header included) and verifies its content.
    func decodeRecord(_ record: UnsafeRawBufferPointer, entry: IndexEntry, verifyHash: Bool = true) throws -> [UInt8] {
        let stored = UnsafeRawBufferPointer(rebasing: record[RecordHeader.size...])
        // Check the declared sizes before allocating: a damaged header must not make us allocate terabytes.
        guard entry.rawLength <= UInt64(UInt32.max) else { throw corrupt(entry.id, "impossible size \(entry.rawLength)") }
        if entry.codec == .zstd && Zstd.frameContentSize(stored) != entry.rawLength {
            throw corrupt(entry.id, "zstd frame size does not match the record")
        }
        var raw: [UInt8]
        switch entry.codec {
        case .raw:
            raw = Array(stored)
        case .zstd:
            // Not zero-filled first: zstd writes every byte (the frame's size was checked above and the
            // decompressor fails unless it fills the buffer exactly).
            do {
                raw = try [UInt8](unsafeUninitializedCapacity: Int(entry.rawLength)) { buffer, initialized in
                    try Zstd.decompress(stored, into: UnsafeMutableRawBufferPointer(buffer))
                    initialized = buffer.count
                }
            } catch let error as CairnError {
                throw corrupt(entry.id, error.message)
            }
        }
        if entry.kind != .manifest {
            guard !verifyHash || ObjectID.of(raw) == entry.id else { throw corrupt(entry.id, "content does not match its hash") }
        } else {
            do { _ = try ChunkManifest.decode(raw) } catch let error as CairnError {
                throw corrupt(entry.id, error.message)
            }
        }
        return raw
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Basics

/// The pack being written: a temp file in cache/tmp that records are appended to. Callers serialise calls
/// (the store's mutex). `finalize` makes it durable and visible: trailer, fsync, rename into packs/ under
/// the SHA-256 of its bytes, then its index written atomically. Until then a crash leaves only a temp file,
/// which `sweepTemporaryFiles` deletes.
final class PackWriter {
    let file: PackFile
    private(set) var size: UInt64
    private(set) var entries: [IndexEntry] = []
    private var hasher = ContentHasher()
    /// Records are gathered here and written in large blocks: one write(2) per small object made the pack
    /// append the hot spot of adding 100k small files (a syscall each, under the store's mutex).
    private var buffer: [UInt8] = []
    private static let bufferLimit = 4 << 20

    init(temporaryDirectory: String) throws {
        let path = Paths.join(temporaryDirectory,
                              "pack-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).pack")
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)   // the umask decides (cache.shared)
        if fd < 0 { throw CairnError.posix("open", path, errno: errno) }
        file = PackFile(fd: fd, path: path)
        size = 0
        let header = PackFormat.packHeader()
        try header.withUnsafeBytes { try write($0) }
    }

    var isEmpty: Bool { entries.isEmpty }

    /// Appends a record and returns where it went. A failed write is cut off again so the pack stays valid.
    func append(_ record: EncodedRecord) throws -> IndexEntry {
        let entry = IndexEntry(record.header, offset: size)
        try write(record.bytes)
        entries.append(entry)
        return entry
    }

    private func write(_ bytes: UnsafeRawBufferPointer) throws {
        if buffer.capacity < PackWriter.bufferLimit { buffer.reserveCapacity(PackWriter.bufferLimit + (1 << 20)) }
        buffer.append(contentsOf: bytes)
        hasher.update(bytes)
        size += UInt64(bytes.count)
        if buffer.count >= PackWriter.bufferLimit { try flush() }
    }

    /// Writes buffered records to the file, so that they can be read back with pread. A failure leaves the
    /// writer unusable: the store forgets all of its objects (they were never made durable).
    func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try FS.writeAll(file.fd, $0, path: file.path) }
        buffer.removeAll(keepingCapacity: true)
        CrashPoint.afterPackAppend.reached()
    }

    /// Writes the trailer and moves the pack and its index into `packsDirectory`. Returns the pack's id.
    func finalize(packsDirectory: String, temporaryDirectory: String) throws -> ObjectID {
        let trailer = PackFormat.trailer(recordCount: UInt32(truncatingIfNeeded: entries.count),
                                         checksum: hasher.finalize())
        try trailer.withUnsafeBytes { try write($0) }
        try flush()
        let packID = hasher.finalize()
        try FS.fsync(file.fd, path: file.path)
        let packPath = Paths.join(packsDirectory, packID.hex + ".pack")
        try FS.rename(file.path, packPath)
        file.path = packPath
        FS.fsyncDirectory(packsDirectory)
        try PackWriter.writeIndex(entries, packID: packID, packsDirectory: packsDirectory,
                                  temporaryDirectory: temporaryDirectory)
        return packID
    }

    /// Writes `<packID>.idx` atomically: temp file in tmp/, fsync, rename, fsync packs/.
    static func writeIndex(_ entries: [IndexEntry], packID: ObjectID, packsDirectory: String,
                           temporaryDirectory: String) throws {
        let bytes = PackFormat.encodeIndex(entries, packID: packID)
        let tmp = Paths.join(temporaryDirectory, "\(packID.hex)-\(UInt32.random(in: 0...UInt32.max)).idx")
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)   // the umask decides (cache.shared)
        if fd < 0 { throw CairnError.posix("open", tmp, errno: errno) }
        var closed = false
        do {
            try bytes.withUnsafeBytes { try FS.writeAll(fd, $0, path: tmp) }
            try FS.fsync(fd, path: tmp)
            close(fd)
            closed = true
            CrashPoint.beforeIndexRename.reached()
            try FS.rename(tmp, Paths.join(packsDirectory, packID.hex + ".idx"))
        } catch {
            if !closed { close(fd) }
            unlink(tmp)
            throw error
        }
        FS.fsyncDirectory(packsDirectory)
    }
}

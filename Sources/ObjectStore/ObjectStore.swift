#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Basics
import Dispatch

/// The content-addressed store under `.cairn/cache/`: every object lives in a pack in `packs/`, found
/// through the pack's index; packs being written live in `tmp/`. Thread-safe: any number of threads may
/// store and read at once. Layout and encodings: docs/formats.md, "The object store".
public final class ObjectStore: @unchecked Sendable {
    public static let formatVersion: Int = 1

    public let directory: String
    let packsDirectory: String
    let temporaryDirectory: String
    /// Damaged packs are moved here, never deleted (ObjectStore+Quarantine.swift).
    let quarantineDirectory: String
    let compressionLevel: Int32
    let chunker: Chunker
    let packTargetSize: UInt64
    /// Chunks of large files in flight (copied, being hashed or compressed), shared by all callers.
    let chunkSlots = DispatchSemaphore(value: 32)

    struct Location {
        let pack: PackFile
        let entry: IndexEntry
    }

    struct LoadedPack {
        let file: PackFile
        var entries: [IndexEntry]
    }

    // Guarded by `mutex`. Appends, lookups and finalizing all take it; compression and reads do not.
    let mutex = Mutex()
    var locations: [ObjectID: Location] = [:]
    var packs: [LoadedPack] = []
    var writer: PackWriter?
    /// Downloaded manifests waiting for their proof (ObjectStore+Staging.swift).
    var staged: [ObjectID: StagedManifest] = [:]
    /// Set when a pack that already held acknowledged objects could not be finalized; the next commit throws
    /// it, so no caller writes pointers to objects that were lost.
    var lostWrites: Error?
    /// Set when the packs directory could not even be listed; reported by `commit`.
    var loadFailure: Error?
    /// Packs in packs/ read without a usable index (by file name), with what the scan found.
    var scannedPacks: [String: PackScan] = [:]
    /// Objects known to be damaged: their record failed verification in a scanned or quarantined pack. An id
    /// here that is not in `locations` is reported as corrupt, not missing (ObjectStore+Quarantine.swift).
    var damagedRecords: [ObjectID: String] = [:]

    public convenience init(directory: String, compressionLevel: Int32 = 1) throws {
        try self.init(directory: directory, compressionLevel: compressionLevel, chunking: .standard,
                      packTargetSize: 64 << 20)
    }

    /// `chunking` and `packTargetSize` are injectable so tests can exercise chunked files and pack
    /// rollover with small inputs. Chunk boundaries are part of the format: use `.standard` in real stores.
    public init(directory: String, compressionLevel: Int32, chunking: Chunker.Parameters,
                packTargetSize: UInt64) throws {
        self.directory = directory
        packsDirectory = Paths.join(directory, "packs")
        temporaryDirectory = Paths.join(directory, "tmp")
        quarantineDirectory = Paths.join(directory, "quarantine")
        self.compressionLevel = compressionLevel
        guard chunking.isValid else { throw CairnError("invalid chunking parameters \(chunking)") }
        chunker = Chunker(chunking)
        self.packTargetSize = max(packTargetSize, 1)
        try FS.makeDirectories(packsDirectory)
        try FS.makeDirectories(temporaryDirectory)
        try checkFormatVersion()
        // Index loading (tens of ms for 100k objects) overlaps with the caller's own start-up work (the stat
        // cache, the directory scan): a background thread takes the mutex before init returns and holds it
        // until the indexes are loaded, so every other use of the store simply waits for it.
        let started = DispatchSemaphore(value: 0)
        DispatchQueue.global().async { [self] in
            mutex.withLock {
                started.signal()
                do { try loadIndexesLocked() } catch { loadFailure = error }
            }
        }
        started.wait()
    }

    /// `format` records the store version; a store written by a newer cairn is refused, not misread.
    private func checkFormatVersion() throws {
        let path = Paths.join(directory, "format")
        let expected = "cairn-store \(ObjectStore.formatVersion)"
        if FS.exists(path) {
            let found = try FS.readString(path).trimmingWhitespace
            guard found == expected else {
                throw CairnError("\(path): unsupported store format '\(found)' (this cairn reads '\(expected)')")
            }
        } else {
            try FS.writeAtomically(path, expected + "\n")
        }
    }

    /// Loads every index in packs/ into the id → location map. A pack without a usable index (a crash between
    /// pack and index, a deleted or damaged .idx, a truncated or renamed pack) is scanned in memory instead, so
    /// read-only commands neither report its good objects missing nor change anything; the next command holding
    /// the exclusive lock writes its index back or quarantines it (`sweepTemporaryFiles`).
    func loadIndexesLocked() throws {
        locations = [:]
        packs = []
        scannedPacks = [:]
        damagedRecords = loadQuarantineReports()
        let names = try FS.listDirectory(packsDirectory).map(\.name)
        for name in names where name.hasSuffix(".idx") {
            let stem = String(name.dropLast(4))
            let packPath = Paths.join(packsDirectory, stem + ".pack")
            guard FS.exists(packPath), let pack = try? PackFile.open(packPath) else { continue }
            guard let bytes = try? FS.readAll(Paths.join(packsDirectory, name)),
                  let decoded = try? PackFormat.decodeIndex(bytes, path: name, packSize: pack.size),
                  decoded.packID.hex == stem else { continue }
            addLocked(LoadedPack(file: pack, entries: decoded.entries))
        }
        let loaded = Set(packs.map { Paths.basename($0.file.path) })
        for name in names.sorted() where name.hasSuffix(".pack") && !loaded.contains(name) {
            let path = Paths.join(packsDirectory, name)
            guard let pack = try? PackFile.open(path),
                  let scan = try? PackScanner.scan(pack, expectedID: ObjectID(hex: name.dropLast(5))) else { continue }
            scannedPacks[name] = scan
            for (id, detail) in scan.damaged where damagedRecords[id] == nil { damagedRecords[id] = detail }
            addLocked(LoadedPack(file: pack, entries: scan.entries))
        }
    }

    /// What read-only commands should know about packs read without their index: one line each, for fsck.
    public var packNotices: [String] {
        mutex.withLock {
            scannedPacks.sorted { $0.key < $1.key }.map { name, scan in
                let path = Paths.join(packsDirectory, name)
                let index = FS.exists(String(path.dropLast(5)) + ".idx") ? "an unusable index" : "no index"
                if scan.isIntact {
                    return "\(path) has \(index); its \(Counted.of(scan.entries.count, "object")) were found by scanning it "
                        + "(the next command that writes, e.g. `cairn fsck --repair`, rebuilds the index)"
                }
                return "\(path) is a damaged pack (\(scan.summary)); \(Counted.of(scan.entries.count, "object")) in it verify "
                    + "(`cairn fsck --repair` keeps them and moves the pack to \(quarantineDirectory)/)"
            }
        }
    }

    func addLocked(_ pack: LoadedPack) {
        locations.reserveCapacity(locations.count + pack.entries.count)
        for entry in pack.entries where locations[entry.id] == nil {
            locations[entry.id] = Location(pack: pack.file, entry: entry)
        }
        packs.append(pack)
    }

    func lookup(_ id: ObjectID) -> Location? {
        mutex.withLock {
            guard let location = locations[id] else { return nil }
            // Objects in the pack being written may still sit in its buffer: write them out before a read.
            if let w = writer, location.pack === w.file {
                do { try w.flush() } catch {
                    abandonWriterLocked(error)
                    return nil
                }
            }
            return location
        }
    }

    /// The active pack could not be written: forget its objects so nothing claims to be stored that is not,
    /// and make the next commit fail so no pointer names them.
    func abandonWriterLocked(_ error: Error) {
        guard let w = writer else { return }
        writer = nil
        for entry in w.entries where locations[entry.id]?.pack === w.file { locations[entry.id] = nil }
        try? FS.removeFile(w.file.path)
        lostWrites = error
    }

    public func hasObject(_ id: ObjectID) -> Bool { lookup(id) != nil }

    /// True when every id is a stored file (blob or manifest). One lock for the whole set: status checks
    /// 100k ids at once.
    public func hasFiles<S: Sequence>(_ ids: S) -> Bool where S.Element == ObjectID {
        mutex.withLock {
            ids.allSatisfy { id in
                guard let kind = locations[id]?.entry.kind else { return staged[id] != nil }
                return kind == .blob || kind == .manifest
            }
        }
    }

    /// A staged manifest (ObjectStore+Staging.swift) counts: `materialize` proves it while writing the file.
    public func hasFile(_ id: ObjectID) -> Bool {
        guard let kind = lookup(id)?.entry.kind else { return stagedManifest(id) != nil }
        return kind == .blob || kind == .manifest
    }

    /// Number of distinct objects the store can read (committed or not).
    public var objectCount: Int { mutex.withLock { locations.count } }

    /// Appends a record unless its object is already stored (also by another thread meanwhile).
    func append(_ record: EncodedRecord) throws {
        try mutex.withLock { try appendLocked(record) }
    }

    func appendLocked(_ record: EncodedRecord) throws {
        if locations[record.header.id] != nil { return }
        let w = try writer ?? PackWriter(temporaryDirectory: temporaryDirectory)
        writer = w
        let entry: IndexEntry
        do { entry = try w.append(record) } catch {
            abandonWriterLocked(error)
            throw error
        }
        locations[entry.id] = Location(pack: w.file, entry: entry)
        if w.size >= packTargetSize { try finalizeWriterLocked() }
    }

    /// Makes the active pack durable. If that fails its objects are forgotten, so nothing claims to be
    /// stored that a restart would lose.
    func finalizeWriterLocked() throws {
        guard let w = writer else { return }
        writer = nil
        if w.isEmpty {
            try? FS.removeFile(w.file.path)
            return
        }
        do {
            _ = try w.finalize(packsDirectory: packsDirectory, temporaryDirectory: temporaryDirectory)
            packs.append(LoadedPack(file: w.file, entries: w.entries))
        } catch {
            for entry in w.entries where locations[entry.id]?.pack === w.file { locations[entry.id] = nil }
            try? FS.removeFile(w.file.path)
            lostWrites = error
            throw error
        }
    }

    public func commit() throws {
        try mutex.withLock {
            if let loadFailure { throw loadFailure }
            let lost = lostWrites
            lostWrites = nil
            try finalizeWriterLocked()
            if let lost { throw CairnError("objects stored before this commit were lost (\(lost)); store them again") }
        }
    }

    public var totalStoredBytes: UInt64 {
        mutex.withLock {
            var total = writer?.size ?? 0
            if let names = try? FS.listDirectory(packsDirectory) {
                for (name, _) in names where name.hasSuffix(".pack") {
                    total += (try? FS.stat(Paths.join(packsDirectory, name)))??.size ?? 0
                }
            }
            return total
        }
    }

    /// The error for an object the store cannot read: damaged (its record failed verification) or not here.
    func missing(_ id: ObjectID) -> CairnError {
        if let damage = mutex.withLock({ damagedRecords[id] }) {
            return CairnError("\(damage); `cairn fsck --repair` fetches it again from the remote")
        }
        return CairnError("object sha256:\(id.hex) is not in the cache")
    }

    /// Reads and verifies one object.
    func read(_ id: ObjectID) throws -> (kind: ObjectKind, bytes: [UInt8], location: Location) {
        guard let location = lookup(id) else { throw missing(id) }
        return (location.entry.kind, try location.pack.readObject(location.entry), location)
    }
}

public struct GarbageReport: Sendable, Equatable {
    public var removedObjects: Int
    public var removedBytes: UInt64
    public var rewrittenPacks: Int

    public init(removedObjects: Int = 0, removedBytes: UInt64 = 0, rewrittenPacks: Int = 0) {
        self.removedObjects = removedObjects
        self.removedBytes = removedBytes
        self.rewrittenPacks = rewrittenPacks
    }
}

public struct ObjectProblem: Sendable, Equatable {
    public enum Kind: Sendable { case missing, corrupt }

    public var id: ObjectID
    public var kind: Kind
    public var detail: String

    public init(id: ObjectID, kind: Kind, detail: String) {
        self.id = id
        self.kind = kind
        self.detail = detail
    }
}

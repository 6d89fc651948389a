import Basics

/// What walking a pack record by record found. A pack is intact when every record verifies, the trailer's
/// count and checksum match and the file hashes to its name; otherwise `problems` says why, and `entries` still
/// holds every record that verifies on its own (blobs and trees by their hash, manifests by their checksum), so
/// a damaged pack can be salvaged instead of thrown away.
struct PackScan {
    /// Records that decode and verify, in pack order.
    var entries: [IndexEntry] = []
    /// Records whose header names an object but whose bytes fail verification. The id comes from the damaged
    /// record's own header, so it is a strong hint, not a proof.
    var damaged: [(id: ObjectID, detail: String)] = []
    /// Why the pack is not intact; empty when it is.
    var problems: [String] = []

    var isIntact: Bool { problems.isEmpty }

    /// One line for messages: "damaged pack (first problem; N more)".
    var summary: String {
        guard let first = problems.first else { return "intact" }
        return problems.count == 1 ? first : "\(first); \(problems.count - 1) more problem\(problems.count == 2 ? "" : "s")"
    }
}

/// Rebuilds the index of a pack by walking it record by record. A pack found in packs/ without an index
/// is the trace of a crash between renaming the pack and writing its index, or of damage (a deleted index, a
/// truncated or renamed file, flipped bytes): the walk keeps every record that verifies and reports the rest.
enum PackScanner {
    /// Walks `pack`. `expectedID` is the id its name claims (nil when the name is not a pack id).
    static func scan(_ pack: PackFile, expectedID: ObjectID?) throws -> PackScan {
        var walk = Walk(pack: pack)
        try walk.run()
        var scan = walk.scan
        if scan.isIntact, let whole = walk.wholeHash {
            if let expectedID {
                if whole != expectedID { scan.problems.append("content does not match the pack's name") }
            } else {
                scan.problems.append("not named by its hash")
            }
        }
        return scan
    }

    /// The walk over one pack. While everything verifies it reads record by record (pread) and hashes as it
    /// goes; after damage it looks for the next record that verifies, byte by byte, in memory.
    private struct Walk {
        let pack: PackFile
        let size: UInt64
        let trailerOffset: UInt64
        var scan = PackScan()
        var hasher = ContentHasher()
        /// Set when the records and the trailer all verified: the SHA-256 of the whole file.
        var wholeHash: ObjectID?
        /// The bytes from `tailStart` to the end, loaded once when a search for the next record is needed.
        var tail: [UInt8]?
        var tailStart: UInt64 = 0

        init(pack: PackFile) {
            self.pack = pack
            size = pack.size
            trailerOffset = size >= UInt64(PackFormat.trailerSize) ? size - UInt64(PackFormat.trailerSize) : 0
        }

        mutating func run() throws {
            let headerSize = UInt64(PackFormat.headerSize)
            if size < headerSize + UInt64(PackFormat.trailerSize) {
                scan.problems.append(size == 0 ? "empty file" : "too short (\(size) bytes)")
                if size <= headerSize { return }
            }
            var head = [UInt8](repeating: 0, count: PackFormat.headerSize)
            if try head.withUnsafeMutableBytes({ try pack.read(into: $0, at: 0) }), head == PackFormat.packHeader() {
                hasher.update(head)
            } else {
                scan.problems.append("bad pack header")
            }
            var offset = headerSize
            while offset < size {
                if offset == trailerOffset {
                    try checkTrailer()
                    return
                }
                if let entry = try header(at: offset) {
                    let verdict = try verify(entry)
                    if verdict == nil {
                        scan.entries.append(entry)
                        offset += entry.recordLength
                        continue
                    }
                    scan.damaged.append((entry.id, verdict!))
                    scan.problems.append("the record at offset \(offset) (sha256:\(entry.id.short)) fails verification")
                    // Trust the damaged record's length only when it leads to the next record or the trailer.
                    let next = offset + entry.recordLength
                    let boundary = try next == trailerOffset || header(at: next) != nil
                    if boundary {
                        offset = next
                        continue
                    }
                }
                guard let found = try nextRecord(after: offset) else {
                    // Nothing verifies after here. If the file ends inside the record that starts here, the pack
                    // was cut short, and that record's header still names the object that was lost.
                    if let cut = try header(at: offset, fitting: false), cut.recordLength > size - offset {
                        scan.damaged.append((cut.id, "object sha256:\(cut.id.hex) is corrupt (the pack ends inside "
                            + "its record) in \(pack.path)"))
                        scan.problems.append("truncated inside the record at offset \(offset) (sha256:\(cut.id.short))")
                        return
                    }
                    scan.problems.append(size - offset < UInt64(RecordHeader.size + PackFormat.trailerSize)
                        ? "truncated: no trailer after offset \(offset)"
                        : "unreadable bytes from offset \(offset) to the end")
                    return
                }
                scan.problems.append("unreadable bytes at offsets \(offset)..<\(found)")
                offset = found
            }
            scan.problems.append("truncated: no trailer")
        }

        /// The record header at `offset` if it parses and (when `fitting`) its record fits in the file.
        func header(at offset: UInt64, fitting: Bool = true) throws -> IndexEntry? {
            guard offset < size, size - offset >= UInt64(RecordHeader.size) else { return nil }
            var bytes = [UInt8](repeating: 0, count: RecordHeader.size)
            guard try bytes.withUnsafeMutableBytes({ try pack.read(into: $0, at: offset) }),
                  let header = bytes.withUnsafeBytes({ RecordHeader.parse($0) }) else { return nil }
            let entry = IndexEntry(header, offset: offset)
            return !fitting || entry.recordLength <= size - offset ? entry : nil
        }

        /// nil when the record verifies, else why not.
        mutating func verify(_ entry: IndexEntry) throws -> String? {
            do {
                let record = try pack.readRecordBytes(entry)
                _ = try record.withUnsafeBytes { try pack.decodeRecord($0, entry: entry) }
                if scan.isIntact { hasher.update(record) }
                return nil
            } catch let error as CairnError {
                return error.message
            }
        }

        mutating func checkTrailer() throws {
            var trailer = [UInt8](repeating: 0, count: PackFormat.trailerSize)
            guard try trailer.withUnsafeMutableBytes({ try pack.read(into: $0, at: trailerOffset) }) else {
                scan.problems.append("truncated: no trailer")
                return
            }
            guard scan.isIntact else { return }
            let expected = PackFormat.trailer(recordCount: UInt32(truncatingIfNeeded: scan.entries.count),
                                              checksum: hasher.finalize())
            guard trailer == expected else {
                scan.problems.append("trailer does not match the records")
                return
            }
            hasher.update(trailer)
            wholeHash = hasher.finalize()
        }

        /// The offset of the next record that verifies (or of the trailer) after lost sync, searching from
        /// `offset + 1`; nil when there is none. Only a record that verifies counts, so garbage that happens to
        /// look like a header is never taken for one.
        mutating func nextRecord(after offset: UInt64) throws -> UInt64? {
            if tail == nil || offset < tailStart {
                tailStart = offset
                var bytes = [UInt8](repeating: 0, count: Int(size - offset))
                guard try bytes.withUnsafeMutableBytes({ try pack.read(into: $0, at: offset) }) else { return nil }
                tail = bytes
            }
            let magic = Array(PackFormat.trailer(recordCount: 0, checksum: ObjectID.of([]))[0..<4])
            return try tail!.withUnsafeBytes { buffer -> UInt64? in
                var position = offset + 1
                while position < size {
                    let local = Int(position - tailStart)
                    if position == trailerOffset {
                        if Array(buffer[local..<local + 4]) == magic { return position }
                    } else if size - position >= UInt64(RecordHeader.size), let header = RecordHeader.parse(UnsafeRawBufferPointer(rebasing: buffer[local...])) {
                        let entry = IndexEntry(header, offset: position)
                        if entry.recordLength <= size - position {
                            let record = UnsafeRawBufferPointer(rebasing: buffer[local..<local + Int(entry.recordLength)])
                            if (try? pack.decodeRecord(record, entry: entry)) != nil { return position }
                        }
                    }
                    position += 1
                }
                return nil
            }
        }
    }
}

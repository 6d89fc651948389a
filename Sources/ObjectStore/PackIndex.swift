import Basics

/// Where one object lives in a pack, as written in the pack's index.
struct IndexEntry: Equatable, Sendable {
    var id: ObjectID
    var offset: UInt64          // of the record header
    var storedLength: UInt32
    var rawLength: UInt64
    var kind: ObjectKind
    var codec: Codec

    var recordLength: UInt64 { UInt64(RecordHeader.size) + UInt64(storedLength) }

    init(id: ObjectID, offset: UInt64, storedLength: UInt32, rawLength: UInt64, kind: ObjectKind, codec: Codec) {
        self.id = id; self.offset = offset; self.storedLength = storedLength
        self.rawLength = rawLength; self.kind = kind; self.codec = codec
    }

    init(_ header: RecordHeader, offset: UInt64) {
        self.init(id: header.id, offset: offset, storedLength: header.storedLength, rawLength: header.rawLength,
                  kind: header.kind, codec: header.codec)
    }
}

/// The pack layout constants and the index file, which lets a store find objects without reading packs.
///
/// Pack: "CPAK", u32 version, records (RecordHeader + stored bytes), trailer: "CPKE", u32 record count,
/// SHA-256 of every byte before the trailer. The file is named by the SHA-256 of all of it.
/// Index: "CIDX", u32 version, u64 count, entries sorted by id (32-byte id, u64 offset, u32 stored length,
/// u64 raw length, u8 kind, u8 codec, u16 reserved = 56 bytes), the pack's name (32 bytes), then the SHA-256
/// of everything before it.
enum PackFormat {
    static let version: UInt32 = 1
    static let headerSize = 8
    static let trailerSize = 40
    static let indexEntrySize = 56

    static func packHeader() -> [UInt8] {
        var w = ByteWriter()
        w.u32(Magic.pack)
        w.u32(version)
        return w.bytes
    }

    static func trailer(recordCount: UInt32, checksum: ObjectID) -> [UInt8] {
        var w = ByteWriter()
        w.u32(Magic.packTrailer)
        w.u32(recordCount)
        w.id(checksum)
        return w.bytes
    }

    static func encodeIndex(_ unsorted: [IndexEntry], packID: ObjectID) -> [UInt8] {
        let entries = unsorted.sorted { $0.id < $1.id }
        var w = ByteWriter(capacity: 16 + entries.count * indexEntrySize + 64)
        w.u32(Magic.index)
        w.u32(version)
        w.u64(UInt64(entries.count))
        for e in entries {
            w.id(e.id)
            w.u64(e.offset)
            w.u32(e.storedLength)
            w.u64(e.rawLength)
            w.u8(e.kind.rawValue)
            w.u8(e.codec.rawValue)
            w.u16(0)
        }
        w.id(packID)
        w.id(ObjectID.of(w.bytes))
        return w.bytes
    }

    /// Decodes and checks an index: checksum, sorted unique ids, records inside a pack of `packSize` bytes.
    static func decodeIndex(_ bytes: [UInt8], path: String, packSize: UInt64) throws -> (entries: [IndexEntry], packID: ObjectID) {
        try bytes.withUnsafeBytes { buffer in
            guard buffer.count >= 80 else { throw CairnError("\(path): truncated pack index") }
            let body = UnsafeRawBufferPointer(rebasing: buffer[0..<buffer.count - 32])
            guard ObjectID(bytes: UnsafeRawBufferPointer(rebasing: buffer[(buffer.count - 32)...])) == ObjectID.of(body)
            else { throw CairnError("\(path): pack index checksum mismatch") }
            var r = ByteReader(body)
            do {
                guard try r.u32() == Magic.index else { throw CairnError("\(path): not a cairn pack index") }
                let v = try r.u32()
                guard v == version else { throw CairnError("\(path): unsupported pack index version \(v)") }
                let count = try r.u64()
                guard count == UInt64((r.remaining - 32) / indexEntrySize), (r.remaining - 32) % indexEntrySize == 0
                else { throw CairnError("\(path): pack index count \(count) does not match its size") }
                var entries: [IndexEntry] = []
                entries.reserveCapacity(Int(count))
                let end = packSize >= UInt64(trailerSize) ? packSize - UInt64(trailerSize) : 0
                // Fixed-width entries: read them with direct loads (this runs for every object at open).
                let table = try r.bytes(Int(count) * indexEntrySize)
                var previous: ObjectID? = nil
                for i in 0..<Int(count) {
                    let base = i * indexEntrySize
                    let id = ObjectID(bytes: UnsafeRawBufferPointer(rebasing: table[base..<base + 32]))
                    let offset = UInt64(littleEndian: table.loadUnaligned(fromByteOffset: base + 32, as: UInt64.self))
                    let stored = UInt32(littleEndian: table.loadUnaligned(fromByteOffset: base + 40, as: UInt32.self))
                    let raw = UInt64(littleEndian: table.loadUnaligned(fromByteOffset: base + 44, as: UInt64.self))
                    guard let kind = ObjectKind(rawValue: table[base + 52]), let codec = Codec(rawValue: table[base + 53])
                    else { throw CairnError("\(path): bad kind or codec for \(id.short)") }
                    let e = IndexEntry(id: id, offset: offset, storedLength: stored, rawLength: raw, kind: kind, codec: codec)
                    guard offset >= UInt64(headerSize), offset <= end, e.recordLength <= end - offset else {
                        throw CairnError("\(path): entry \(id.short) points outside its pack")
                    }
                    if let previous, !(previous < id) { throw CairnError("\(path): pack index entries are not sorted") }
                    previous = id
                    entries.append(e)
                }
                return (entries, try r.id())
            } catch is ByteReader.Truncated {
                throw CairnError("\(path): truncated pack index")
            }
        }
    }
}

import Basics

/// What a stored object is. Blobs and trees hash to their id; a manifest is stored under its file's id.
enum ObjectKind: UInt8, Sendable {
    case blob = 1, manifest = 2, tree = 3

    var name: String {
        switch self {
        case .blob: return "blob"
        case .manifest: return "manifest"
        case .tree: return "tree"
        }
    }
}

/// How a record's bytes are stored.
enum Codec: UInt8, Sendable {
    case raw = 0, zstd = 1
}

/// The fixed header in front of every object in a pack:
/// u8 kind, u8 codec, u16 reserved (0), u32 stored length, u64 raw length, 32-byte id (48 bytes).
struct RecordHeader: Equatable, Sendable {
    static let size = 48

    var kind: ObjectKind
    var codec: Codec
    var storedLength: UInt32
    var rawLength: UInt64
    var id: ObjectID

    func write(to out: UnsafeMutableRawPointer) {
        out.storeBytes(of: kind.rawValue, as: UInt8.self)
        out.storeBytes(of: codec.rawValue, toByteOffset: 1, as: UInt8.self)
        out.storeBytes(of: UInt16(0), toByteOffset: 2, as: UInt16.self)
        out.storeBytes(of: storedLength.littleEndian, toByteOffset: 4, as: UInt32.self)
        out.storeBytes(of: rawLength.littleEndian, toByteOffset: 8, as: UInt64.self)
        id.write(to: out + 16)
    }

    /// Parses a header; nil when kind, codec or the reserved bytes are not valid.
    static func parse(_ buffer: UnsafeRawBufferPointer) -> RecordHeader? {
        guard buffer.count >= size else { return nil }
        var r = ByteReader(UnsafeRawBufferPointer(rebasing: buffer[0..<size]))
        guard let rawKind = try? r.u8(), let kind = ObjectKind(rawValue: rawKind),
              let rawCodec = try? r.u8(), let codec = Codec(rawValue: rawCodec),
              (try? r.u16()) == 0,
              let stored = try? r.u32(), let raw = try? r.u64(), let id = try? r.id() else { return nil }
        if codec == .raw && UInt64(stored) != raw { return nil }
        return RecordHeader(kind: kind, codec: codec, storedLength: stored, rawLength: raw, id: id)
    }
}

/// A record ready to append to a pack: header and stored bytes in one buffer, so appending is one write.
final class EncodedRecord: @unchecked Sendable {
    let header: RecordHeader
    let buffer: UnsafeMutableRawBufferPointer

    var totalLength: Int { buffer.count }
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(buffer) }

    private init(header: RecordHeader, buffer: UnsafeMutableRawBufferPointer) {
        self.header = header
        self.buffer = buffer
    }

    deinit { buffer.deallocate() }

    /// Compresses `raw` with zstd at `level` unless that saves less than 10 %, then frames it.
    static func make(kind: ObjectKind, id: ObjectID, raw: UnsafeRawBufferPointer, level: Int32) throws -> EncodedRecord {
        if raw.count >= 64 {
            let bound = Zstd.compressBound(raw.count)
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: RecordHeader.size + bound, alignment: 16)
            let n = try Zstd.compress(raw, into: UnsafeMutableRawBufferPointer(rebasing: buffer[RecordHeader.size...]),
                                      level: level)
            if n < raw.count - raw.count / 10 {
                let header = RecordHeader(kind: kind, codec: .zstd, storedLength: UInt32(n),
                                          rawLength: UInt64(raw.count), id: id)
                header.write(to: buffer.baseAddress!)
                // Shrink to the stored size so in-flight memory is what will be written.
                let exact = UnsafeMutableRawBufferPointer.allocate(byteCount: RecordHeader.size + n, alignment: 16)
                exact.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[0..<RecordHeader.size + n]))
                buffer.deallocate()
                return EncodedRecord(header: header, buffer: exact)
            }
            buffer.deallocate()
        }
        guard raw.count <= Int(UInt32.max) else {
            throw CairnError("object sha256:\(id.hex): too large for one record (\(raw.count) bytes)")
        }
        let header = RecordHeader(kind: kind, codec: .raw, storedLength: UInt32(raw.count),
                                  rawLength: UInt64(raw.count), id: id)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: RecordHeader.size + raw.count, alignment: 16)
        header.write(to: buffer.baseAddress!)
        if raw.count > 0 {
            UnsafeMutableRawBufferPointer(rebasing: buffer[RecordHeader.size...]).copyMemory(from: raw)
        }
        return EncodedRecord(header: header, buffer: buffer)
    }

    /// Wraps bytes copied from an existing pack (gc copies records without recompressing them).
    static func copy(of record: UnsafeRawBufferPointer, header: RecordHeader) -> EncodedRecord {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: record.count, alignment: 16)
        buffer.copyMemory(from: record)
        return EncodedRecord(header: header, buffer: buffer)
    }
}

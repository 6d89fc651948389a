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

/// A record ready to append to a pack: header and stored bytes contiguous, so appending is one write.
/// `bytes` is borrowed: it is valid only inside the closure that received the record.
struct EncodedRecord {
    let header: RecordHeader
    let bytes: UnsafeRawBufferPointer

    var totalLength: Int { bytes.count }

    /// Frames `raw`, compressed with zstd at `level` unless that saves less than 10 %, in the scratch buffer of
    /// a pooled compressor (no allocation per object), and hands the record to `body`.
    static func encode<T>(kind: ObjectKind, id: ObjectID, raw: UnsafeRawBufferPointer, level: Int32,
                          _ body: (EncodedRecord) throws -> T) throws -> T {
        guard raw.count <= Int(UInt32.max) else {
            throw CairnError("object sha256:\(id.hex): too large for one record (\(raw.count) bytes)")
        }
        return try Zstd.withCompressor { compressor in
            let scratch = compressor.scratch(capacity: RecordHeader.size + max(Zstd.compressBound(raw.count), raw.count))
            let payload = UnsafeMutableRawBufferPointer(rebasing: scratch[RecordHeader.size...])
            var codec = Codec.raw
            var stored = raw.count
            if raw.count >= 64 {
                let n = try compressor.compress(raw, into: payload, level: level)
                if n < raw.count - raw.count / 10 {
                    codec = .zstd
                    stored = n
                }
            }
            if codec == .raw && raw.count > 0 { payload.copyMemory(from: raw) }
            let header = RecordHeader(kind: kind, codec: codec, storedLength: UInt32(stored),
                                      rawLength: UInt64(raw.count), id: id)
            header.write(to: scratch.baseAddress!)
            return try body(EncodedRecord(header: header,
                                          bytes: UnsafeRawBufferPointer(rebasing: scratch[0..<RecordHeader.size + stored])))
        }
    }
}

import Basics

/// The chunk list of a large file, stored under the id of the whole file. Its bytes do not hash to that id,
/// so the encoding ends with its own SHA-256 (a damaged manifest is caught on decode); the file itself is
/// verified by reassembly: every chunk by its own id, the concatenation by the file id.
///
/// Encoding (little-endian): "CMAN", u32 version (1), u64 total size, u64 count, then per chunk: 32-byte id,
/// u32 length; then the SHA-256 of everything before it.
struct ChunkManifest: Equatable, Sendable {
    struct Chunk: Equatable, Sendable {
        var id: ObjectID
        var length: UInt32
    }

    static let version: UInt32 = 1

    var chunks: [Chunk]

    var totalSize: UInt64 { chunks.reduce(0) { $0 + UInt64($1.length) } }

    func encode() -> [UInt8] {
        var w = ByteWriter(capacity: 24 + chunks.count * 36 + 32)
        w.u32(Magic.manifest)
        w.u32(ChunkManifest.version)
        w.u64(totalSize)
        w.u64(UInt64(chunks.count))
        for c in chunks {
            w.id(c.id)
            w.u32(c.length)
        }
        w.id(ObjectID.of(w.bytes))
        return w.bytes
    }

    /// `what` names the object in errors ("manifest sha256:…").
    static func decode(_ buffer: UnsafeRawBufferPointer, what: String = "manifest") throws -> ChunkManifest {
        guard buffer.count >= 56 else { throw CairnError("\(what): truncated (\(buffer.count) bytes)") }
        let body = UnsafeRawBufferPointer(rebasing: buffer[0..<buffer.count - 32])
        var tail = ByteReader(UnsafeRawBufferPointer(rebasing: buffer[(buffer.count - 32)...]))
        var r = ByteReader(body)
        do {
            guard try r.u32() == Magic.manifest else { throw CairnError("\(what): bad magic (not a cairn manifest)") }
            let version = try r.u32()
            guard version == ChunkManifest.version else {
                throw CairnError("\(what): unsupported version \(version) (this cairn reads \(ChunkManifest.version))")
            }
            guard try tail.id() == ObjectID.of(body) else { throw CairnError("\(what): checksum mismatch") }
            let total = try r.u64()
            let count = try r.u64()
            guard count == UInt64(r.remaining / 36), r.remaining % 36 == 0 else {
                throw CairnError("\(what): chunk count \(count) does not match its length")
            }
            var chunks: [Chunk] = []
            chunks.reserveCapacity(Int(count))
            for _ in 0..<count {
                let id = try r.id()
                let length = try r.u32()
                guard length > 0 else { throw CairnError("\(what): empty chunk \(id.short)") }
                chunks.append(Chunk(id: id, length: length))
            }
            let manifest = ChunkManifest(chunks: chunks)
            guard manifest.totalSize == total else {
                throw CairnError("\(what): chunk lengths add up to \(manifest.totalSize), header says \(total)")
            }
            return manifest
        } catch is ByteReader.Truncated {
            throw CairnError("\(what): truncated")
        }
    }

    static func decode(_ bytes: [UInt8], what: String = "manifest") throws -> ChunkManifest {
        try bytes.withUnsafeBytes { try decode($0, what: what) }
    }
}

import Basics

/// Appends little-endian integers and raw bytes: the one encoder behind every on-disk format of the store.
struct ByteWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { append(v, count: 2) }
    mutating func u32(_ v: UInt32) { append(v, count: 4) }
    mutating func u64(_ v: UInt64) { append(v, count: 8) }
    mutating func raw(_ v: [UInt8]) { bytes.append(contentsOf: v) }
    mutating func id(_ v: ObjectID) {
        for w in [v.w0, v.w1, v.w2, v.w3] {
            for k in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: w >> UInt64(k))) }
        }
    }

    private mutating func append<T: FixedWidthInteger>(_ v: T, count: Int) {
        for k in 0..<count { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * k))) }
    }
}

/// Reads what ByteWriter wrote, never past the end: every read throws a `ByteReader.Truncated` that callers turn
/// into an error naming their object.
struct ByteReader {
    struct Truncated: Error {}

    let buffer: UnsafeRawBufferPointer
    private(set) var offset = 0

    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

    var remaining: Int { buffer.count - offset }
    var isAtEnd: Bool { offset == buffer.count }

    mutating func u8() throws -> UInt8 { try integer(UInt8.self, count: 1) }
    mutating func u16() throws -> UInt16 { try integer(UInt16.self, count: 2) }
    mutating func u32() throws -> UInt32 { try integer(UInt32.self, count: 4) }
    mutating func u64() throws -> UInt64 { try integer(UInt64.self, count: 8) }

    mutating func id() throws -> ObjectID {
        guard remaining >= 32 else { throw Truncated() }
        defer { offset += 32 }
        return ObjectID(bytes: UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + 32]))
    }

    mutating func bytes(_ count: Int) throws -> UnsafeRawBufferPointer {
        guard count >= 0, remaining >= count else { throw Truncated() }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + count])
    }

    private mutating func integer<T: FixedWidthInteger>(_: T.Type, count: Int) throws -> T {
        guard remaining >= count else { throw Truncated() }
        var v: T = 0
        for k in 0..<count { v |= T(buffer[offset + k]) << (8 * k) }
        offset += count
        return v
    }
}

/// Four-byte format tags, spelled in ASCII so a hex dump says what a file is.
enum Magic {
    static let pack: UInt32 = tag("CPAK")
    static let packTrailer: UInt32 = tag("CPKE")
    static let index: UInt32 = tag("CIDX")
    static let tree: UInt32 = tag("CTRE")
    static let manifest: UInt32 = tag("CMAN")

    static func tag(_ s: StaticString) -> UInt32 {
        var v: UInt32 = 0
        s.withUTF8Buffer { for (k, b) in $0.enumerated() { v |= UInt32(b) << (8 * k) } }
        return v
    }
}

extension ObjectID {
    /// Writes the 32 big-endian bytes of the id into `out` (no allocation, for hot paths).
    func write(to out: UnsafeMutableRawPointer) {
        var p = out
        for w in [w0, w1, w2, w3] {
            p.storeBytes(of: w.bigEndian, as: UInt64.self)
            p += 8
        }
    }
}

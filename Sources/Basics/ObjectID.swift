import Crypto

/// A SHA-256 content address. Stored as four words so that dictionaries of
/// hundreds of thousands of ids stay small and hash quickly.
public struct ObjectID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    public static let byteCount = 32
    public static let algorithm = "sha256"

    /// Builds an id from exactly 32 raw bytes (big-endian words, so ordering matches the hex ordering).
    public init(bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count == 32, "ObjectID needs 32 bytes; this is a bug")
        func word(_ i: Int) -> UInt64 {
            var v: UInt64 = 0
            for k in 0..<8 { v = (v << 8) | UInt64(bytes[i * 8 + k]) }
            return v
        }
        w0 = word(0); w1 = word(1); w2 = word(2); w3 = word(3)
    }

    public init<C: Collection>(bytes: C) where C.Element == UInt8 {
        let array = Array(bytes)
        self = array.withUnsafeBytes { ObjectID(bytes: $0) }
    }

    /// Parses 64 lowercase or uppercase hex digits; nil for anything else.
    public init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 64 else { return nil }
        var out = [UInt8](repeating: 0, count: 32)
        for i in 0..<32 {
            guard let hi = ObjectID.nibble(utf8[2 * i]), let lo = ObjectID.nibble(utf8[2 * i + 1]) else { return nil }
            out[i] = hi << 4 | lo
        }
        self.init(bytes: out)
    }

    /// Parses `sha256:<hex>` (the form used in pointer files).
    public init?(prefixed: some StringProtocol) {
        let prefix = ObjectID.algorithm + ":"
        guard prefixed.hasPrefix(prefix) else { return nil }
        self.init(hex: prefixed.dropFirst(prefix.count))
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }

    public var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(32)
        for w in [w0, w1, w2, w3] {
            for k in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: w >> UInt64(k))) }
        }
        return out
    }

    public var hex: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// `sha256:<hex>`
    public var prefixed: String { ObjectID.algorithm + ":" + hex }
    public var short: String { String(hex.prefix(12)) }
    public var description: String { hex }

    public static func < (a: ObjectID, b: ObjectID) -> Bool {
        (a.w0, a.w1, a.w2, a.w3) < (b.w0, b.w1, b.w2, b.w3)
    }

    /// SHA-256 of the given bytes.
    public static func of(_ data: UnsafeRawBufferPointer) -> ObjectID {
        var h = ContentHasher()
        h.update(data)
        return h.finalize()
    }

    public static func of(_ data: [UInt8]) -> ObjectID {
        data.withUnsafeBytes { ObjectID.of($0) }
    }

    /// The id of empty content (e3b0c442…), used for empty files.
    public static let empty = ObjectID.of([UInt8]())
}

/// Incremental SHA-256 (swift-crypto: BoringSSL assembly using the CPU's SHA extensions).
public struct ContentHasher: @unchecked Sendable {
    private var inner = SHA256()
    public init() {}
    public mutating func update(_ data: UnsafeRawBufferPointer) { inner.update(bufferPointer: data) }
    public mutating func update(_ data: [UInt8]) { data.withUnsafeBytes { inner.update(bufferPointer: $0) } }
    public func finalize() -> ObjectID {
        let digest = inner.finalize()
        return digest.withUnsafeBytes { ObjectID(bytes: $0) }
    }
}
